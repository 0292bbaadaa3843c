/** The `--from` / `--to` of `robotid migrate-store`: where a registry's database is. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { usageError } from '../exit-codes.js';

export interface SqliteLocation {
  kind: 'sqlite';
  /** The database file. */
  file: string;
  /** The log signing key beside it. */
  keyFile: string;
}

export interface PostgresLocation {
  kind: 'postgres';
  /** The connection URL without the `schema` parameter (libpq would refuse it). */
  url: string;
  schema: string | undefined;
}

const SQLITE_HELP = 'expected sqlite:<data directory or .sqlite file>, e.g. sqlite:./data';
const POSTGRES_HELP = 'expected postgres://user@host:port/database[?schema=name]';

/** `sqlite:<data dir>` or `sqlite:<file>`; the database must exist. */
export function parseSqliteLocation(text: string): SqliteLocation {
  if (!text.startsWith('sqlite:')) throw usageError(`--from ${text}: not a SQLite location`, [SQLITE_HELP]);
  if (text.length === 'sqlite:'.length) throw usageError('--from sqlite: names no path', [SQLITE_HELP]);
  // sqlite:///abs/path as well as sqlite:/abs/path and sqlite:relative/path.
  const path = resolve(text.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''));
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'robotid.sqlite') : path;
  if (!existsSync(file) || !statSync(file).isFile())
    throw usageError(`--from ${text}: there is no registry database at ${file}`, [SQLITE_HELP]);
  return { kind: 'sqlite', file, keyFile: join(dirname(file), 'log-signer.key') };
}

/** `postgres://…` or `postgresql://…`, with an optional `schema` query parameter (a plain lower-case name). */
export function parsePostgresLocation(text: string): PostgresLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(`--to ${text}: not a URL`, [POSTGRES_HELP]);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw usageError(`--to ${text}: not a PostgreSQL URL (only SQLite to PostgreSQL is supported)`, [
      POSTGRES_HELP,
    ]);
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw usageError(`--to: schema name '${schema}' must be lower-case letters, digits and underscores`, [
      POSTGRES_HELP,
    ]);
  url.searchParams.delete('schema');
  return { kind: 'postgres', url: url.toString(), schema };
}
