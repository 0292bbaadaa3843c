/**
 * The schema-driven fuzzer in CI: a bounded run per store over a listening server (test/fuzz/engine.ts). It fails
 * on any 5xx, any status or media type the API document does not declare for the operation, any body that does
 * not match its declared schema, and any error that is not an RFC 9457 problem document. Long runs:
 * `npm run fuzz -- --requests N --store both --seed S`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatReport, fuzz, startTarget, type StoreName, type Target } from './fuzz/engine.js';

const REQUESTS = Number(process.env.ROBOTID_FUZZ_REQUESTS ?? 5000);
const SEED = Number(process.env.ROBOTID_FUZZ_SEED ?? 16);

for (const store of ['sqlite', 'postgres'] as StoreName[]) {
  describe(`fuzz: every answer is as openapi.json declares (${store})`, () => {
    let target: Target | undefined;
    before(
      async () => {
        target = await startTarget(store);
      },
      { timeout: 120_000 },
    );
    after(() => target?.close());

    test(`${REQUESTS} generated requests, seed ${SEED}`, { timeout: 240_000 }, async () => {
      const report = await fuzz(target!, { seed: SEED, requests: REQUESTS, concurrency: 16 });
      console.log(formatReport(report));
      assert.equal(report.requests, REQUESTS);
      assert.deepEqual(
        report.violations.map(
          (v) => `#${v.index} ${v.request.method} ${v.request.path.slice(0, 120)}: ${v.faults}`,
        ),
        [],
      );
    });
  });
}
