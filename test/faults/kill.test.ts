import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { initAdministrator } from '../../src/app/organisations.js';
import { loadConfig, type ConfigOverrides } from '../../src/main/config.js';
import { openContext } from '../../src/main/runtime.js';
import { CaptureStream, type BatchOutcome } from '../support/capture-stream.js';
import { expectExit, isolatedEnv, runCli, tempHome } from '../support/cli.js';
import { manufacturerWithModel } from '../support/fixtures.js';
import { dropSchema, testDatabaseUrl, testStores } from '../support/harness.js';
import {
  freePort,
  httpApi,
  isReady,
  spawnServer,
  stopServer,
  waitUntil,
  type ServerProcess,
} from '../support/processes.js';

/** The registry's public URL: the server is started at the one its log was created for. */
const PUBLIC_URL = 'https://registry.test';

/** Kills, each followed by a restart. */
const ROUNDS = 1;
// Enough batches that the stream is still running when it is killed (faster capture once answered all of 2,000
// robots' batches before the kill, and the test found nothing in flight).
const ROBOTS_PER_ROUND = 10_000;
const BATCH = 100;

/**
 * kill -9 while concurrent clients stream captures, then a restart; then every acknowledged batch is
 * stored whole, no batch is stored in part, and `robotid audit` passes. (test/edges/crash.test.ts kills one large
 * batch at chosen moments on SQLite; this is the stream, on both stores.)
 */
for (const { name, postgres } of testStores) {
  describe(`kill -9 during a capture stream (${name})`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'robotid-kill-'));
    const home = tempHome();
    const schema = postgres ? `robotid_kill_${randomBytes(6).toString('hex')}` : undefined;
    const database: ConfigOverrides = schema ? { databaseUrl: testDatabaseUrl, databaseSchema: schema } : {};
    const env = isolatedEnv(home, {
      LOG_LEVEL: 'warn',
      ...(schema ? { DATABASE_URL: testDatabaseUrl, ROBOTID_DATABASE_SCHEMA: schema } : {}),
    });
    let port = 0;
    let admin = '';
    let server: ServerProcess | undefined;

    const start = async () => {
      server = spawnServer(['--data-dir', dataDir, '--public-url', PUBLIC_URL], port, env);
      await waitUntil('the server is ready', () => isReady(port), 60_000);
      return httpApi(port, admin);
    };

    before(async () => {
      const ctx = await openContext(loadConfig({ dataDir, publicBaseUrl: PUBLIC_URL, ...database }, {}));
      admin = (await initAdministrator(ctx)).key.token;
      await ctx.close();
      port = await freePort();
    });
    after(async () => {
      if (server) await stopServer(server);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
      if (schema) await dropSchema(schema);
    });

    test('every acknowledged batch is stored whole, none in part, and the audit passes', async () => {
      let api = await start();
      const maker = await manufacturerWithModel(api);
      const issued = await api.call('POST', '/v1/ids', {
        key: maker.key,
        body: { model: maker.model.code, count: ROUNDS * ROBOTS_PER_ROUND + BATCH },
      });
      const robots = (issued.body as { ids: string[] }).ids.map((id) => id.slice(0, 29));
      const outcomes: BatchOutcome[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const share = robots.slice(round * ROBOTS_PER_ROUND, (round + 1) * ROBOTS_PER_ROUND);
        const stream = new CaptureStream(api, maker.key, share, BATCH, 3);
        await waitUntil('captures are stored', () => stream.answered(201).length >= 2, 30_000);
        server!.child.kill('SIGKILL');
        outcomes.push(...(await stream.stop()));
        await server!.exited;
        api = await start();
      }
      const last = await new CaptureStream(api, maker.key, robots.slice(-BATCH), BATCH, 1).finished();
      assert.deepEqual(
        last.map((o) => o.status),
        [201],
        'captures work after the restarts',
      );
      assert.equal(await stopServer(server!), 0);

      const unanswered = outcomes.filter((o) => o.status === 'no answer');
      assert.ok(unanswered.length > 0, 'batches were in flight when the server was killed');
      for (const o of outcomes) assert.ok(o.status === 201 || o.status === 'no answer', JSON.stringify(o));
      const stored = await storedEventIds(dataDir, database);
      for (const o of [...outcomes, ...last]) {
        const present = o.eventIds.filter((id) => stored.has(id)).length;
        if (o.status === 201)
          assert.equal(present, o.eventIds.length, 'an acknowledged batch is stored whole');
        else assert.ok(present === 0 || present === o.eventIds.length, `a batch stored in part: ${present}`);
      }
      expectExit(await runCli(['audit', '--data-dir', dataDir], env), 0);
    });
  });
}

async function storedEventIds(dataDir: string, database: ConfigOverrides): Promise<Set<string>> {
  const ctx = await openContext(loadConfig({ dataDir, ...database }, {}));
  try {
    const events = await ctx.store.read((r) => r.listEventsBySeq(1, ROUNDS * ROBOTS_PER_ROUND + 2 * BATCH));
    return new Set(events.map((e) => e.eventId));
  } finally {
    await ctx.close();
  }
}
