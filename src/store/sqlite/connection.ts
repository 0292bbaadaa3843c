import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { Db, RunResult } from '../sql/db.js';
import { sqliteDialect, sqliteParams } from './dialect.js';

/** A better-sqlite3 connection with its prepared statements cached by SQL text; `Db` for queries written once. */
export class Connection implements Db {
  readonly dialect = sqliteDialect;
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Database.Database) {}

  /**
   * `readonly`: sees committed data only. `checkpointOnly`: a connection that only runs checkpoints (none of the
   * writer's settings). Otherwise a writer; `cacheMb` sizes its page cache.
   */
  static open(
    file: string,
    options: { readonly?: boolean; checkpointOnly?: boolean; busyTimeoutMs?: number; cacheMb?: number } = {},
  ): Connection {
    const db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // SQLite's lower() folds ASCII only; searches ignore case in every script, as PostgreSQL's lower() does.
    db.function('unicode_lower', { deterministic: true }, (text: unknown) =>
      typeof text === 'string' ? text.toLowerCase() : text,
    );
    if (!options.readonly && !options.checkpointOnly) {
      db.pragma('journal_mode = WAL');
      // FULL: a commit is on disk before we answer; nothing accepted is lost to a power cut.
      db.pragma('synchronous = FULL');
      // Checkpoint the WAL every ~40 MB instead of every 4 MB: a checkpoint fsyncs the database file, and doing it
      // ten times as often roughly halves bulk-insert throughput.
      db.pragma('wal_autocheckpoint = 10000');
      db.pragma('foreign_keys = ON');
      // A page changed several times in one transaction is written to the WAL once if it stays in the cache, once
      // per eviction if not: a cache that holds a batch's working set writes a third fewer bytes.
      if (options.cacheMb) db.pragma(`cache_size = -${options.cacheMb * 1024}`);
    }
    return new Connection(db);
  }

  stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  // Db: better-sqlite3 answers synchronously; the promise is only the interface's shape.
  async all<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.stmt(sql).all(...sqliteParams(params)) as Row[];
  }

  async get<Row>(sql: string, params: readonly unknown[] = []): Promise<Row | undefined> {
    return this.stmt(sql).get(...sqliteParams(params)) as Row | undefined;
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<RunResult> {
    return { changes: this.stmt(sql).run(...sqliteParams(params)).changes };
  }

  async adHoc<Row>(sql: string, params: readonly unknown[]): Promise<Row[]> {
    return this.db.prepare(sql).all(...sqliteParams(params)) as Row[];
  }
}
