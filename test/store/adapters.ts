import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { dropSchema } from '../support/pg-server.js';
import type { Store } from '../../src/store/store.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { PostgresStore } from '../../src/store/postgres/index.js';

/** Every adapter the contract suite runs against. */
export interface AdapterUnderTest {
  name: string;
  /** A fresh, empty store; `reopen` opens the same database again (as after a restart). */
  create(): { store: Store; reopen: () => Store; dispose: () => void };
}

const databaseUrl = process.env.ROBOTID_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Schema drops under way: `dispose` cannot be awaited by the suite, so they are awaited once it has run. */
const drops: Promise<void>[] = [];
after(() => Promise.all(drops));

export const adapters: AdapterUnderTest[] = [
  {
    name: 'sqlite',
    create() {
      const dir = mkdtempSync(join(tmpdir(), 'robotid-store-'));
      const file = join(dir, 'robotid.sqlite');
      return {
        store: SqliteStore.open(file),
        reopen: () => SqliteStore.open(file),
        dispose: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    // Each store gets a schema of its own in the test database, created by the store's first use (it opens lazily).
    name: 'postgres',
    create() {
      const schema = `robotid_test_${randomBytes(6).toString('hex')}`;
      const open = () => PostgresStore.open(databaseUrl, { schema });
      return {
        store: open(),
        reopen: open,
        dispose: () => void drops.push(dropSchema(databaseUrl, schema)),
      };
    },
  },
];
