/**
 * The registry's public URL as `robotid serve` and `robotid demo` take it: labels and the log's name follow it,
 * and a registry whose log is named for another URL refuses to start unless told that the log keeps its name
 * (docs/operations.md, "Moving a registry"). Real processes, on both stores.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { DomainError } from '../../src/domain/errors.js';
import { generateSigner } from '../../src/log/note.js';
import { loadConfig, type ConfigOverrides } from '../../src/main/config.js';
import { openContext } from '../../src/main/runtime.js';
import { expectExit, isolatedEnv, runCli, tempHome, type CliResult } from '../support/cli.js';
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
import { decodeQr } from '../support/qr.js';

const HOME_URL = 'https://registry.example.cn';
const HOME_ORIGIN = 'registry.example.cn/tlog';
const MOVED_URL = 'https://robots.example.org/registry';
const MOVED_ORIGIN = 'robots.example.org/registry/tlog';

/** The URL a label's QR code holds, read back as a phone would. */
async function labelUrl(port: number, robotId: string): Promise<string | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/robots/${robotId}/label.png`);
  assert.equal(res.status, 200);
  return decodeQr(PNG.sync.read(Buffer.from(await res.arrayBuffer())));
}

for (const { name, postgres } of testStores) {
  describe(`the public URL names the log and the labels; a registry moved refuses to start unless told (${name})`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'robotid-public-url-'));
    const home = tempHome();
    const schema = postgres ? `robotid_url_${randomBytes(6).toString('hex')}` : undefined;
    const env = isolatedEnv(home, {
      LOG_LEVEL: 'info',
      ...(schema ? { DATABASE_URL: testDatabaseUrl, ROBOTID_DATABASE_SCHEMA: schema } : {}),
    });
    const keyFile = join(dataDir, 'log-signer.key');
    let server: ServerProcess | undefined;
    let adminKey = '';
    let robotId = '';
    let logKey = '';

    /** `robotid serve` with these flags, once ready, as an Api that also knows its port. */
    const start = async (flags: string[], extraEnv: Record<string, string> = {}) => {
      assert.equal(server, undefined, 'one server at a time: the last one was stopped');
      const port = await freePort();
      server = spawnServer(['--data-dir', dataDir, ...flags], port, { ...env, ...extraEnv });
      await waitUntil('the server is ready', () => isReady(port), 60_000);
      return Object.assign(httpApi(port, adminKey), { port });
    };
    const stop = async () => {
      if (server) expectExit({ code: await stopServer(server), stdout: '', stderr: '' }, 0);
      server = undefined;
    };
    /** `robotid serve` that must refuse: it exits by itself (a start would hang until the CLI timeout). */
    const refusedStart = async (flags: string[]): Promise<CliResult> => {
      const port = String(await freePort());
      const result = await runCli(['serve', '--port', port, '--data-dir', dataDir, ...flags], env);
      expectExit(result, 5);
      return result;
    };
    /** The same refusal, in this process (quicker): its message and hints as the CLI prints them. */
    const refusal = async (overrides: ConfigOverrides, environment: NodeJS.ProcessEnv = {}) => {
      const database: ConfigOverrides = schema
        ? { databaseUrl: testDatabaseUrl, databaseSchema: schema }
        : {};
      const config = loadConfig({ dataDir, ...database, ...overrides }, environment);
      const error = await openContext(config, { starts: true }).then(
        async (ctx) => void (await ctx.close()),
        (e: unknown) => e,
      );
      assert.ok(error instanceof DomainError && error.kind === 'conflict', `refused: ${String(error)}`);
      return [error.message, ...error.fields.map((f) => `${f.field}: ${f.message}`)].join('\n');
    };
    const checkpointOrigin = async (port: number) =>
      (await (await fetch(`http://127.0.0.1:${port}/tlog/checkpoint`)).text()).split('\n')[0];

    test('a new registry started with --public-url names its log after it, and its labels decode to it', async () => {
      // A trailing slash is no matter.
      const api = await start(['--public-url', `${HOME_URL}/`]);
      assert.equal(await checkpointOrigin(api.port), HOME_ORIGIN);
      // Maintenance beside it needs no public URL: it neither publishes one nor checks it.
      const init = await runCli(['admin', 'init', '--data-dir', dataDir], env);
      expectExit(init, 0);
      adminKey = /\b(rid_[a-z2-7]{16}_[A-Za-z0-9_-]{43})\b/.exec(init.stdout)![1]!;
      const authorised = httpApi(api.port, adminKey);
      const m = await manufacturerWithModel(authorised);
      const issued = await authorised.call('POST', '/v1/ids', {
        key: m.key,
        body: { model: m.model.code, count: 1 },
      });
      robotId = (issued.body as { ids: string[] }).ids[0]!;
      logKey = await (await fetch(`http://127.0.0.1:${api.port}/v1/log/key`)).text();
      const ready = server!.lines.find((l) => String(l.msg).startsWith('robotid registry ready'));
      assert.equal(ready?.publicUrl, HOME_URL, 'the public URL is printed at start');
      assert.equal(ready?.logOrigin, HOME_ORIGIN);
      assert.equal(await labelUrl(api.port, robotId), `${HOME_URL}/r/${robotId}`);
      await stop();
    });

    after(async () => {
      if (server) await stopServer(server);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
      if (schema) await dropSchema(schema);
    });

    test('started at another public URL, or at the default one, it refuses, naming both names and the way out', async () => {
      const moved = await refusedStart(['--public-url', MOVED_URL]);
      assert.match(moved.stderr, new RegExp(`the log is named "${HOME_ORIGIN}"`));
      assert.match(
        moved.stderr,
        new RegExp(`public URL ${MOVED_URL} \\(--public-url\\) would name it "${MOVED_ORIGIN}"`),
      );
      assert.match(moved.stderr, new RegExp(`ROBOTID_LOG_ORIGIN=${HOME_ORIGIN}`));
      assert.match(
        moved.stderr,
        /if the registry is still reached at registry\.example\.cn, start it with that public URL/,
      );
      const fromEnv = await refusal({}, { ROBOTID_PUBLIC_URL: MOVED_URL });
      assert.match(fromEnv, /\(ROBOTID_PUBLIC_URL\) would name it/);
      const byDefault = await refusal({ port: 8081 });
      assert.match(
        byDefault,
        /http:\/\/localhost:\d+ \(the default, as neither --public-url nor ROBOTID_PUBLIC_URL is set\)/,
      );
    });

    test('told that the log keeps its name, a moved registry serves under the new URL and signs as before', async () => {
      const api = await start(['--public-url', MOVED_URL], { ROBOTID_LOG_ORIGIN: HOME_ORIGIN });
      try {
        assert.equal(await checkpointOrigin(api.port), HOME_ORIGIN);
        assert.equal(await (await fetch(`http://127.0.0.1:${api.port}/v1/log/key`)).text(), logKey);
        assert.equal(await labelUrl(api.port, robotId), `${MOVED_URL}/r/${robotId}`);
        assert.ok(
          server!.lines.some(
            (l) =>
              l.level === 40 &&
              String(l.msg).includes(`the log is named ${HOME_ORIGIN} (ROBOTID_LOG_ORIGIN), not after`),
          ),
          'a warning says the log keeps its old name',
        );
      } finally {
        await stop();
      }
      // A new name for the old log is refused: a new name is a new log.
      const renamed = await refusal({ publicBaseUrl: MOVED_URL }, { ROBOTID_LOG_ORIGIN: MOVED_ORIGIN });
      assert.match(
        renamed,
        new RegExp(`is for origin "${HOME_ORIGIN}", not the configured "${MOVED_ORIGIN}"`),
      );
    });

    test('a data directory without the key that signed the stored log, or with another log’s key, refuses to start', async () => {
      renameSync(keyFile, `${keyFile}.kept`);
      try {
        const missing = await refusal({ publicBaseUrl: MOVED_URL });
        assert.match(
          missing,
          new RegExp(`the store holds a log signed as "${HOME_ORIGIN}", but .*log-signer\\.key`),
        );
        assert.equal(existsSync(keyFile), false, 'no second key is created for the same log');
        writeFileSync(keyFile, `${generateSigner(MOVED_ORIGIN).signerKey}\n`, { mode: 0o600 });
        const other = await refusal({ publicBaseUrl: MOVED_URL });
        assert.match(
          other,
          new RegExp(`checkpoints in the store are signed as "${HOME_ORIGIN}", but the log key`),
        );
      } finally {
        renameSync(`${keyFile}.kept`, keyFile);
      }
    });
  });
}

describe('robotid demo --public-url', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'robotid-demo-url-'));
  const env = isolatedEnv(tempHome());
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('the demo data gets the log origin of the public URL it is given, and a later start must agree', async () => {
    const demo = await runCli(
      ['--json', 'demo', '--data-dir', dataDir, '--robots', '20', '--public-url', HOME_URL],
      env,
    );
    expectExit(demo, 0);
    const summary = JSON.parse(demo.stdout) as { publicUrl: string; logOrigin: string };
    assert.equal(summary.publicUrl, HOME_URL);
    assert.equal(summary.logOrigin, HOME_ORIGIN);
    const again = await runCli(['demo', '--data-dir', dataDir, '--robots', '5', '--force'], env);
    expectExit(again, 5);
    assert.match(again.stderr, new RegExp(`the log is named "${HOME_ORIGIN}"`));
  });
});
