import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initAdministrator } from '../src/app/organisations.js';
import { loadConfig } from '../src/main/config.js';
import { creditCodeCheckCharacter } from '../src/domain/org/credit-code.js';
import { buildServer } from '../src/edges/http/server.js';
import { openContext } from '../src/main/runtime.js';
import { dropSchema } from '../test/support/pg-server.js';
import pg from 'pg';

/**
 * A fresh registry on loopback (on PostgreSQL at `postgresUrl`, in a schema of its own, if given), as `robotid serve` runs it (writer thread started), with one manufacturer, its
 * key and model B1B2B3: what every benchmark starts from. `close` removes it.
 */
export async function benchRegistry(
  name: string,
  options: { withoutLog?: boolean; postgresUrl?: string } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), `robotid-bench-${name}-`));
  const { postgresUrl } = options;
  const schema = postgresUrl ? benchSchemaName() : undefined;
  const database = schema ? { databaseUrl: postgresUrl, databaseSchema: schema } : {};
  const ctx = await openContext(loadConfig({ dataDir, ...database }, {}), {
    startThreads: true,
    withoutLogForBenchmark: options.withoutLog === true,
  });
  const app = await buildServer(ctx);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const close = async () => {
    await app.close();
    await ctx.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (postgresUrl && schema) await dropSchema(postgresUrl, schema);
  };
  try {
    const admin = (await initAdministrator(ctx)).key.token;
    const { key, call, issue } = await enrolBenchManufacturer(base, admin);
    /** Bytes the store takes on disk now: SQLite's files, or the PostgreSQL schema's tables with their indexes. */
    const storeBytes = () =>
      postgresUrl && schema ? schemaBytes(postgresUrl, schema) : Promise.resolve(directoryBytes(dataDir));
    return { ctx, base, key, call, issue, close, dataDir, storeBytes, adminKey: admin };
  } catch (error) {
    await close();
    throw error;
  }
}

const directoryBytes = (dir: string) =>
  readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);

async function schemaBytes(url: string, schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string }>(
      `SELECT sum(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    );
    return Number(rows[0]!.bytes);
  } finally {
    await client.end();
  }
}

/** A fresh schema name for a run on PostgreSQL. */
export const benchSchemaName = () => `robotid_bench_${randomBytes(4).toString('hex')}`;

/** A JSON call to a registry at `base` with an API key; throws on an error status. */
export function caller(base: string) {
  return async (
    method: string,
    path: string,
    key: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(base + path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${(await res.text()).slice(0, 500)}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
}

/**
 * Through the API of the registry at `base`, as its administrator: one manufacturer, its key and model B1B2B3.
 * `issue(count)` issues IDs of that model and returns them in canonical form.
 */
export async function enrolBenchManufacturer(base: string, adminKey: string) {
  const call = caller(base);
  const reg = '91110000MA0000002';
  const org = await call('POST', '/v1/organisations', adminKey, {
    name: 'Bench Humanoids',
    roles: ['manufacturer'],
    jurisdiction: 'CN',
    registrationNumber: reg + creditCodeCheckCharacter(reg),
  });
  const key = (await call('POST', `/v1/organisations/${org.id}/keys`, adminKey, { name: 'bench' }))
    .token as string;
  await call('POST', '/v1/models', key, {
    code: 'B1B2B3',
    name: 'Bench',
    category: 'industrial',
    capabilityLevel: 'L2',
  });
  const issue = async (count: number) => {
    const ids: string[] = [];
    while (ids.length < count) {
      const issued = await call('POST', '/v1/ids', key, {
        model: 'B1B2B3',
        count: Math.min(100_000, count - ids.length),
      });
      for (const id of issued.ids as string[]) ids.push(id.slice(0, 29));
    }
    return ids;
  };
  return { key, call, issue };
}
