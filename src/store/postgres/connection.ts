import pg from 'pg';
import type { CustomTypesConfig, QueryResultRow } from 'pg';
import type { Db, RunResult } from '../sql/db.js';
import { numberPlaceholders, postgresDialect } from './dialect.js';

const INT8_OID = 20;

/** BIGINT as a JS number, like SQLite's INTEGER: seqs and sizes stay far below 2^53, and a value past it is a bug. */
function parseBigint(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`BIGINT ${text} does not fit a JS number`);
  return value;
}

/** The pool's own type parsers (BIGINT as number), leaving pg's global ones alone for other pools in the process. */
export const typeParsers: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseBigint
      : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

/** Fixed SQL texts get a statement name, so that each pooled session parses and plans them once. */
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `robotid_${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** A pool (autocommit reads) or one client (inside a unit of work); `Db` for queries written once. */
export class Connection implements Db {
  readonly dialect = postgresDialect;
  /** The last query sent on a single client: the next one waits for it (see `inTurn`). */
  private last: Promise<unknown> = Promise.resolve();

  constructor(readonly db: pg.Pool | pg.PoolClient) {}

  /** Rows of a fixed SQL text (a prepared statement). */
  async rows<Row extends QueryResultRow>(sql: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.inTurn(() => this.db.query<Row>({ name: statementName(sql), text: sql, values })))
      .rows;
  }

  /** Rows of SQL built for this one call (a search's filters): not prepared, so as not to pile up statements. */
  async adHocRows<Row extends QueryResultRow>(sql: string, values: unknown[]): Promise<Row[]> {
    return (await this.inTurn(() => this.db.query<Row>(sql, values))).rows;
  }

  /**
   * A client runs one query at a time. Use cases may ask for two at once (Promise.all over a unit of work's reads);
   * pg queued those itself but deprecates it (pg 9 refuses it), so they are sent one after the other here. A pool
   * hands concurrent queries to different clients and needs no turn.
   */
  private inTurn<T>(send: () => Promise<T>): Promise<T> {
    if (this.db instanceof pg.Pool) return send();
    const result = this.last.then(send, send);
    this.last = result.catch(() => undefined);
    return result;
  }

  // Db: queries written once use `?` placeholders.
  all<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.rows<Row & QueryResultRow>(numberPlaceholders(sql), params as unknown[]);
  }

  async get<Row>(sql: string, params: readonly unknown[] = []): Promise<Row | undefined> {
    return (await this.all<Row>(sql, params))[0];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<RunResult> {
    const text = numberPlaceholders(sql);
    const result = await this.inTurn(() =>
      this.db.query({ name: statementName(text), text, values: params as unknown[] }),
    );
    return { changes: result.rowCount ?? 0 };
  }

  adHoc<Row>(sql: string, params: readonly unknown[]): Promise<Row[]> {
    return this.adHocRows<Row & QueryResultRow>(numberPlaceholders(sql), params as unknown[]);
  }

  async row<Row extends QueryResultRow>(sql: string, values: unknown[] = []): Promise<Row | undefined> {
    return (await this.rows<Row>(sql, values))[0];
  }

  /** A statement without parameters or results, sent as is: transaction control (SAVEPOINT, COMMIT…). */
  async exec(sql: string): Promise<void> {
    await this.inTurn(() => this.db.query(sql));
  }

  /**
   * COMMIT, and the WAL position right after it on this session (past the commit record): a standby that has
   * replayed that far shows the commit. One round trip (a multi-statement simple query).
   */
  async commitAt(): Promise<string> {
    const results = (await this.inTurn(() =>
      this.db.query('COMMIT; SELECT pg_current_wal_insert_lsn()::text AS lsn'),
    )) as unknown as pg.QueryResult<{ lsn: string }>[];
    return results[1]!.rows[0]!.lsn;
  }
}

/**
 * The key of an advisory lock named by parameter $1 within the schema in use: registries in other schemas of the
 * same database neither wait for each other nor share leaders. (A schema not created yet has no current_schema():
 * every process migrating it then takes the same key, the empty name's.)
 */
export const schemaLockKey = "hashtextextended($1 || ':' || coalesce(current_schema(), ''), 0)";

/**
 * BEGIN, the advisory lock named `lock` (in this schema, see schemaLockKey) (held until the transaction ends), `work`, `commit` (COMMIT unless told
 * otherwise); ROLLBACK if anything fails.
 * The client goes back to the pool, or is destroyed if even ROLLBACK failed: its session is in an unknown state.
 */
export async function lockedTransaction<T>(
  pool: pg.Pool,
  lock: string,
  work: (c: Connection) => Promise<T>,
  commit: (c: Connection) => Promise<unknown> = (c) => c.exec('COMMIT'),
): Promise<T> {
  const client = await pool.connect();
  const c = new Connection(client);
  let broken: Error | undefined;
  // The server may end the session between two statements (a restart): pg then emits 'error' on the client, which
  // the pool only listens for while the client is idle; unheard, it would crash the process. The next statement
  // fails on its own ("not queryable"), so noting it suffices, and the client is destroyed on release.
  const lost = (error: Error) => (broken = error);
  client.on('error', lost);
  try {
    await c.exec('BEGIN');
    await c.run(`SELECT pg_advisory_xact_lock(${schemaLockKey})`, [lock]);
    const result = await work(c);
    await commit(c);
    return result;
  } catch (error) {
    await c.exec('ROLLBACK').catch((failure: unknown) => {
      broken = failure instanceof Error ? failure : new Error(String(failure));
    });
    throw error;
  } finally {
    client.off('error', lost);
    client.release(broken);
  }
}
