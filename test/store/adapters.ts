import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/store/store.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';

/** Every adapter the contract suite runs against. PostgreSQL joins this list with its adapter. */
export interface AdapterUnderTest {
  name: string;
  /** A fresh, empty store; `reopen` opens the same database again (as after a restart). */
  create(): { store: Store; reopen: () => Store; dispose: () => void };
}

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
];
