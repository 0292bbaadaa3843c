import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { DomainError } from '../../src/domain/errors.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

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
