import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { freePort } from './ports.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { atExit } from './reaper.js';

const run = promisify(execFile);
const BIN = process.env.ROBOTID_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** initdb and postgres refuse to run as root: the tools run as the `postgres` OS user when we are root. */
const asPostgres = (tool: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args]]
    : [join(BIN, tool), args];

async function tool(name: string, args: string[]): Promise<void> {
  const [command, argv] = asPostgres(name, args);
  await run(command, argv, { timeout: 60_000 });
}

/** Settings every cluster here needs: loopback only, streaming replication possible. */
const COMMON = [
  '-c listen_addresses=127.0.0.1',
  '-c wal_level=replica',
  '-c max_wal_senders=4',
  '-c hot_standby=on',
  '-c logging_collector=off',
];

/** A throwaway cluster: no durability (nothing outlives the test), small, quick to stop. */
const THROWAWAY = [
  '-c fsync=off',
  '-c synchronous_commit=off',
  '-c full_page_writes=off',
  '-c shared_buffers=16MB',
  '-c max_connections=40',
];

/**
 * A cluster set up as production would be on this machine, for the benchmark: durable commits (fsync, full page
 * writes, synchronous commit), a quarter of the memory as shared buffers, WAL sized for bulk loads, autovacuum on.
 */
const DURABLE = [
  '-c shared_buffers=4GB',
  '-c effective_cache_size=12GB',
  '-c maintenance_work_mem=1GB',
  '-c max_wal_size=16GB',
  '-c checkpoint_timeout=30min',
  '-c wal_compression=on',
  '-c max_connections=100',
];

export interface PgServer {
  port: number;
  /** A connection URL for database `postgres` as the superuser (trust auth). */
  url: string;
  /** Fast shutdown (open sessions are terminated) and start again, on the same port; waits until it answers. */
  restart(): Promise<void>;
  /** Fast shutdown, keeping the files: `start` brings it back on the same port (an outage of the test's length). */
  halt(): Promise<void>;
  /** Starts a halted server again; waits until it answers. */
  start(): Promise<void>;
  /** Stops the server (immediately) and deletes its files; safe to call twice. */
  stop(): Promise<void>;
  /** One SQL statement on a fresh connection. */
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(sql: string): Promise<Row[]>;
}

/**
 * Servers still running, stopped at exit even when a test crashed before its cleanup ran or the runner stopped the
 * file (reaper.ts): the server is a daemon, which ending the test's process would not end.
 */
const running = new Map<string, string[]>();
atExit(() => {
  for (const [dataDir, roots] of running) {
    try {
      const [command, argv] = asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']);
      execFileSync(command, argv, { stdio: 'ignore' });
    } catch {
      // already gone
    }
    removeAll(roots);
  }
});

const removeAll = (roots: string[]) =>
  roots.forEach((root) => rmSync(root, { recursive: true, force: true }));

/**
 * A private PostgreSQL 15 cluster on a free loopback port, in a temporary directory owned by `postgres`.
 * `under`: the directory to make that one in (a small file system, to fill); the WAL then goes to another in the
 * system's temporary directory, since PostgreSQL stops (PANIC) when its WAL cannot grow, where a table that
 * cannot grow fails only the statement (SQLSTATE 53100).
 */
export async function startPgServer(options: { durable?: boolean; under?: string } = {}): Promise<PgServer> {
  const root = privateRoot(options.under);
  const dataDir = join(root, 'data');
  const walRoot = options.under === undefined ? undefined : privateRoot();
  await tool('initdb', [
    '-D',
    dataDir,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
    '--no-locale',
    ...(walRoot === undefined ? [] : [`--waldir=${join(walRoot, 'wal')}`]),
  ]);
  return launch(
    [root, ...(walRoot === undefined ? [] : [walRoot])],
    dataDir,
    options.durable ? DURABLE : THROWAWAY,
  );
}

/** A hot standby of `primary`, streaming from it (pg_basebackup -R writes the recovery settings). */
export async function startStandby(primary: PgServer): Promise<PgServer> {
  const root = privateRoot();
  const dataDir = join(root, 'data');
  await tool('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    dataDir,
    '-R',
    '-X',
    'stream',
    '--checkpoint=fast',
    '--no-sync',
  ]);
  return launch([root], dataDir, THROWAWAY);
}

function privateRoot(under = tmpdir()): string {
  const root = mkdtempSync(join(under, 'robotid-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  return root;
}

/** Starts the cluster in `dataDir`; its socket and log go to the last of `roots`, which all go at `stop`. */
async function launch(roots: string[], dataDir: string, settings: string[]): Promise<PgServer> {
  const home = roots[roots.length - 1]!;
  const port = await freePort();
  const options = `-p ${port} -k ${home} ${[...COMMON, ...settings].join(' ')}`;
  running.set(dataDir, roots);
  const ctl = (...args: string[]) => tool('pg_ctl', ['-D', dataDir, '-l', join(home, 'log'), ...args]);
  try {
    await ctl('-w', '-t', '60', '-o', options, 'start');
  } catch (error) {
    running.delete(dataDir);
    removeAll(roots);
    throw error;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    port,
    url,
    restart: () => ctl('-w', '-t', '60', '-m', 'fast', 'restart'),
    halt: () => ctl('-w', '-t', '60', '-m', 'fast', 'stop'),
    start: () => ctl('-w', '-t', '60', '-o', options, 'start'),
    async stop() {
      if (stopped) return;
      stopped = true;
      await ctl('-m', 'immediate', 'stop').catch(() => undefined);
      running.delete(dataDir);
      removeAll(roots);
    },
    async query<Row extends pg.QueryResultRow>(sql: string) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<Row>(sql)).rows;
      } finally {
        await client.end();
      }
    },
  };
}

/** Drops a schema and all it holds (a test's or a benchmark's registry) on the server at `url`. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
