import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { DomainError } from '../../domain/errors.js';
import type { Reader, Store, Tx } from '../store.js';
import type { RawLoader, RawReader, RawTables } from '../tables.js';
import { Connection, lockedTransaction, typeParsers } from './connection.js';
import { migrate } from './migrations.js';
import * as orgs from './organisations.js';
import * as keys from './api-keys.js';
import * as models from './models.js';
import * as robots from './robots.js';
import * as audit from './audit.js';
import * as events from './events.js';
import * as search from './robot-search.js';
import * as grants from './service-authorisations.js';
import * as log from './log.js';
import { rawLoaderOn, rawReaderOn } from './raw-tables.js';

function readerOn(c: Connection): Reader {
  return {
    getOrganisation: async (id) => orgs.getOrganisation(c, id),
    findOrganisationByRegistration: async (j, n) => orgs.findOrganisationByRegistration(c, j, n),
    findOrganisationByEnterpriseCode: async (code) => orgs.findOrganisationByEnterpriseCode(c, code),
    listOrganisations: async (filter, page) => orgs.listOrganisations(c, filter, page),
    hasAdminKey: async () => orgs.hasAdminKey(c),
    getApiKey: async (id) => keys.getApiKey(c, id),
    listApiKeys: async (orgId) => keys.listApiKeys(c, orgId),
    getModel: async (e, code) => models.getModel(c, e, code),
    listModels: async (e, page) => models.listModels(c, e, page),
    getRobot: async (id) => robots.getRobot(c, id),
    existingRobotIds: async (ids) => robots.existingRobotIds(c, ids),
    findIssuanceByRequest: async (orgId, requestId) => robots.findIssuanceByRequest(c, orgId, requestId),
    listIssuedIds: async (issuanceId) => robots.listIssuedIds(c, issuanceId),
    getRobotStatus: async (robotId) => events.getRobotStatus(c, robotId),
    findEvent: async (robotId, eventId) => events.findEvent(c, robotId, eventId),
    findFittedComponent: async (part, serial) => search.findFittedComponent(c, part, serial),
    findRobots: async (filter, page) => search.findRobots(c, filter, page),
    listEvents: async (robotId) => events.listEvents(c, robotId),
    listLateEvents: async (orgId, page) => events.listLateEvents(c, orgId, page),
    listServiceAuthorisations: async (robotId) => grants.listServiceAuthorisations(c, robotId),
    isAuthorisedForService: async (robotId, orgId, grantedBy, at) =>
      grants.isAuthorisedForService(c, robotId, orgId, grantedBy, at),
    countAudit: async (filter) => audit.countAudit(c, filter),
    logSize: async () => log.logSize(c),
    readLogTiles: async (keys) => log.readLogTiles(c, keys),
    listEventsBySeq: async (from, to) => events.listEventsBySeq(c, from, to),
    latestCheckpoint: async () => log.latestCheckpoint(c),
    getCheckpoint: async (size) => log.getCheckpoint(c, size),
    listCheckpoints: async (page) => log.listCheckpoints(c, page),
    listCosignatures: async (size) => log.listCosignatures(c, size),
  };
}

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
    ...readerOn(c),
    savepoint: async (work) => {
      depth++;
      try {
        return await inSavepoint(c, `unit${depth}`, work);
      } finally {
        depth--;
      }
    },
    nextCounter: async (name) => orgs.nextCounter(c, name),
    insertOrganisation: async (org) => orgs.insertOrganisation(c, org),
    insertApiKey: async (key) => keys.insertApiKey(c, key),
    revokeApiKey: async (id, at) => keys.revokeApiKey(c, id, at),
    touchApiKey: async (id, at) => keys.touchApiKey(c, id, at),
    insertModel: async (m) => models.insertModel(c, m),
    reserveSerials: async (e, m, n) => models.reserveSerials(c, e, m, n),
    insertIssuance: async (i) => robots.insertIssuance(c, i),
    insertRobots: async (issuanceId, ids) => robots.insertRobots(c, issuanceId, ids),
    insertAudit: async (e) => audit.insertAudit(c, e),
    insertEvents: async (es) => events.insertEvents(c, es),
    putRobotStatus: async (robotId, status, lastSeq) => search.putRobotStatus(c, robotId, status, lastSeq),
    recordComponentChanges: async (changes) => search.recordComponentChanges(c, changes),
    insertServiceAuthorisation: async (a) => grants.insertServiceAuthorisation(c, a),
    revokeServiceAuthorisation: async (id, at) => grants.revokeServiceAuthorisation(c, id, at),
    putSoftware: async (robotId, software) => search.putSoftware(c, robotId, software),
    insertCheckpoint: async (checkpoint) => log.insertCheckpoint(c, checkpoint),
    putCosignature: async (cosignature) => log.putCosignature(c, cosignature),
  };
}

