import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { DomainError } from '../../domain/errors.js';
import { storageFull } from '../faults.js';
import type { LeaderRole, Reader, Store, Tx } from '../store.js';
import { bindReader, bindWriter, type Queries } from '../bind.js';
import type { RawLoader, RawReader, RawTables } from '../tables.js';
import { currentReadScope, type ReadScope } from '../read-session.js';
import { Connection, lockedTransaction, typeParsers } from './connection.js';
import { SessionLease } from './leadership.js';
import { ReplicaRouter, serverLsn } from './replica.js';
import { migrate } from './migrations.js';
import * as keys from './api-keys.js';
import * as events from './events.js';
import * as compliance from './compliance.js';
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
  ...keys.writes,
  ...compliance.writes,
};

const readerOn = (c: Connection): Reader => bindReader(c, queries);

/** SAVEPOINT / RELEASE, or ROLLBACK TO on failure: a nested unit inside the open transaction. */
async function inSavepoint<T>(c: Connection, name: string, work: () => Promise<T>): Promise<T> {
  await c.exec(`SAVEPOINT ${name}`);
  try {
    const result = await work();
    await c.exec(`RELEASE ${name}`);
    return result;
  } catch (error) {
    await c.exec(`ROLLBACK TO ${name}`);
    await c.exec(`RELEASE ${name}`);
    throw error;
  }
}

/** A unit of work on one client, in its open transaction. */
function txOn(c: Connection): Tx {
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
  };
}

/** SQLSTATEs of a transaction that lost a race, or of a server at its connection limit: retry shortly. */
const BUSY = new Set(['40001', '40P01', '55P03', '53300']);
/** SQLSTATEs of a server restarting or shutting down (class 08 is tested apart: connection exceptions). */
const GOING_AWAY = new Set(['57P01', '57P02', '57P03']);
/** disk_full: the server could not extend a file; the statement failed, its transaction is rolled back. */
const DISK_FULL = '53100';
/** How long readiness says `storage-full` after a write was refused for want of room. */
const FULL_HOLD_MS = 5000;
/** Socket errors on the way to the server. */
const NO_ROUTE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * node-postgres's own errors, which carry no code, by message: a pool with every connection in use past its
 * wait, and a connection lost or never made (test/edges/http/db-restart.test.ts and pool-exhaustion.test.ts
 * would tell if a new pg version reworded them).
 */
const POOL_EXHAUSTED = /^timeout exceeded when trying to connect$/;
const CONNECTION_LOST =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout expired)/;

/** Transient database conditions become 503s, as SQLITE_BUSY does in the SQLite adapter; the rest pass through. */
function transientAsUnavailable(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (error instanceof pg.DatabaseError && error.code !== undefined) {
    if (BUSY.has(error.code)) return busy();
    if (error.code === DISK_FULL) return storageFull();
    if (error.code.startsWith('08') || GOING_AWAY.has(error.code)) return unreachable();
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && NO_ROUTE.has(code)) return unreachable();
  if (error instanceof Error && !(error instanceof pg.DatabaseError)) {
    if (POOL_EXHAUSTED.test(error.message)) return busy();
    if (CONNECTION_LOST.test(error.message)) return unreachable();
  }
  return error;
}

const busy = () => new DomainError('unavailable', 'store-busy', 'the database is busy; retry shortly');
const unreachable = () =>
  new DomainError('unavailable', 'store-unreachable', 'the database cannot be reached; retry shortly');

/** The primary's WAL position now: past every commit made so far. */
async function walPosition(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
  return rows[0]!.lsn;
}

/** A commit at `position` in the caller's session: its reads wait for it on the standby; the client may carry it. */
function noteCommit(router: ReplicaRouter, scope: ReadScope, position: string): void {
  router.committed(scope.session, serverLsn(position));
  scope.committedAt = position;
}

/** Name of the advisory lock that serialises units of work across processes (keyed with the schema). */
const WRITE_LOCK = 'robotid-writers';

export interface PostgresOptions {
  /** Schema that holds the tables (created on first use); else the connection's own search_path decides. */
  schema?: string;
  /** Connections in the pool (default 10). A unit of work that also calls `store.read` holds two at once. */
  poolSize?: number;
  /** How long a query waits for a free connection before failing as `store-busy` (default 2000 ms). */
  poolTimeoutMs?: number;
  /** A streaming standby of the database to serve reads (see ReplicaRouter); same schema, same pool settings. */
  readUrl?: string;
  /** How far (in time) the standby may trail this process's commits and still serve reads (default 5000 ms). */
  readMaxLagMs?: number;
}

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_POOL_TIMEOUT_MS = 2000;
const DEFAULT_READ_MAX_LAG_MS = 5000;

