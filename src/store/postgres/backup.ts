/**
 * Backup of a registry's PostgreSQL schema with pg_dump (custom format), restore with pg_restore. The dump runs
 * on a snapshot this module exports and holds open: the log size and checkpoint written in the manifest are those
 * of the very data dumped, however busy the registry is meanwhile.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { DomainError } from '../../domain/errors.js';
import type { BackupContents, StoreBackups } from '../backups.js';
import { reads as log } from '../log/queries.js';
import { Connection, typeParsers } from './connection.js';
import { PostgresStore } from './index.js';

const DUMP_FILE = 'robotid.pgdump';

/** `name` (pg_dump, pg_restore) on PATH, else the newest /usr/lib/postgresql/<version>/bin holding it. */
export function findPostgresTool(
  name: string,
  path = process.env.PATH ?? '',
  root = '/usr/lib/postgresql',
): string {
  for (const dir of path.split(delimiter).filter((d) => d.length > 0))
    if (existsSync(join(dir, name))) return join(dir, name);
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] !== undefined) return join(root, versions[0], 'bin', name);
  throw new DomainError(
    'unavailable',
    'tool-missing',
    `${name} was not found on PATH nor in ${root}/*/bin: install the PostgreSQL client tools (Debian: postgresql-client, the server's major version or newer)`,
  );
}

/** Runs a PostgreSQL tool; a non-zero exit becomes an error carrying its stderr. */
function runTool(tool: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(findPostgresTool(tool), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const message = Buffer.concat(stderr).toString('utf8').trim();
      reject(new DomainError('unavailable', `${tool}-failed`, `${tool} exited with ${code}: ${message}`));
    });
  });
}

/** One session for this module's own queries, with the registry's schema on its search_path. */
async function session<T>(url: string, schema: string | undefined, work: (c: Connection) => Promise<T>) {
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    types: typeParsers,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      return await work(new Connection(client));
    } finally {
      client.release(true);
    }
  } finally {
    await pool.end();
  }
}

async function contentsOf(c: Connection): Promise<Omit<BackupContents, 'files'>> {
  const version = await c.row<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
  const schema = await c.row<{ s: string }>('SELECT current_schema() AS s');
  const checkpoint = await log.latestCheckpoint(c);
  return {
    schemaVersion: version!.v,
    logSize: await log.logSize(c),
    checkpoint: checkpoint && { size: checkpoint.size, rootHash: checkpoint.rootHash },
    schema: schema!.s,
  };
}

/** How many relations (tables, sequences…) the schema holds; null if it does not exist. */
async function relationsIn(c: Connection, schema: string): Promise<number | null> {
  const row = await c.row<{ n: number | null }>(
    `SELECT (SELECT count(*)::integer FROM pg_class WHERE relnamespace = n.oid) AS n
     FROM pg_namespace n WHERE nspname = $1`,
    [schema],
  );
  return row ? row.n : null;
}

/** The dump's table of contents without the schema's own entries: for restoring into a schema that exists. */
async function listWithoutSchemaEntry(file: string, schema: string, listFile: string): Promise<void> {
  const toc = await new Promise<string>((resolve, reject) => {
    const child = spawn(findPostgresTool('pg_restore'), ['-l', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`pg_restore -l: ${code}`)),
    );
  });
  const schemaEntry = new RegExp(`^\\d+; \\d+ \\d+ (SCHEMA|COMMENT) - (SCHEMA )?${schema} `);
  writeFileSync(
    listFile,
    toc
      .split('\n')
      .filter((line) => !schemaEntry.test(line))
      .join('\n'),
  );
}

export function postgresBackups(url: string, schema: string | undefined): StoreBackups {
  const location = schema ? `${url} (schema ${schema})` : url;
  return {
    kind: 'postgres',
    location,
    async dump(dir) {
      return session(url, schema, async (c) => {
        await c.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const snapshot = (await c.row<{ id: string }>('SELECT pg_export_snapshot() AS id'))!.id;
        const exists = await c.row<{ ok: boolean }>("SELECT to_regclass('log_state') IS NOT NULL AS ok");
        if (!exists?.ok)
          throw new DomainError('not_found', 'no-registry', `there is no registry in ${location}`);
        const contents = await contentsOf(c);
        await runTool('pg_dump', [
          '--format=custom',
          `--snapshot=${snapshot}`,
          `--schema=${contents.schema!}`,
          `--file=${join(dir, DUMP_FILE)}`,
          url,
        ]);
        await c.exec('COMMIT');
        return { ...contents, files: [DUMP_FILE] };
      });
    },
    async restore(dir, contents) {
      const target = await session(url, schema, async (c) => {
        const current = (await c.row<{ s: string | null }>('SELECT current_schema() AS s'))?.s;
        const name = schema ?? current ?? 'public';
        return { name, relations: await relationsIn(c, name) };
      });
      if (target.name !== contents.schema)
        throw new DomainError(
          'invalid',
          'schema-differs',
          `the backup is of schema ${contents.schema}; restore it into that schema (ROBOTID_DATABASE_SCHEMA=${contents.schema}), not ${target.name}`,
        );
      if (target.relations !== null && target.relations > 0)
        throw new DomainError(
          'invalid',
          'registry-exists',
          `schema ${target.name} already holds ${target.relations} tables or other relations: restore only into an empty or new schema`,
        );
      const file = join(dir, DUMP_FILE);
      const args = ['--exit-on-error', '--single-transaction', '--no-owner', `--dbname=${url}`];
      if (target.relations === null) return runTool('pg_restore', [...args, file]);
      // The schema exists, empty (public always does): restoring its CREATE SCHEMA would fail.
      const scratch = mkdtempSync(join(tmpdir(), 'robotid-restore-'));
      try {
        const listFile = join(scratch, 'restore.list');
        await listWithoutSchemaEntry(file, target.name, listFile);
        await runTool('pg_restore', [...args, `--use-list=${listFile}`, file]);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
    open: () => PostgresStore.open(url, schema === undefined ? {} : { schema }),
  };
}
