import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { auditLog } from '../../../src/app/log/audit.js';
import { signCheckpoint } from '../../../src/app/log/checkpoints.js';
import { verifyBundle } from '../../../src/log/bundle.js';
import { parseVerifierKey } from '../../../src/log/note.js';
import { startHarness, type Harness } from '../../support/harness.js';
import { PURPOSE } from '../../support/fixtures.js';
import { intoUse, manufactured, report, supplyChain, type SupplyChain } from '../../support/lifecycle.js';

/** The registry on PostgreSQL (DATABASE_URL): the same API, ledger and log as on the embedded store. */
describe('registry on PostgreSQL', () => {
  let h: Harness;
  let c: SupplyChain;
  before(async () => {
    h = await startHarness({ postgres: true });
    c = await supplyChain(h, 3);
  });
  after(() => h.close());

  test('a robot goes into use; its history, search, proof bundle and the audit hold', async () => {
    assert.equal(h.ctx.store.dialect, 'postgres');
    await intoUse(h, c, c.robots[0]!);
    const refused = await report(h, c.maker.key, [manufactured(c.robots[0]!)]);
    assert.equal(refused.status, 409, 'the state machine holds on PostgreSQL too');
    const history = await h.call('GET', `/v1/robots/${c.robots[0]}/events`, { key: c.operator.key });
    assert.deepEqual(
      history.body.events.map((e: { seq: number }) => e.seq),
      [1, 2, 3, 4, 5, 6],
    );
    const found = await h.call('GET', '/v1/robots?componentLot=LOT-2026-01', {
      key: c.regulator.key,
      headers: PURPOSE,
    });
    assert.deepEqual(
      found.body.items.map((r: { id: string }) => r.id),
      [c.robots[0]],
    );
    await signCheckpoint(h.ctx);
    const bundle = await h.call('GET', `/v1/robots/${c.robots[0]}/proof-bundle`, { key: c.operator.key });
    const key = parseVerifierKey(h.ctx.log.verifierKey);
    assert.equal(verifyBundle(JSON.stringify(bundle.body), key).ok, true);
    const audit = await h.ctx.store.read((r) => auditLog(r, key));
    assert.deepEqual(audit.findings, []);
    assert.equal(audit.eventsChecked, 6);
  });
});
