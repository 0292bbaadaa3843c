/** Online backup of the embedded store: SQLite's backup API, which copies a consistent snapshot. */
import { copyFileSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DomainError } from '../../domain/errors.js';
import type { BackupContents, StoreBackups } from '../backups.js';
import { reads as log } from '../log/queries.js';
import { Connection } from './connection.js';
import { SqliteStore } from './index.js';

const BACKUP_FILE = 'robotid.sqlite';

/** What a database file holds (schema version, log size, latest checkpoint). */
async function contentsOf(conn: Connection): Promise<Omit<BackupContents, 'files'>> {
  const version = conn.stmt('SELECT max(version) AS v FROM schema_migrations').get() as { v: number };
  const checkpoint = await log.latestCheckpoint(conn);
  return {
    schemaVersion: version.v,
    logSize: await log.logSize(conn),
    checkpoint: checkpoint && { size: checkpoint.size, rootHash: checkpoint.rootHash },
  };
}

export function sqliteBackups(file: string): StoreBackups {
  return {
    kind: 'sqlite',
    location: file,
    async dump(dir) {
      if (!existsSync(file))
        throw new DomainError('not_found', 'no-registry', `there is no registry database at ${file}`);
      const target = join(dir, BACKUP_FILE);
      const source = Connection.open(file, { readonly: true });
      try {
        // All pages in one step: one read transaction, so the copy is one snapshot, and a writer committing
        // meanwhile (WAL) neither waits for it nor makes it start over.
        await source.db.backup(target, { progress: () => 1_000_000_000 });
      } finally {
        source.db.close();
      }
      const copy = Connection.open(target, { checkpointOnly: true });
      try {
        // The copy is one self-contained file (no -wal beside it to lose).
        copy.db.pragma('journal_mode = DELETE');
        return { ...(await contentsOf(copy)), files: [BACKUP_FILE] };
      } finally {
        copy.db.close();
      }
    },
    async restore(dir) {
      if (existsSync(file))
        throw new DomainError(
          'invalid',
          'registry-exists',
          `${file} exists: restore only into a data directory without a registry database`,
        );
      mkdirSync(dirname(file), { recursive: true });
      copyFileSync(join(dir, BACKUP_FILE), file, constants.COPYFILE_EXCL);
    },
    open: () => SqliteStore.open(file),
  };
}
