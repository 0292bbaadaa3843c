import { auditLog } from '../../src/app/log/audit.js';
import { logSettings } from '../../src/app/log/settings.js';
import { rootAt } from '../../src/app/log/tree.js';
import { formatCheckpoint } from '../../src/log/checkpoint.js';
import { generateSigner, parseVerifierKey, signNote } from '../../src/log/note.js';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { DomainError } from '../../src/domain/errors.js';
import { Connection } from '../../src/store/sqlite/connection.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import type { Tx } from '../../src/store/store.js';
import { migrate } from '../../src/store/sqlite/migrations.js';

test('sqlite: a write lock held by another process past the timeout is "unavailable", not a crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'robotid-busy-'));
  const file = join(dir, 'robotid.sqlite');
  const store = SqliteStore.open(file, { busyTimeoutMs: 50 });
  const other = new Database(file);
  try {
    other.exec('BEGIN IMMEDIATE');
    await assert.rejects(
      store.write((tx) => tx.nextCounter('x')),
      (error: unknown) =>
        error instanceof DomainError && error.kind === 'unavailable' && error.code === 'store-busy',
    );
    other.exec('ROLLBACK');
    assert.equal(
      await store.write((tx) => tx.nextCounter('x')),
      1,
      'the store works again once the lock is gone',
    );
  } finally {
    other.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite: upgrading to the compact status keeps each robot’s fitted components, maker included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'robotid-upgrade-'));
  const file = join(dir, 'robotid.sqlite');
  const robotId = 'CN0001AAAAAAR0000000000000001';
  const fitted = {
    kind: 'actuator',
    position: 'left_knee',
    manufacturer: 'HJ',
    partNumber: 'HJ-40',
    serial: 'S2',
  };
  const battery = { kind: 'battery_pack', manufacturer: 'Volt', partNumber: 'VC-2k', lot: 'B-1' };
  const old = Connection.open(file);
  migrate(old, 2);
  old.db
    .prepare(
      `INSERT INTO robot_status (robot_id, state, custodian_id, status, last_seq)
       VALUES (?, 'manufactured', 'org_1', ?, 2)`,
    )
    .run(robotId, JSON.stringify({ state: 'manufactured', components: [fitted, battery], software: [] }));
  const part = old.db.prepare(
    `INSERT INTO robot_components (robot_id, kind, position, part_number, serial, lot, fitted_seq, removed_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  part.run(robotId, 'actuator', 'left_knee', 'HJ-40', 'S1', null, 1, 2);
  part.run(robotId, 'actuator', 'left_knee', 'HJ-40', 'S2', null, 2, null);
  part.run(robotId, 'battery_pack', null, 'VC-2k', null, 'B-1', 2, null);
  old.db.close();
  const store = SqliteStore.open(file);
  try {
    const status = await store.read((r) => r.getRobotStatus(robotId));
    assert.deepEqual(status, { state: 'manufactured', software: [], components: [fitted, battery] });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite: upgrading to the log gives every earlier event a salt and a leaf, and the audit passes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'robotid-upgrade-'));
  const file = join(dir, 'robotid.sqlite');
  const old = Connection.open(file);
  migrate(old, 4);
  const insert = old.db.prepare(
    `INSERT INTO events (robot_id, event_id, type, event_time, record_time, org_id, key_id, payload, content_hash, late)
     VALUES (?, ?, 'serviced', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', 'org_1', 'key_1', '{}', ?, 0)`,
  );
  for (let i = 0; i < 40; i++) insert.run('CN0001AAAAAAR0000000000000001', `e${i}`, Buffer.alloc(32));
  old.db.close();
  const store = SqliteStore.open(file);
  try {
    assert.equal(await store.read((r) => r.logSize()), 40);
    const events = await store.read((r) => r.listEventsBySeq(1, 41));
    assert.ok(events.every((e) => e.salt.length === 16));
    const { signer, verifierKey } = logSettings(generateSigner('upgrade.test/log').signerKey, []);
    const root = await store.read((r) => rootAt(r, 40));
    const note = signNote(formatCheckpoint({ origin: signer.name, size: 40, rootHash: root }), [signer]);
    await store.write((tx) => tx.insertCheckpoint({ size: 40, rootHash: root, note, signedAt: 'now' }));
    const report = await store.read((r) => auditLog(r, parseVerifierKey(verifierKey)));
    assert.deepEqual(report.findings, []);
    assert.equal(report.eventsChecked, 40);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A successful audit row whose action is `action` (a large one fills the WAL). */
const auditRow = (at: string, action: string) => ({
  at,
  orgId: null,
  keyId: null,
  action,
  target: null,
  outcome: 'success' as const,
  detail: null,
});

test('sqlite: a writer that commits one unit after another, never idle, still has its WAL checkpointed and started over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'robotid-checkpoint-'));
  const file = join(dir, 'robotid.sqlite');
  const store = SqliteStore.open(file, { backgroundCheckpoints: true });
  try {
    const blob = 'x'.repeat(100_000);
    const busy = (ms: number) => {
      for (const until = Date.now() + ms; Date.now() < until;);
    };
    // 160 MB through the WAL without the event loop ever turning (each write settles in microtasks, then works
    // on the next for 25 ms): the writer thread under a stream of captures. The checkpoint thread must be asked
    // again all the same, and the WAL must start over (cut back to 64 MB) once it has been copied.
    for (let batch = 0; batch < 160; batch++) {
      busy(25);
      await store.write(async (tx) => {
        for (let i = 0; i < 10; i++) {
          await tx.insertAudit(auditRow('2026-01-01T00:00:00.000Z', blob));
        }
      });
    }
    const wal = statSync(`${file}-wal`).size;
    assert.ok(
      wal < 80_000_000,
      `the WAL started over (it is ${Math.round(wal / 1e6)} MB, 160 MB were written)`,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite: with background checkpoints, commits do not checkpoint but the WAL still reaches the database file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'robotid-checkpoint-'));
  const file = join(dir, 'robotid.sqlite');
  const store = SqliteStore.open(file, { backgroundCheckpoints: true });
  try {
    const emptySize = statSync(file).size;
    const blob = 'x'.repeat(4000);
    for (let batch = 0; batch < 20; batch++) {
      await store.write(async (tx) => {
        for (let i = 0; i < 50; i++) {
          const at = `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`;
          await tx.insertAudit(auditRow(at, blob));
        }
      });
    }
    // Four megabytes went through the WAL; the checkpoint thread copies them into the database file.
    const deadline = Date.now() + 10_000;
    while (statSync(file).size - emptySize < 4_000_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(statSync(file).size - emptySize >= 4_000_000, 'the pages reached the database file');
    assert.equal(await store.read((r) => r.countAudit({ outcome: 'success' })), 1000);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite: erased personal data leaves none of its bytes in the database files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'robotid-erase-'));
  const file = join(dir, 'robotid.sqlite');
  const marker = Buffer.from('sealed-personal-data-'.repeat(20));
  const at = '2026-01-01T00:00:00.000Z';
  /** Runs `work` in a unit of work of a store opened for it, and closes the store (the WAL is copied back). */
  const once = async <T>(work: (tx: Tx) => Promise<T>): Promise<T> => {
    const store = SqliteStore.open(file);
    try {
      return await store.write(work);
    } finally {
      await store.close();
    }
  };
  try {
    await once(async (tx) => {
      await tx.insertOrganisation({
        id: 'person_1',
        kind: 'person',
        name: 'person person_1',
        roles: ['operator'],
        jurisdiction: 'CN',
        registrationNumber: 'person:person_1',
        enterpriseCode: null,
        createdAt: at,
      });
      await tx.putPersonalData({
        partyId: 'person_1',
        kekVersion: 1,
        wrappedKey: Buffer.alloc(60, 1),
        nonce: Buffer.alloc(12, 2),
        ciphertext: marker,
        authTag: Buffer.alloc(16, 3),
        createdAt: at,
        updatedAt: at,
      });
    });
    assert.ok(readFileSync(file).includes(marker), 'the sealed data was in the file');
    assert.equal(await once((tx) => tx.deletePersonalData('person_1')), true);
    for (const path of [file, `${file}-wal`].filter((p) => existsSync(p)))
      assert.equal(readFileSync(path).includes(marker), false, `${path} holds none of it`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
