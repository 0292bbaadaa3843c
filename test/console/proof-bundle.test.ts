// The console's "verified against the log" mark is computed in the browser by console/src/verify/proof-bundle.ts
// with the registry's own bundle check (src/log/bundle-check.ts) and a Web Crypto signature check: it must accept
// what the registry serves and what `verifyBundle` accepts, and refuse what that refuses, a bundle with an event left
// out included. (Web Crypto is the same API under Node as in the browser.)
import assert from 'node:assert/strict';
import { hash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as browserCrypto from '../../console/src/verify/node-crypto.js';
import { verifyProofBundle } from '../../console/src/verify/proof-bundle.js';
import { verifyBundle } from '../../src/log/bundle.js';
import { generateSigner, parseVerifierKey } from '../../src/log/note.js';
import { startHarness, type Harness } from '../support/harness.js';
import { intoUse, supplyChain, type SupplyChain } from '../support/lifecycle.js';

interface Bundle {
  robotId: string;
  checkpoint: string;
  events: { record?: string; proof: string[] }[];
}

describe('the console’s check of a proof bundle', () => {
  let h: Harness;
  let c: SupplyChain;
  let keyText: string;
  let bundle: Bundle;
  before(async () => {
    h = await startHarness();
    c = await supplyChain(h, 1);
    await intoUse(h, c, c.robots[0]!);
    assert.equal((await h.call('POST', '/v1/log/checkpoints', { key: c.regulator.key })).status, 201);
    keyText = String((await h.call('GET', '/v1/log/key')).body);
    const res = await h.call('GET', `/v1/robots/${c.robots[0]}/proof-bundle`, { key: c.operator.key });
    assert.equal(res.status, 200);
    bundle = res.body;
  });
  after(() => h.close());

  const copy = () => structuredClone(bundle);
  const verdictOf = (b: unknown, robotId = c.robots[0]!, key = keyText) =>
    verifyProofBundle(JSON.stringify(b), robotId, key);

  test('accepts the registry’s bundle, as the server’s own verifier does: every event, the history complete', async () => {
    assert.equal(verifyBundle(JSON.stringify(bundle), parseVerifierKey(keyText.trim())).ok, true);
    const verdict = await verdictOf(bundle);
    assert.deepEqual(verdict.problems, []);
    assert.equal(verdict.ok, true);
    assert.equal(verdict.completeness, 'proven');
    assert.equal(verdict.proven.length + verdict.withheld, bundle.events.length);
    assert.ok(verdict.proven.length > 0);
    assert.ok(verdict.checkpointSize! >= bundle.events.length);
  });

  test('a bundle with an event left out is not verified, though every event in it is in the log', async () => {
    assert.ok(bundle.events.length >= 3);
    for (const left of [1, bundle.events.length - 1]) {
      const short = copy();
      short.events.splice(left, 1);
      const verdict = await verdictOf(short);
      assert.equal(verdict.ok, false, `event ${left + 1} left out`);
      assert.equal(verdict.completeness, 'failed');
      assert.match(verdict.problems.join('\n'), /^completeness: the log holds \d+ events of this robot/m);
      // What remains is proven included: only completeness fails.
      assert.equal(verdict.proven.length + verdict.withheld, short.events.length);
    }
  });

  test('refuses an edited record, a broken proof, a forged checkpoint, another robot and another key', async () => {
    const edited = copy();
    const open = edited.events.findIndex((e) => e.record !== undefined);
    edited.events[open]!.record = edited.events[open]!.record!.replace(
      /"late":(true|false)/,
      (_m, v) => `"late":${v === 'true' ? 'false' : 'true'}`,
    );
    const editedVerdict = await verdictOf(edited);
    assert.equal(editedVerdict.ok, false);
    assert.match(editedVerdict.problems.join(), new RegExp(`event ${open + 1}: .*root`));

    const broken = copy();
    broken.events[0]!.proof = broken.events[0]!.proof.slice(1);
    assert.equal((await verdictOf(broken)).ok, false);

    const forged = copy();
    forged.checkpoint = forged.checkpoint.replace(/\n\d+\n/, '\n99\n');
    assert.match((await verdictOf(forged)).problems.join(), /signature/);

    assert.match((await verdictOf(copy(), c.robots[0]!.replace(/.$/, 'X'))).problems.join(), /another robot/);

    const stranger = generateSigner(keyText.split('+')[0]!).verifierKey;
    assert.match((await verdictOf(copy(), c.robots[0]!, stranger)).problems.join(), /signature/);
    assert.equal((await verdictOf({ format: 'other' })).ok, false);
  });

  test('the browser’s stand-in for node:crypto hashes as Node does', () => {
    for (const data of ['', 'RB-CN-0001', randomBytes(1000), new Uint8Array(64)]) {
      assert.deepEqual(
        new Uint8Array(browserCrypto.hash('sha256', data, 'buffer')),
        new Uint8Array(hash('sha256', data, 'buffer')),
      );
    }
    assert.equal(browserCrypto.randomBytes(16).length, 16);
    assert.throws(() => browserCrypto.hash('sha1', '', 'buffer'), /not in the console's node:crypto/);
  });
});
