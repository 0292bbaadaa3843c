// The console's "verified against the log" mark is computed in the browser by console/src/verify/proof-bundle.ts,
// a port of the server's bundle check: it must accept what the registry serves and what `verifyBundle` accepts,
// and refuse what that refuses. (Web Crypto is the same API under Node as in the browser.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyProofBundle } from '../../console/src/verify/proof-bundle.js';
import { verifyBundle } from '../../src/log/bundle.js';
import { generateSigner, parseVerifierKey } from '../../src/log/note.js';
import { startHarness, type Harness } from '../support/harness.js';
import { intoUse, supplyChain, type SupplyChain } from '../support/lifecycle.js';

describe('the console’s check of a proof bundle', () => {
  let h: Harness;
  let c: SupplyChain;
  let keyText: string;
  let bundle: { robotId: string; checkpoint: string; events: { record?: string; proof: string[] }[] };
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

  test('accepts the registry’s bundle, as the server’s own verifier does', async () => {
    assert.equal(verifyBundle(JSON.stringify(bundle), parseVerifierKey(keyText.trim())).ok, true);
    const verdict = await verifyProofBundle(bundle, c.robots[0]!, keyText);
    assert.deepEqual(verdict.problems, []);
    assert.equal(verdict.ok, true);
    assert.equal(verdict.proven.length + verdict.withheld, bundle.events.length);
    assert.ok(verdict.proven.length > 0);
    assert.ok(verdict.checkpointSize! >= bundle.events.length);
  });

  test('refuses an edited record, a broken proof, a forged checkpoint, another robot and another key', async () => {
    const edited = copy();
    const open = edited.events.findIndex((e) => e.record !== undefined);
    edited.events[open]!.record = edited.events[open]!.record!.replace(
      /"late":(true|false)/,
      (_m, v) => `"late":${v === 'true' ? 'false' : 'true'}`,
    );
    const editedVerdict = await verifyProofBundle(edited, c.robots[0]!, keyText);
    assert.equal(editedVerdict.ok, false);
    assert.match(editedVerdict.problems.join(), new RegExp(`event ${open + 1}: .*checkpoint`));

    const broken = copy();
    broken.events[0]!.proof = broken.events[0]!.proof.slice(1);
    assert.equal((await verifyProofBundle(broken, c.robots[0]!, keyText)).ok, false);

    const forged = copy();
    forged.checkpoint = forged.checkpoint.replace(/\n\d+\n/, '\n99\n');
    assert.match((await verifyProofBundle(forged, c.robots[0]!, keyText)).problems.join(), /signature/);

    assert.equal((await verifyProofBundle(copy(), c.robots[0]!.replace(/.$/, 'X'), keyText)).ok, false);

    const stranger = generateSigner(keyText.split('+')[0]!).verifierKey;
    assert.match((await verifyProofBundle(copy(), c.robots[0]!, stranger)).problems.join(), /signature/);
    assert.equal((await verifyProofBundle({ format: 'other' }, c.robots[0]!, keyText)).ok, false);
  });
});
