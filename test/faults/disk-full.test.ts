import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { initAdministrator } from '../../src/app/organisations.js';
import { loadConfig } from '../../src/main/config.js';
import { openContext } from '../../src/main/runtime.js';
import { auditLog } from '../../src/app/log/audit.js';
import { signCheckpoint } from '../../src/app/log/checkpoints.js';
import { parseVerifierKey } from '../../src/log/note.js';
import { CaptureStream, type BatchOutcome } from '../support/capture-stream.js';
import { startPgServer, type PgServer } from '../support/pg-server.js';
import { expectExit, isolatedEnv, runCli, tempHome } from '../support/cli.js';
import { manufacturerWithModel } from '../support/fixtures.js';
import { startHarness, type Api, type Harness } from '../support/harness.js';
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

/** A small tmpfs to fill, or why there is none (mounting needs root and a system that allows it). */
function mountSmallDisk(sizeMb: number): { dir: string } | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: 'mounting a tmpfs needs root' };
  const dir = mkdtempSync(join(tmpdir(), 'robotid-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `mount -t tmpfs failed: ${String((error as Error).message).split('\n')[0]}` };
  }
}

function unmount(dir: string) {
  try {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
  } catch {
    // not mounted (any more)
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Writes a file of 1 MiB blocks until the disk is full; returns its path. */
function fillDisk(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(1024 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return path;
}

const disk = mountSmallDisk(64);
// PostgreSQL's own files take 30 MB of it (its WAL is elsewhere).
const pgDisk = mountSmallDisk(96);
process.on('exit', () => {
  for (const d of [disk, pgDisk]) if ('dir' in d) unmount(d.dir);
});

describe('a full disk under a capture stream (SQLite)', { skip: 'skip' in disk ? disk.skip : false }, () => {
  const dir = 'dir' in disk ? disk.dir : '';
  const dataDir = join(dir, 'data');
  const env = isolatedEnv(tempHome(), { LOG_LEVEL: 'warn' });
  let server: ServerProcess | undefined;
  let key = '';
  let api: Api;
  let robots: string[] = [];

  before(async () => {
    mkdirSync(dataDir);
    const ctx = await openContext(loadConfig({ dataDir, publicBaseUrl: PUBLIC_URL }, {}));
    const admin = (await initAdministrator(ctx)).key.token;
    await ctx.close();
    const port = await freePort();
    server = spawnServer(['--data-dir', dataDir, '--public-url', PUBLIC_URL], port, env);
    await waitUntil('the server is ready', () => isReady(port), 60_000);
    api = httpApi(port, admin);
    const maker = await manufacturerWithModel(api);
    key = maker.key;
    const issued = await api.call('POST', '/v1/ids', {
      key,
      body: { model: maker.model.code, count: 16_000 },
    });
    robots = (issued.body as { ids: string[] }).ids.map((id) => id.slice(0, 29));
  });
  after(async () => {
    if (server) await stopServer(server);
    if ('dir' in disk) unmount(disk.dir);
  });

  test('refused writes are 503 with Retry-After and not stored; acknowledged ones are stored; it recovers', async () => {
    const port = server!.port;
    const stream = new CaptureStream(api, key, robots.slice(0, 14_000), 1000, 2, 50);
    await waitUntil('captures are stored', () => stream.answered(201).length >= 3, 30_000);
    const filler = fillDisk(dir);
    const refusals = () => stream.outcomes.filter((o) => o.status !== 201).length;
    await waitUntil('captures are refused', () => refusals() >= 3, 30_000);
    const readiness = await fetch(`http://127.0.0.1:${port}/readyz`);
    const outcomes = await stream.stop();

    assert.equal(readiness.status, 503, 'not ready while the disk is full');
    assert.equal(((await readiness.json()) as { type: string }).type, 'urn:robotid:problem:storage-full');
    assertRefusedCleanly(outcomes);

    rmSync(filler);
    await waitUntil('ready again once space is freed', () => isReady(port), 10_000);
    const after = await new CaptureStream(api, key, robots.slice(14_000, 16_000), 1000, 1).finished();
    assert.deepEqual(
      after.map((o) => o.status),
      [201, 201],
      'captures work again',
    );
    assert.equal(server!.child.exitCode, null, 'the server survived');
    // (A background write that failed, say a checkpoint's signing, is logged; a request's must not be unhandled.)
    const unhandled = server!.lines.filter((l) => l.msg === 'unhandled error' || l.stderr);
    assert.deepEqual(unhandled, [], 'no unhandled error: the writer thread survived');
    assert.equal(await stopServer(server!), 0);

    assertStoredIfAcknowledged(storedEventIds(join(dataDir, 'robotid.sqlite')), [...outcomes, ...after]);
    expectExit(await runCli(['audit', '--data-dir', dataDir], env), 0);
  });
});

function storedEventIds(file: string): Set<string> {
  const db = new Database(file, { readonly: true });
  try {
    return new Set(
      (db.prepare('SELECT event_id AS id FROM events').all() as { id: string }[]).map((r) => r.id),
    );
  } finally {
    db.close();
  }
}

describe(
  'a full disk under a capture stream (PostgreSQL)',
  { skip: 'skip' in pgDisk ? pgDisk.skip : false },
  () => {
    const dir = 'dir' in pgDisk ? pgDisk.dir : '';
    let cluster: PgServer | undefined;
    let h: Harness | undefined;
    let key = '';
    let robots: string[] = [];

    before(async () => {
      cluster = await startPgServer({ under: dir });
      h = await startHarness({ database: { databaseUrl: cluster.url } });
      const maker = await manufacturerWithModel(h);
      key = maker.key;
      const issued = await h.call('POST', '/v1/ids', {
        key,
        body: { model: maker.model.code, count: 16_000 },
      });
      robots = (issued.body.ids as string[]).map((id) => id.slice(0, 29));
    });
    after(async () => {
      await h?.close();
      await cluster?.stop();
      if ('dir' in pgDisk) unmount(pgDisk.dir);
    });

    test('refused writes are 503 storage-full and not stored; acknowledged ones are stored; it recovers', async () => {
      const registry = h!;
      const stream = new CaptureStream(registry, key, robots.slice(0, 14_000), 1000, 2, 50);
      await waitUntil('captures are stored', () => stream.answered(201).length >= 3, 30_000);
      const filler = fillDisk(dir);
      await waitUntil('captures are refused', () => stream.outcomes.some((o) => o.status !== 201), 30_000);
      const readiness = await registry.call('GET', '/readyz');
      const outcomes = await stream.stop();

      assert.equal(readiness.status, 503, 'not ready while the disk is full');
      assert.equal(readiness.body.type, 'urn:robotid:problem:storage-full');
      assertRefusedCleanly(outcomes);
      rmSync(filler);
      await waitUntil(
        'ready again',
        async () => (await registry.call('GET', '/readyz')).status === 200,
        30_000,
      );
      const after = await new CaptureStream(registry, key, robots.slice(14_000, 16_000), 1000, 1).finished();
      assert.deepEqual(
        after.map((o) => o.status),
        [201, 201],
        'captures work again',
      );

      const events = await registry.ctx.store.read((r) => r.listEventsBySeq(1, robots.length + 10));
      assertStoredIfAcknowledged(new Set(events.map((e) => e.eventId)), [...outcomes, ...after]);
      await signCheckpoint(registry.ctx);
      const audit = await registry.ctx.store.read((r) =>
        auditLog(r, parseVerifierKey(registry.ctx.log.verifierKey)),
      );
      assert.deepEqual(audit.findings, []);
    });
  },
);

/** Every capture not acknowledged was refused as a full disk: 503, a problem document, a retry hint. */
function assertRefusedCleanly(outcomes: BatchOutcome[]) {
  const refused = outcomes.filter((o) => o.status !== 201);
  assert.ok(refused.length > 0);
  for (const o of refused) {
    assert.equal(o.status, 503, JSON.stringify(o));
    assert.equal(o.type, 'urn:robotid:problem:storage-full');
    assert.match(String(o.contentType), /^application\/problem\+json/);
    assert.ok(Number(o.retryAfter) > 0, 'a retry hint');
  }
}

/** An acknowledged batch is stored whole; a refused one not at all. */
function assertStoredIfAcknowledged(stored: Set<string>, outcomes: BatchOutcome[]) {
  for (const o of outcomes) {
    const present = o.eventIds.filter((id) => stored.has(id)).length;
    assert.equal(present, o.status === 201 ? o.eventIds.length : 0, `a batch answered ${o.status}`);
  }
}
