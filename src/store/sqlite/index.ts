import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DomainError } from '../../domain/errors.js';
import type { Reader, Store, Tx } from '../store.js';
import { bindReader, bindWriter, type Queries } from '../bind.js';
import type { RawLoader, RawReader, RawTables } from '../tables.js';
import { Checkpointer } from './checkpointer.js';
import { Connection } from './connection.js';
import { StorageState, storageFault } from './storage-state.js';
import { migrate } from './migrations.js';
import * as events from './events.js';
import * as personalData from './personal-data.js';
import * as recalls from './recalls.js';
import * as compliance from './compliance.js';
import * as incidents from './incidents.js';
import { rawLoaderOn, rawReaderOn } from './raw-tables.js';
import * as shared from '../queries.js';

/**
 * The queries written once, and over them those whose SQL must differ on this database (each file says why): the
 * compiler checks that every method of the store interface is there (bind.ts).
 */
const queries: Queries<Connection> = {
  ...shared.reads,
  ...shared.writes,
  ...events.reads,
  ...events.writes,
  ...personalData.writes,
  ...recalls.writes,
  ...incidents.writes,
  ...compliance.writes,
};

const readerOn = (c: Connection): Reader => bindReader(c, queries);

/** SAVEPOINT / RELEASE, or ROLLBACK TO on failure: a nested unit inside the open transaction. */
async function inSavepoint<T>(c: Connection, name: string, work: () => Promise<T>): Promise<T> {
  c.db.exec(`SAVEPOINT ${name}`);
  try {
    const result = await work();
    c.db.exec(`RELEASE ${name}`);
    return result;
  } catch (error) {
    // SQLite may have rolled the whole transaction back already (a full disk, an I/O error): the error stands.
    if (c.db.inTransaction) {
      c.db.exec(`ROLLBACK TO ${name}`);
      c.db.exec(`RELEASE ${name}`);
    }
    throw error;
  }
}

function txOn(c: Connection, options: SqliteOptions): Tx {
  let depth = 0;
  return {
    ...bindWriter(c, queries),
    savepoint: async (work) => {
      depth++;
      try {
        return await inSavepoint(c, `unit${depth}`, work);
      } finally {
        depth--;
      }
    },
    insertEvents: async (es) => events.insertEvents(c, es, options.withoutLog !== true),
  };
}

/** Another process held the database past the busy timeout: a temporary condition the client may retry. */
function busyAsUnavailable(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') return error;
  return new DomainError('unavailable', 'store-busy', 'the database is busy; retry shortly');
}

/** A transaction that failed is rolled back if SQLite has not done so itself; the failure is what is reported. */
function rollBack(c: Connection): void {
  try {
    if (c.db.inTransaction) c.db.exec('ROLLBACK');
  } catch {
    // the transaction is gone either way
  }
}

/**
 * The embedded store: one writer connection (SQLite allows one writer at a time; units of work queue here
 * instead of failing with SQLITE_BUSY) and one reader connection that sees only committed data (WAL).
 */
export interface SqliteOptions {
  /** How long to wait for another process's write lock before answering 503. */
  busyTimeoutMs?: number;
  /**
   * Refuse a unit of work opened inside another (it would wait for itself forever). On by default; the check
   * tracks async context, which costs every promise a little, so a writer thread whose code is known not to
   * nest turns it off.
   */
  nestingGuard?: boolean;
  /** Checkpoint the WAL on a thread of its own instead of inside commits: for a writer under bulk load. */
  backgroundCheckpoints?: boolean;
  /** Shared memory of the StorageState, for the process's other writer connection to the same file. */
  storage?: Int32Array;
  /** Page cache of the writer connection, in MiB (SQLite's default is 2). */
  cacheMb?: number;
  /**
   * Store events without their log leaves. Only for the benchmark's "capture without the log" figure: a registry
   * opened so breaks its own invariant, and its audit fails.
   */
  withoutLog?: boolean;
}

