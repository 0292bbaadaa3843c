import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../src/app/context.js';
import { initAdministrator } from '../../src/app/organisations.js';
import { buildServer, type ServerOptions } from '../../src/edges/http/server.js';
import { loadConfig, type ConfigOverrides } from '../../src/main/config.js';
import { openContext } from '../../src/main/runtime.js';
import { dropSchema as dropSchemaAt } from './pg-server.js';

export interface Harness {
  ctx: AppContext;
  app: FastifyInstance;
  adminKey: string;
  dataDir: string;
  /** With `postgres`: the schema in the test database that holds the registry. */
  schema: string | undefined;
  /** JSON request with an optional key; returns status, headers and parsed body. */
  call(
    method: string,
    url: string,
    options?: { key?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    headers: Record<string, unknown>;
    body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  }>;
  close(): Promise<void>;
}

/** What API fixtures need: a way to call the registry and its administrator key (in-process or over HTTP). */
export type Api = Pick<Harness, 'call' | 'adminKey'>;

/** scrypt at 2^10 instead of 2^17: sign-ins in tests take a millisecond, not a fifth of a second. */
export const TEST_PASSWORD_COST = { logN: 10, r: 8, p: 1 };

/** The stores the ledger and log suites run on: each such suite runs once per store. */
export const testStores = [
  { name: 'SQLite', postgres: false },
  { name: 'PostgreSQL', postgres: true },
] as const;

/**
 * The browser journeys (test/e2e) run on SQLite; one of them runs on PostgreSQL too. What differs between the
 * stores is shown by the suites on testStores (the storage contract, the HTTP edge), and a browser journey repeated
 * on PostgreSQL took 15–24 s to find nothing they had not. The one kept shows the console working end to end on
 * the production store through the most store queries: an invitation, sign-in, the to-do, robot search with a
 * filter and a robot's page with its proof bundle, over the demo's data.
 */
export const POSTGRES_BROWSER_JOURNEY = 'test/e2e/console-tasks.test.ts';

/** The stores the browser journey in `file` (its import.meta.url) runs on. */
export function browserStores(file: string) {
  return file.endsWith(`/${POSTGRES_BROWSER_JOURNEY}`)
    ? testStores
    : testStores.filter((store) => !store.postgres);
}

export const testDatabaseUrl =
  process.env.ROBOTID_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * `logSignerKey`: start with this log signing key (two registries signing as one: a split view).
 * `postgres`: the registry on PostgreSQL (a schema of its own in the test database, dropped on close).
 * `database`: database settings of the test's own: with `postgres`, added to it (pool settings); else instead of
 * it (a private cluster from pg-server.ts).
 * `existing`: open the registry already in this data directory (and this schema, on PostgreSQL), say a restored
 * one, without creating an administrator key (adminKey is then ''); both are removed on close all the same.
 * `server`: options of the HTTP edge (say request limits).
 * `publicBaseUrl`: the registry's public URL (default https://registry.test); a browser test gives the address it
 * listens on, which cookies, Origin checks and WebAuthn are bound to.
 */
export async function startHarness(
  options: {
    logSignerKey?: string;
    postgres?: boolean;
    database?: ConfigOverrides;
    existing?: { dataDir: string; schema?: string };
    server?: ServerOptions;
    publicBaseUrl?: string;
  } = {},
): Promise<Harness> {
  const dataDir = options.existing?.dataDir ?? mkdtempSync(join(tmpdir(), 'robotid-test-'));
  if (options.logSignerKey) writeFileSync(join(dataDir, 'log-signer.key'), options.logSignerKey);
  const schema = options.existing
    ? options.existing.schema
    : options.postgres
      ? `robotid_test_${randomBytes(6).toString('hex')}`
      : undefined;
  const database = schema
    ? { databaseUrl: testDatabaseUrl, databaseSchema: schema, ...options.database }
    : (options.database ?? {});
  const ctx = await openContext(
    loadConfig({ dataDir, publicBaseUrl: options.publicBaseUrl ?? 'https://registry.test', ...database }, {}),
    { passwordCostForTests: TEST_PASSWORD_COST },
  );
  const app = await buildServer(ctx, options.server);
  const adminKey = options.existing ? '' : (await initAdministrator(ctx)).key.token;
  return {
    ctx,
    app,
    adminKey,
    dataDir,
    schema,
    async call(method, url, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.key) headers.authorization = `Bearer ${options.key}`;
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(options.body === undefined
          ? {}
          : typeof options.body === 'string'
            ? { payload: options.body }
            : { payload: options.body as object }),
      });
      const type = String(response.headers['content-type'] ?? '');
      const body = type.includes('json') ? response.json() : response.body;
      return { status: response.statusCode, headers: response.headers, body };
    },
    async close() {
      await app.close();
      await ctx.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (schema) await dropSchema(schema);
    },
  };
}

/** Drops a schema of the test database. */
export const dropSchema = (schema: string) => dropSchemaAt(testDatabaseUrl, schema);
