/**
 * Backing a registry's database up to a directory and restoring it, one implementation per adapter
 * (sqlite/backup.ts, postgres/backup.ts). The key file and the manifest are the use case's (src/app/backup.ts).
 */
import type { Store } from './store.js';

/** What a copy holds, read from the very snapshot it was taken of. */
export interface BackupContents {
  /** The latest migration applied (each dialect numbers its own). */
  schemaVersion: number;
  logSize: number;
  /** The latest signed checkpoint, if any. */
  checkpoint: { size: number; rootHash: Buffer } | null;
  /** The files written into the backup directory. */
  files: string[];
  /** PostgreSQL: the schema dumped. */
  schema?: string;
}

export interface StoreBackups {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the registry is, for messages. */
  readonly location: string;
  /** Writes a consistent copy into `dir` (existing, empty) while the registry may be running and writing. */
  dump(dir: string): Promise<BackupContents>;
  /** Restores the copy in `dir`; refuses (DomainError 'invalid') if the destination holds a registry already. */
  restore(dir: string, contents: BackupContents): Promise<void>;
  /** Opens the (restored) registry's store. */
  open(): Store;
}