export class SqliteStore implements Store, RawTables {
  readonly dialect = 'sqlite' as const;
  private queue: Promise<unknown> = Promise.resolve();
  /** Units of work queued for the writer's turn and not yet started. */
  private waiting = 0;
  private readonly tx: Tx;
  private readonly reader: Reader;

  private constructor(
    private readonly writer: Connection,
    private readonly readConn: Connection,
    private readonly insideWrite: AsyncLocalStorage<boolean> | null,
    private readonly checkpointer: Checkpointer | null,
    private readonly storage: StorageState,
    options: SqliteOptions,
  ) {
    this.tx = txOn(writer, options);
    this.reader = readerOn(readConn);
  }

  static open(file: string, options: SqliteOptions = {}): SqliteStore {
    mkdirSync(dirname(file), { recursive: true });
    const writer = Connection.open(file, options);
    migrate(writer);
    return new SqliteStore(
      writer,
      Connection.open(file, { readonly: true }),
      options.nestingGuard === false ? null : new AsyncLocalStorage<boolean>(),
      options.backgroundCheckpoints ? new Checkpointer(file, writer) : null,
      new StorageState(file, options.storage),
      options,
    );
  }

  write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    // A unit of work that opens another would wait for itself forever (one writer connection): say so instead.
    if (this.insideWrite?.getStore()) {
      return Promise.reject(new Error('store.write called inside a unit of work: use the tx you were given'));
    }
    return this.exclusive(() =>
      this.transaction(() => {
        const run = () => work(this.tx);
        return this.insideWrite ? this.insideWrite.run(true, run) : run();
      }),
    );
  }

  /**
   * BEGIN IMMEDIATE, `work`, COMMIT; ROLLBACK on failure. What follows a commit (a checkpoint asked for) cannot fail
   * it: a committed write is answered as committed. A write the disk could not take is a 503, nothing stored.
   */
  private async transaction<T>(work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      this.writer.db.exec('BEGIN IMMEDIATE');
      result = await work();
      this.writer.db.exec('COMMIT');
    } catch (error) {
      rollBack(this.writer);
      const fault = storageFault(error);
      if (fault?.code === 'storage-full') this.storage.full();
      throw fault ?? busyAsUnavailable(error);
    }
    this.checkpointer?.afterCommit();
    return result;
  }

  /**
   * Runs `work` in the writer's turn, queued with this store's units of work, without opening a transaction
   * here: for a writer connection on another thread, so that it and this one never wait on each other's lock
   * (a wait that would block this thread's event loop).
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    this.waiting++;
    const start = () => {
      this.waiting--;
      return work();
    };
    const result = this.queue.then(start, start);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Whether a unit of work waits for the writer's turn (a holder of the turn lets it go soon). */
  othersWaiting(): boolean {
    return this.waiting > 0;
  }

  async read<T>(work: (reader: Reader) => Promise<T>): Promise<T> {
    return work(this.reader);
  }

  /** A read transaction on the reader connection: in WAL mode it sees one snapshot while writers go on. */
  async snapshot<T>(work: (reader: RawReader) => Promise<T>): Promise<T> {
    const db = this.readConn.db;
    db.exec('BEGIN');
    try {
      return await work(rawReaderOn(this.readConn));
    } finally {
      db.exec('COMMIT');
    }
  }

  load<T>(work: (loader: RawLoader) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.transaction(() => work(rawLoaderOn(this.writer))));
  }

  /** The database answers; and, after a write failed for want of space, room was freed (else `storage-full`). */
  async ping(): Promise<boolean> {
    if (this.readConn.stmt('SELECT 1 AS ok').get() === undefined) return false;
    const fault = this.storage.fault();
    if (fault) throw fault;
    return true;
  }

  /** The embedded store has one server process (`serve --workers` needs PostgreSQL): it leads every role. */
  async leads(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.checkpointer?.close();
    this.readConn.db.close();
    this.writer.db.close();
  }
}
