import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DomainError } from '../../src/domain/errors.js';
import { findPostgresTool } from '../../src/store/postgres/backup.js';

const root = mkdtempSync(join(tmpdir(), 'robotid-pg-tools-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('pg_dump is found on PATH first, else in the newest PostgreSQL version directory', () => {
  for (const dir of ['onpath', '9/bin', '15/bin', '16/bin']) {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, 'pg_dump'), '');
  }
  assert.equal(findPostgresTool('pg_dump', join(root, 'onpath'), root), join(root, 'onpath', 'pg_dump'));
  assert.equal(findPostgresTool('pg_dump', '', root), join(root, '16', 'bin', 'pg_dump'));
});

test('a missing pg_dump is named, with what to install', () => {
  assert.throws(
    () => findPostgresTool('pg_restore', '', join(root, 'nowhere')),
    (error: unknown) =>
      error instanceof DomainError &&
      error.code === 'tool-missing' &&
      error.kind === 'unavailable' &&
      /pg_restore was not found on PATH nor in .*nowhere\/\*\/bin: install the PostgreSQL client tools/.test(
        error.message,
      ),
  );
});
