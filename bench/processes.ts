/**
 * Capture with several registry processes on one PostgreSQL database (issue 5: two processes at least 1.5 × one):
 * `robotid serve` processes on one schema, each fed by a load generator of its own with robots of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../test/support/ports.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initAdministrator } from '../src/app/organisations.js';
import { loadConfig } from '../src/main/config.js';
import { startThread } from '../src/lib/threads.js';
import { openContext } from '../src/main/runtime.js';
import type { ClientReport, ClientSetup } from './capture-client.js';
import { dropSchema } from '../test/support/pg-server.js';
import { benchSchemaName, enrolBenchManufacturer } from './registry.js';

const EVENTS_PER_ROBOT = 5;
// As an operator starts it: the compiled registry (npm run bench builds it first).
const cli = fileURLToPath(new URL('../bin/robotid.js', import.meta.url));

async function untilReady(base: string, server: ChildProcess): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 200) {
    if (server.exitCode !== null) throw new Error(`registry process exited with ${server.exitCode}`);
    const ok = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${base} not ready after a minute`);
}

/** A `robotid serve` process on the database, as an operator would start it. */
async function startServer(env: NodeJS.ProcessEnv) {
  const port = await freePort();
  const server = spawn(
    process.execPath,
    ['--max-semi-space-size=256', cli, 'serve', '--port', String(port)],
    { env: { ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const base = `http://127.0.0.1:${port}`;
  await untilReady(base, server);
  return { base, server };
}

function capture(setup: ClientSetup): Promise<{ events: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const client = startThread(import.meta.url, 'capture-client', setup);
    client.on('message', (report: ClientReport) => {
      if ('done' in report) resolve(report.done);
      else if ('failed' in report) reject(new Error(report.failed));
    });
    client.on('error', reject);
  });
}

/** Events per second with `processes` registry processes capturing `events` events into a fresh schema. */
export async function benchProcesses(options: { postgresUrl: string; processes: number; events: number }) {
  const schema = benchSchemaName();
  const dataDir = mkdtempSync(join(tmpdir(), 'robotid-bench-processes-'));
  const env = {
    ...process.env,
    DATABASE_URL: options.postgresUrl,
    ROBOTID_DATABASE_SCHEMA: schema,
    ROBOTID_DATA_DIR: dataDir,
    // The processes serve one registry behind one address: its log's name comes from it, the same for all (a
    // process whose own default, http://localhost:<its port>, named another log would refuse to start).
    ROBOTID_PUBLIC_URL: 'http://localhost:8080',
  };
  // The schema, its administrator and the log key, made once before the processes share them.
  const setup = await openContext(loadConfig({ dataDir }, env));
  const admin = (await initAdministrator(setup)).key.token;
  await setup.close();
  const servers: { base: string; server: ChildProcess }[] = [];
  try {
    for (let i = 0; i < options.processes; i++) servers.push(await startServer(env));
    const { key, issue } = await enrolBenchManufacturer(servers[0]!.base, admin);
    const robots = await issue(Math.ceil(options.events / EVENTS_PER_ROBOT));
    const share = Math.ceil(robots.length / servers.length);
    const runs = await Promise.all(
      servers.map(({ base }, i) =>
        capture({
          base,
          key,
          robots: robots.slice(i * share, (i + 1) * share),
          every: Number.MAX_SAFE_INTEGER,
          inFlight: 2,
          firstRobot: i * share,
        }),
      ),
    );
    const events = runs.reduce((sum, r) => sum + r.events, 0);
    const seconds = Math.max(...runs.map((r) => r.seconds));
    return { processes: options.processes, events, eventsPerSecond: Math.round(events / seconds) };
  } finally {
    for (const { server } of servers) server.kill('SIGTERM');
    await Promise.all(
      servers.map(({ server }) =>
        server.exitCode === null ? new Promise((resolve) => server.once('exit', resolve)) : undefined,
      ),
    );
    await dropSchema(options.postgresUrl, schema);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