/** A connection's settings: BIGINT as number, and the registry's schema first on the search path. */
const connectionFor = (url: string, schema: string | undefined): pg.ClientConfig => ({
  connectionString: url,
  types: typeParsers,
  ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
});

function poolFor(url: string, options: PostgresOptions): pg.Pool {
  const pool = new pg.Pool({
    ...connectionFor(url, options.schema),
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    // Bounded: with every connection busy a request fails fast as 503 rather than hang until the client gives up.
    connectionTimeoutMillis: options.poolTimeoutMs ?? DEFAULT_POOL_TIMEOUT_MS,
  });
  // An idle connection that drops reports here; the pool has discarded it already and the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** A standby's pool and the router that decides which reads it may serve. */
interface Replica {
  pool: pg.Pool;
  reader: Reader;
  router: ReplicaRouter;
}

/**
 * The client–server store: a pool of connections. Units of work are serialised, as SQLite's single writer does,
 * by a transaction-scoped advisory lock (one per schema) taken first thing in each: across every process that shares it,
 * so that event seqs stay contiguous and each log append starts where the last one ended. Within a process they
 * also queue here, so that waiting units of work hold one connection between them, not one each (were the pool
 * drained by waiters, a unit of work that reads through `store.read` would wait for them, and they for it).
 *
 * With a standby (`readUrl`), `read` is served by it when the ReplicaRouter allows (the caller's session has
 * seen its own writes replayed there, the standby answers and is not too far behind), else by the primary; reads
 * inside a unit of work are the transaction's own. Each commit then also fetches its WAL position.
 *
 * Opening is lazy: `open` returns at once, and the first `write`, `read` or `ping` connects and applies the
 * migrations (once; a failed attempt is retried by the next call). This keeps `open` synchronous like
 * `SqliteStore.open`, which callers such as the contract tests' adapter factory rely on.
 */
export class PostgresStore implements Store, RawTables {
  readonly dialect = 'postgres' as const;
  private queue: Promise<unknown> = Promise.resolve();
  private migrated: Promise<void> | null = null;
  private readonly insideWrite = new AsyncLocalStorage<boolean>();
  private readonly reader: Reader;
  private readonly leases = new Map<LeaderRole, SessionLease>();
  /** Until when readiness says `storage-full` (see `noteWriteFailure`). */
  private fullUntil = 0;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string | undefined,
    private readonly replica: Replica | undefined,
    /** How to open a connection of its own (a leader's), as the pool's are opened. */
    private readonly connection: pg.ClientConfig,
  ) {
    this.reader = readerOn(new Connection(pool));
  }

  static open(url: string, options: PostgresOptions = {}): PostgresStore {
    const { schema, readUrl } = options;
    // The name goes into SQL and the connection's options string unquoted: only plain identifiers are accepted.
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new Error(`schema name '${schema}' must be lower-case letters, digits and underscores`);
    let replica: Replica | undefined;
    if (readUrl !== undefined) {
      const pool = poolFor(readUrl, options);
      const router = new ReplicaRouter(pool, options.readMaxLagMs ?? DEFAULT_READ_MAX_LAG_MS);
      replica = { pool, reader: readerOn(new Connection(pool)), router };
    }
    return new PostgresStore(poolFor(url, options), schema, replica, connectionFor(url, schema));
  }

  async write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    // A unit of work that opens another would wait for itself forever (the lock is held by the outer one).
    if (this.insideWrite.getStore())
      throw new Error('store.write called inside a unit of work: use the tx you were given');
    try {
      await this.ready();
      return await this.inWritersTurn(() => this.transaction(work));
    } catch (error) {
      const fault = transientAsUnavailable(error);
      this.noteWriteFailure(fault);
      throw fault;
    }
  }

  /**
   * A write of this process failed (here, or on its writer thread): one refused for want of room holds readiness
   * at `storage-full` for a while. The server's disk cannot be seen from here, and the next small write may fit
   * where a batch did not, so time, not a commit, ends it.
   */
  noteWriteFailure(error: unknown): void {
    if (error instanceof DomainError && error.code === 'storage-full')
      this.fullUntil = Date.now() + FULL_HOLD_MS;
  }

  async read<T>(work: (reader: Reader) => Promise<T>): Promise<T> {
    try {
      await this.ready();
      if (await this.onStandby()) {
        try {
          return await work(this.replica!.reader);
        } catch (error) {
          // Only a transient database fault is the standby's: a use case's own error (not found…) stands.
          if (transientAsUnavailable(error) === error) throw error;
          this.replica!.router.down(); // the standby failed, not the read: the primary answers it
        }
      }
      return await work(this.reader);
    } catch (error) {
      throw transientAsUnavailable(error);
    }
  }

  /**
   * A unit of work of this caller committed through other connections (a writer thread's): with a standby, the
   * caller's reads must still see it. The primary's WAL position now is past that commit; it is noted for the
   * session as a commit here would be.
   */
  async committedElsewhere(): Promise<void> {
    const router = this.replica?.router;
    if (!router) return;
    noteCommit(router, currentReadScope(), await walPosition(this.pool));
  }

  /** Whether this read goes to the standby: there is one, this is no unit of work's read, the router agrees. */
  private async onStandby(): Promise<boolean> {
    if (!this.replica || this.insideWrite.getStore()) return false;
    return this.replica.router.usable(currentReadScope());
  }

  /** One REPEATABLE READ transaction: every read sees the database as it was at the first. */
  async snapshot<T>(work: (reader: RawReader) => Promise<T>): Promise<T> {
    await this.ready();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await work(rawReaderOn(new Connection(client)));
      await client.query('COMMIT');
      return result;
    } finally {
      // A failed snapshot's session may be mid-transaction: not for reuse.
      client.release(true);
    }
  }

  async load<T>(work: (loader: RawLoader) => Promise<T>): Promise<T> {
    try {
      await this.ready();
      return await this.inWritersTurn(() =>
        lockedTransaction(this.pool, WRITE_LOCK, (c) => work(rawLoaderOn(c))),
      );
    } catch (error) {
      throw transientAsUnavailable(error);
    }
  }

  /** The database answers (else the reason: `store-unreachable`; `storage-full` shortly after a write said so). */
  async ping(): Promise<boolean> {
    let answers: boolean;
    try {
      await this.ready();
      answers = (await this.pool.query('SELECT 1 AS ok')).rowCount === 1;
    } catch (error) {
      throw transientAsUnavailable(error);
    }
    if (answers && Date.now() < this.fullUntil) throw storageFull();
    return answers;
  }

  /** A session-level advisory lock per role, keyed by the schema in use (see leadership.ts). */
  async leads(role: LeaderRole): Promise<boolean> {
    let lease = this.leases.get(role);
    if (!lease) this.leases.set(role, (lease = new SessionLease(this.connection, role)));
    try {
      await this.ready(); // the schema must exist for the lock's key to name it
      return await lease.holds();
    } catch (error) {
      throw transientAsUnavailable(error);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.leases.values()].map((lease) => lease.close()));
    await this.queue;
    await this.migrated?.catch(() => undefined);
    await this.pool.end();
    await this.replica?.pool.end();
  }

  /** Applies the migrations on first use; shared by the calls that wait for it, dropped if it fails. */
  private ready(): Promise<void> {
    this.migrated ??= this.migrate().catch((error: unknown) => {
      this.migrated = null;
      throw error;
    });
    return this.migrated;
  }

  /** The migrations, and (with a standby) their end as the position every standby read needs. */
  private async migrate(): Promise<void> {
    await migrate(this.pool, this.schema);
    if (!this.replica) return;
    this.replica.router.require(serverLsn(await walPosition(this.pool)));
  }

  /** Runs `work` after this process's earlier units of work have ended. */
  private inWritersTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** The unit of work in a transaction of its own, under the writers' lock. */
  private transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const inTx = (c: Connection) => this.insideWrite.run(true, () => work(txOn(c)));
    const router = this.replica?.router;
    if (!router) return lockedTransaction(this.pool, WRITE_LOCK, inTx);
    // The writing session reads from the standby again once the standby has replayed this commit; the position
    // also goes back to the caller, who may bring it to another server process (RobotID-Read-After).
    const scope = currentReadScope();
    return lockedTransaction(this.pool, WRITE_LOCK, inTx, async (c) =>
      noteCommit(router, scope, await c.commitAt()),
    );
  }
}
