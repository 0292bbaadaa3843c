import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { DomainError } from '../../domain/errors.js';
import { storageFull } from '../faults.js';

/** Room that must have been freed since a write failed for want of space before the store says it is ready. */
const FREED_BYTES = 16 * 1024 * 1024;

const FAILING = 0;
const FREE_MIB_AT_FAILURE = 1;

/**
 * Whether the disk of the database has room again after a write failed for want of it: shared memory for the writer
 * connections of a process (the HTTP thread's and the writer thread's), so that readiness knows of a full disk
 * whichever met it. Room is what tells, not the next commit: a small write (an audit record) may fit in what the
 * WAL file already holds where a batch did not.
 */
export class StorageState {
  /** The shared memory for one database's states in several threads. */
  static memory(): Int32Array {
    return new Int32Array(new SharedArrayBuffer(8));
  }

  constructor(
    private readonly file: string,
    private readonly shared: Int32Array = StorageState.memory(),
  ) {}

  /** `storage-full` while the last write failed for want of space and no room was freed since. */
  fault(): DomainError | null {
    if (Atomics.load(this.shared, FAILING) === 0) return null;
    const freed = (this.freeMiB() - Atomics.load(this.shared, FREE_MIB_AT_FAILURE)) * 1024 * 1024;
    if (freed < FREED_BYTES) return storageFull();
    Atomics.store(this.shared, FAILING, 0);
    return null;
  }

  /** A write failed for want of space. */
  full(): void {
    Atomics.store(this.shared, FREE_MIB_AT_FAILURE, this.freeMiB());
    Atomics.store(this.shared, FAILING, 1);
  }

  /** Room left for the database, in MiB (0 if it cannot be told). */
  private freeMiB(): number {
    try {
      const { bavail, bsize } = statfsSync(dirname(this.file));
      return Math.floor((bavail * bsize) / (1024 * 1024));
    } catch {
      return 0;
    }
  }
}

/** Faults of the database file that a client may retry later: not its request's. */
export function storageFault(error: unknown): DomainError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_FULL') return storageFull(); // a short write of the WAL: its commit record is not whole
  if (code.startsWith('SQLITE_IOERR'))
    return new DomainError(
      'unavailable',
      'store-unavailable',
      'the registry could not write to its storage; retry later',
    );
  return null;
}
