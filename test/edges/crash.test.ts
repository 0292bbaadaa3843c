import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../support/ports.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { initAdministrator } from '../../src/app/organisations.js';
import { loadConfig } from '../../src/main/config.js';
import { creditCodeCheckCharacter } from '../../src/domain/org/credit-code.js';
import { openContext } from '../../src/main/runtime.js';
import { CLI_ENTRY, isolatedEnv, tempHome } from '../support/cli.js';
import { reaped } from '../support/reaper.js';

/** The registry's public URL: the server is started at the one its log was created for. */
const PUBLIC_URL = 'https://registry.test';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** How long a server may take to answer /healthz: generous, since CI may be loaded. */
const STARTUP_MS = 60_000;

/**
 * The registry as its own process, so that it can be killed like a crashing server. One that does not answer in
 * time is killed before this fails, so that nothing keeps the test file alive.
 */
async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = reaped(
    spawn(
      process.execPath,
      [CLI_ENTRY, 'serve', '--port', String(port), '--data-dir', dataDir, '--public-url', PUBLIC_URL],
      { cwd: root, env: isolatedEnv(tempHome(), { LOG_LEVEL: 'warn' }), stdio: 'ignore' },
    ),
  );
  const deadline = Date.now() + STARTUP_MS;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(
    child.exitCode === null && child.signalCode === null
      ? `server did not answer /healthz within ${STARTUP_MS} ms`
      : `server exited (${child.exitCode ?? child.signalCode}) before it answered`,
  );
}

describe('a server killed in the middle of a batch', () => {
  let dataDir: string;
  let key: string;
  let robots: string[];
  let port: number;
  let server: ChildProcess | undefined;
  const api = (path: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
  const eventCount = () => {
    const db = new Database(join(dataDir, 'robotid.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const batch = (ids: string[]) =>
    ids.map((robotId) => ({
      type: 'manufactured',
      robotId,
      eventTime: new Date(Date.now() - 60_000).toISOString(),
      payload: { productionDate: '2026-11-01', components: [], software: [] },
    }));

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'robotid-crash-'));
    const ctx = await openContext(loadConfig({ dataDir, publicBaseUrl: PUBLIC_URL }, {}));
    const admin = (await initAdministrator(ctx)).key.token;
    await ctx.close();
    port = await freePort();
    server = await startServer(dataDir, port);
    key = admin;
    const reg = '91110000MA0000003';
    const org = (await (
      await api('/v1/organisations', {
        name: 'Crash Robotics',
        roles: ['manufacturer'],
        jurisdiction: 'CN',
        registrationNumber: reg + creditCodeCheckCharacter(reg),
      })
    ).json()) as { id: string };
    key = ((await (await api(`/v1/organisations/${org.id}/keys`, { name: 'k' })).json()) as { token: string })
      .token;
    await api('/v1/models', { code: 'K1K2K3', name: 'Crash', category: 'industrial', capabilityLevel: 'L1' });
    const issued = (await (await api('/v1/ids', { model: 'K1K2K3', count: 40_000 })).json()) as {
      ids: string[];
    };
    robots = issued.ids.map((id) => id.slice(0, 29));
  });
  after(() => {
    server?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('after a restart, each batch is there whole or not at all, and acknowledged ones are all there', async () => {
    const acknowledged = await api('/v1/events', { events: batch(robots.slice(0, 10_000)) });
    assert.equal(acknowledged.status, 201);
    let expectedWhole = 10_000;
    for (const [round, delayMs] of [5, 40, 120].entries()) {
      const ids = robots.slice(10_000 * (round + 1), 10_000 * (round + 2));
      const inFlight = api('/v1/events', { events: batch(ids) }).then(
        (r) => r.status,
        () => 'no answer',
      );
      await new Promise((r) => setTimeout(r, delayMs));
      server!.kill('SIGKILL');
      const answer = await inFlight;
      const count = eventCount();
      assert.ok(
        count === expectedWhole || count === expectedWhole + 10_000,
        `round ${round}: ${count} events`,
      );
      if (answer === 201) assert.equal(count, expectedWhole + 10_000, 'an answered batch is never lost');
      expectedWhole = count;
      server = await startServer(dataDir, port);
    }
    const check = await api(`/v1/robots/${robots[0]}`);
    assert.equal(((await check.json()) as { state: string }).state, 'manufactured');
  });
});
