import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { auditLog } from '../../src/app/log/audit.js';
import { signCheckpoint } from '../../src/app/log/checkpoints.js';
import { leafHash } from '../../src/log/hash.js';
import { logSettings } from '../../src/app/log/settings.js';
import { verifyBundle } from '../../src/log/bundle.js';
import { formatCheckpoint } from '../../src/log/checkpoint.js';
import { generateSigner, parseVerifierKey, signNote } from '../../src/log/note.js';
import { ProofError, verifyInclusion } from '../../src/log/verify.js';
import { startHarness, type Harness } from '../support/harness.js';
import { event, intoUse, report, supplyChain, type SupplyChain } from '../support/lifecycle.js';

/**
 * Someone with write access to the database changes history directly, bypassing the registry: the audit must
 * catch it and name the rows, and proofs must stop verifying.
 */
describe('audit of the log against the stored events', () => {
  let h: Harness;
  let c: SupplyChain;
  let db: Database.Database;
  beforeEach(async () => {
    h = await startHarness();
    c = await supplyChain(h, 2);
    await intoUse(h, c, c.robots[0]!);
    await signCheckpoint(h.ctx);
    await intoUse(h, c, c.robots[1]!);
    await signCheckpoint(h.ctx);
    db = new Database(join(h.dataDir, 'robotid.sqlite'));
  });
  afterEach(async () => {
    db.close();
    await h.close();
  });

  const audit = () => h.ctx.store.read((r) => auditLog(r, parseVerifierKey(h.ctx.log.verifierKey)));
  const eventAt = (seq: number) =>
    db.prepare('SELECT event_id, robot_id FROM events WHERE seq = ?').get(seq) as {
      event_id: string;
      robot_id: string;
    };

  test('an untouched log passes, every event and checkpoint checked', async () => {
    const report = await audit();
    assert.deepEqual(report.findings, []);
    assert.equal(report.ok, true);
    assert.equal(report.eventsChecked, 12);
    assert.equal(report.logSize, 12);
    assert.ok(report.checkpointsChecked >= 2);
  });

  test('an event row edited in the database is named, and its inclusion proof stops verifying', async () => {
    const before = (await h.call('GET', '/v1/log/leaves?start=4&end=5')).body.leaves[0];
    db.prepare(
      `UPDATE events SET payload = json_set(payload, '$.toOrgId', 'someone-else') WHERE seq = 5`,
    ).run();
    const report = await audit();
    assert.equal(report.ok, false);
    const changed = report.findings.filter((f) => f.kind === 'event-changed');
    assert.deepEqual(
      changed.map((f) => [f.seq, f.eventId]),
      [[5, eventAt(5).event_id]],
    );
    assert.ok(
      report.findings.some((f) => f.kind === 'checkpoint-mismatch'),
      'the signed roots no longer match',
    );

    const after = (await h.call('GET', '/v1/log/leaves?start=4&end=5')).body.leaves[0];
    assert.notEqual(after.leaf, before.leaf);
    const checkpoint = await h.ctx.store.read((r) => r.latestCheckpoint());
    const proof = await h.call('GET', `/v1/log/proofs/inclusion?leafIndex=4&treeSize=${checkpoint!.size}`);
    assert.throws(
      () =>
        verifyInclusion(
          4,
          checkpoint!.size,
          leafHash(Buffer.from(after.leaf)),
          proof.body.proof.map((p: string) => Buffer.from(p, 'base64')),
          checkpoint!.rootHash,
        ),
      ProofError,
    );
  });

  test('a deleted event and an event inserted behind the log’s back are named', async () => {
    // The deleted event's robot's chain breaks at its next leaf, and the robot has one leaf fewer than signed.
    const deleted = eventAt(3);
    db.prepare('DELETE FROM events WHERE seq = 3').run();
    db.prepare(
      `INSERT INTO events (seq, robot_id, event_id, type, event_time, record_time, org_id, key_id, payload,
                           content_hash, late, salt)
       SELECT 100, robot_id, 'smuggled', type, event_time, record_time, org_id, key_id, payload, content_hash, late, salt
       FROM events WHERE seq = 1`,
    ).run();
    const report = await audit();
    assert.deepEqual(
      report.findings.filter((f) => f.kind !== 'checkpoint-mismatch').map((f) => [f.kind, f.seq]),
      [
        ['event-missing', 3],
        ['chain-broken', 4],
        ['heads-mismatch', undefined],
        ['event-outside-log', 100],
      ],
    );
    assert.match(report.findings.find((f) => f.kind === 'event-outside-log')!.message, /smuggled/);
    assert.ok(deleted.event_id.length > 0);
  });

  test('a tile rewritten in the database is told apart from a changed event', async () => {
    const tile = db.prepare('SELECT hashes FROM log_tiles WHERE level = 0 AND idx = 0').get() as {
      hashes: Buffer;
    };
    const hashes = Buffer.from(tile.hashes);
    hashes[7 * 32] = hashes[7 * 32]! ^ 0xff;
    db.prepare('UPDATE log_tiles SET hashes = ? WHERE level = 0 AND idx = 0').run(hashes);
    const report = await audit();
    assert.deepEqual(
      report.findings.map((f) => [f.kind, f.seq]),
      [['tile-changed', 8]],
    );
  });

  test('a checkpoint whose stored note was altered is named', async () => {
    db.prepare(`UPDATE log_checkpoints SET note = replace(note, '\n12\n', '\n13\n') WHERE size = 12`).run();
    const report = await audit();
    assert.deepEqual(
      report.findings.map((f) => [f.kind, f.treeSize]),
      [['checkpoint-invalid', 12]],
    );
  });

  test('the registry refuses to sign over a log that does not extend its last checkpoint', async () => {
    const tile = db.prepare('SELECT hashes FROM log_tiles WHERE level = 0 AND idx = 0').get() as {
      hashes: Buffer;
    };
    const hashes = Buffer.from(tile.hashes);
    hashes[0] = hashes[0]! ^ 1;
    db.prepare('UPDATE log_tiles SET hashes = ? WHERE level = 0 AND idx = 0').run(hashes);
    const incident = event('incident_reported', c.robots[1]!, { category: 'fault', severity: 'minor' });
    assert.equal((await report(h, c.operator.key, [incident])).status, 201);
    await assert.rejects(signCheckpoint(h.ctx), /does not extend the checkpoint signed at size 12/);
  });

  test('a process with another log key refuses to sign over checkpoints signed with the registry key', async () => {
    // As a server process started on the same database with a data directory of its own (a new key file).
    const stranger = { ...h.ctx, log: logSettings(generateSigner(h.ctx.log.origin).signerKey, []) };
    const incident = event('incident_reported', c.robots[1]!, { category: 'fault', severity: 'minor' });
    assert.equal((await report(h, c.operator.key, [incident])).status, 201);
    await assert.rejects(signCheckpoint(stranger), { code: 'log-key-mismatch', kind: 'unavailable' });
    assert.equal((await signCheckpoint(h.ctx)).size, 13, 'the registry key still signs');
    assert.equal((await audit()).ok, true);
  });

  test("a leaf that does not name its robot's previous leaf is named", async () => {
    db.prepare('UPDATE events SET leaf_prev = 2 WHERE seq = 5').run();
    const report = await audit();
    const broken = report.findings.filter((f) => f.kind === 'chain-broken');
    assert.deepEqual(
      broken.map((f) => f.message),
      [`log leaf 4 (robot ${eventAt(5).robot_id}) names leaf 2 as the robot's previous, but it is 3`],
    );
  });

  test('a heads map that hides a robot’s events is named, however it came to be signed', async () => {
    // Someone edits the stored map so that robot 0 seems to have one event fewer, then the registry signs on it.
    const robot0 = db.prepare('SELECT path FROM log_heads WHERE leaf_count = 6 ORDER BY path').all() as {
      path: string;
    }[];
    assert.equal(robot0.length, 2, 'both robots have a node of their own');
    const bogus = Buffer.alloc(32, 7);
    db.prepare('UPDATE log_heads SET hash = ?, leaf_count = 5 WHERE path = ?').run(bogus, robot0[0]!.path);
    const incident = event('incident_reported', c.robots[1]!, { category: 'fault', severity: 'minor' });
    assert.equal((await report(h, c.operator.key, [incident])).status, 201);
    await signCheckpoint(h.ctx);
    const found = (await audit()).findings;
    assert.deepEqual(
      found.map((f) => [f.kind, f.treeSize]),
      [['heads-mismatch', 13]],
    );
  });

  test('after an upgrade, the first checkpoint builds the heads map from the first leaf', async () => {
    // As a registry whose checkpoints were signed before the heads map existed: no heads line, no map stored.
    const rows = db.prepare('SELECT size, root_hash FROM log_checkpoints').all() as {
      size: number;
      root_hash: Buffer;
    }[];
    for (const { size, root_hash: rootHash } of rows) {
      const body = formatCheckpoint({ origin: h.ctx.log.origin, size, rootHash });
      db.prepare('UPDATE log_checkpoints SET note = ? WHERE size = ?').run(
        signNote(body, [h.ctx.log.signer]),
        size,
      );
    }
    db.prepare('DELETE FROM log_heads').run();
    const incident = event('incident_reported', c.robots[1]!, { category: 'fault', severity: 'minor' });
    assert.equal((await report(h, c.operator.key, [incident])).status, 201);
    const signed = await signCheckpoint(h.ctx);
    assert.match(signed.note, /\nrobotid-heads\/v1 /);
    assert.deepEqual((await audit()).findings, []);
    const bundle = await h.call('GET', `/v1/robots/${c.robots[1]}/proof-bundle`, { key: c.operator.key });
    const verified = verifyBundle(JSON.stringify(bundle.body), parseVerifierKey(h.ctx.log.verifierKey));
    assert.equal(verified.completeness, 'proven', JSON.stringify(verified.problems));
    assert.equal(verified.events.length, 7);
  });
});
