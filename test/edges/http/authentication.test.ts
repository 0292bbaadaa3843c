/**
 * What a failed authentication gives away: nothing about which key IDs exist (not the answer, not the reads it
 * takes, not a Server-Timing header), and an ambiguous request (two Authorization headers) is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Reader } from '../../../src/store/store.js';
import { admit } from '../../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';

const SOME_SECRET = 'A'.repeat(43);

for (const store of testStores) {
  describe(`authentication failures (${store.name})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
    });
    after(() => h?.close());

    /** The store reads (method names, in order) that answering `call` takes. */
    async function readsOf(call: () => Promise<unknown>): Promise<string[]> {
      const reads: string[] = [];
      const store = h.ctx.store;
      const original = store.read.bind(store);
      store.read = ((work: (r: Reader) => Promise<unknown>) =>
        original((reader) =>
          work(
            new Proxy(reader, {
              get(target, name, receiver) {
                const value = Reflect.get(target, name, receiver) as unknown;
                if (typeof value !== 'function') return value;
                return (...args: unknown[]) => {
                  reads.push(String(name));
                  return (value as (...a: unknown[]) => unknown).apply(target, args);
                };
              },
            }),
          ),
        )) as typeof store.read;
      try {
        await call();
      } finally {
        store.read = original;
      }
      return reads;
    }

    test('an unknown key ID and a known one with a wrong secret: the same answer after the same reads', async () => {
      const a = await admit(h, ['seller']);
      const known = `rid_${a.keyId}_${SOME_SECRET}`;
      const unknown = `rid_${'q'.repeat(16)}_${SOME_SECRET}`;
      const answers: { status: number; body: Record<string, unknown> }[] = [];
      const reads: string[][] = [];
      for (const key of [known, unknown]) {
        reads.push(
          await readsOf(async () => {
            const res = await h.call('GET', '/v1/me', { key });
            answers.push({ status: res.status, body: res.body });
          }),
        );
      }
      assert.deepEqual(answers[0], answers[1]);
      assert.equal(answers[0]!.status, 401);
      assert.equal(answers[0]!.body.type, 'urn:robotid:problem:invalid-api-key');
      assert.deepEqual(reads[0], reads[1], 'the same reads of the store');
    });

    test('answers to failed authentication carry no Server-Timing; answers to authenticated calls do', async () => {
      const a = await admit(h, ['seller']);
      const spare = await h.call('POST', `/v1/organisations/${a.org.id}/keys`, {
        key: a.key,
        body: { name: 'spare' },
      });
      await h.call('DELETE', `/v1/organisations/${a.org.id}/keys/${spare.body.id}`, { key: a.key });
      for (const [what, authorization] of [
        ['a known key ID with a wrong secret', `Bearer rid_${a.keyId}_${SOME_SECRET}`],
        ['an unknown key ID', `Bearer rid_${'q'.repeat(16)}_${SOME_SECRET}`],
        ['a revoked key', `Bearer ${spare.body.token}`],
        ['a malformed key', 'Bearer nonsense'],
      ]) {
        const res = await h.call('GET', '/v1/me', { headers: { authorization: authorization! } });
        assert.equal(res.status, 401, what);
        assert.equal(res.headers['server-timing'], undefined, what);
      }
      const ok = await h.call('GET', '/v1/me', { key: a.key });
      assert.equal(ok.status, 200);
      assert.match(String(ok.headers['server-timing']), /^app;dur=\d+\.\d{2}$/);
    });

    test('two Authorization headers are refused (400), whichever comes first', async () => {
      const a = await admit(h, ['seller']);
      for (const values of [
        [`Bearer ${a.key}`, 'Bearer nonsense'],
        ['Bearer nonsense', `Bearer ${a.key}`],
        [`Bearer ${a.key}`, `Bearer ${a.key}`],
      ]) {
        const res = await h.app.inject({
          method: 'GET',
          url: '/v1/me',
          headers: { authorization: values as unknown as string },
        }); // sent twice
        assert.equal(res.statusCode, 400, values.join(' / '));
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
        const problem = res.json<{ type: string; errors: { field: string }[] }>();
        assert.equal(problem.type, 'urn:robotid:problem:duplicate-authorization-header');
        assert.deepEqual(
          problem.errors.map((e) => e.field),
          ['header:authorization'],
        );
      }
    });
  });
}