/** SQLSTATEs of a transaction that lost a race, or of a server at its connection limit: retry shortly. */
const BUSY = new Set(['40001', '40P01', '55P03', '53300']);
/** SQLSTATEs of a server restarting or shutting down (class 08 is tested apart: connection exceptions). */
const GOING_AWAY = new Set(['57P01', '57P02', '57P03']);
/** Socket errors on the way to the server. */
const NO_ROUTE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Transient database conditions become 503s, as SQLITE_BUSY does in the SQLite adapter; the rest pass through. */
function transientAsUnavailable(error: unknown): unknown {
  if (error instanceof pg.DatabaseError && error.code !== undefined) {
    if (BUSY.has(error.code))
      return new DomainError('unavailable', 'store-busy', 'the database is busy; retry shortly');
    if (error.code.startsWith('08') || GOING_AWAY.has(error.code)) return unreachable();
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && NO_ROUTE.has(code)) return unreachable();
  return error;
}

const unreachable = () =>
  new DomainError('unavailable', 'store-unreachable', 'the database cannot be reached; retry shortly');

/** Key of the advisory lock that serialises units of work across processes. */
const WRITE_LOCK = 7_243_100_001;

export interface PostgresOptions {
  /** Schema that holds the tables (created on first use); else the connection's own search_path decides. */
  schema?: string;
  /** Connections in the pool (pg's default: 10). A unit of work that also calls `store.read` holds two at once. */
  poolSize?: number;
}

/**
 * The client–server store: a pool of connections. Units of work are serialised, as SQLite's single writer does,
 * by a transaction-scoped advisory lock taken first thing in each: across every process that shares the database,
 * so that event seqs stay contiguous and each log append starts where the last one ended. Within a process they
 * also queue here, so that waiting units of work hold one connection between them, not one each (were the pool
 * drained by waiters, a unit of work that reads through `store.read` would wait for them, and they for it).
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

  private constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string | undefined,
  ) {
    this.reader = readerOn(new Connection(pool));
  }

  static open(url: string, options: PostgresOptions = {}): PostgresStore {
    const { schema, poolSize } = options;
    // The name goes into SQL and the connection's options string unquoted: only plain identifiers are accepted.
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new Error(`schema name '${schema}' must be lower-case letters, digits and underscores`);
    const pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      types: typeParsers,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    });
    // An idle connection that drops reports here; the pool has discarded it already and the next query reconnects.
    pool.on('error', () => undefined);
    return new PostgresStore(pool, schema);
  }

  async write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    // A unit of work that opens another would wait for itself forever (the lock is held by the outer one).
    if (this.insideWrite.getStore())
      throw new Error('store.write called inside a unit of work: use the tx you were given');
    try {
      await this.ready();
      return await this.inWritersTurn(() => this.transaction(work));
    } catch (error) {
      throw transientAsUnavailable(error);
    }
  }

  async read<T>(work: (reader: Reader) => Promise<T>): Promise<T> {
    try {
      await this.ready();
      return await work(this.reader);
    } catch (error) {
      throw transientAsUnavailable(error);
    }
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

  async ping(): Promise<boolean> {
    await this.ready();
    return (await this.pool.query('SELECT 1 AS ok')).rowCount === 1;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.migrated?.catch(() => undefined);
    await this.pool.end();
  }

  /** Applies the migrations on first use; shared by the calls that wait for it, dropped if it fails. */
  private ready(): Promise<void> {
    this.migrated ??= migrate(this.pool, this.schema).catch((error: unknown) => {
      this.migrated = null;
      throw error;
    });
    return this.migrated;
  }

  /** Runs `work` after this process's earlier units of work have ended. */
  private inWritersTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** The unit of work in a transaction of its own, under the writers' lock. */
  private transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return lockedTransaction(this.pool, WRITE_LOCK, (c) => this.insideWrite.run(true, () => work(txOn(c))));
  }
}
