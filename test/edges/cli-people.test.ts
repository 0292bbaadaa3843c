/** `robotid user …` against a running registry, and `robotid admin init --email --name` on a fresh data directory. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ExitCode, exitCodeForStatus } from '../../src/edges/cli/exit-codes.js';
import { buildServer } from '../../src/edges/http/server.js';
import { loadConfig } from '../../src/main/config.js';
import { openContext } from '../../src/main/runtime.js';
import { expectExit, isolatedEnv, runCli, tempHome } from '../support/cli.js';
import { admit } from '../support/fixtures.js';
import { startHarness, TEST_PASSWORD_COST, type Harness } from '../support/harness.js';
import { PASSWORD, totpCode } from '../support/users.js';

const LINK = /(https?:\/\/\S+\/console\/invitations\/([A-Za-z0-9_-]{43}))/;

describe('robotid user and admin init --email', () => {
  let h: Harness;
  let home: string;
  let url: string;
  before(async () => {
    h = await startHarness();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    home = tempHome();
  });
  after(async () => {
    await h.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('an organisation invites, lists, re-roles, unlocks and removes its users', async () => {
    const org = await admit(h, ['seller']);
    const env = isolatedEnv(home, { ROBOTID_URL: url, ROBOTID_API_KEY: org.key });
    const bad = await runCli(['user', 'invite', 'wu@example.cn', '--role', 'boss'], env);
    expectExit(bad, ExitCode.usage);
    const invited = await runCli(['user', 'invite', 'Wu.Lei@Example.CN', '--role', 'reporter'], env);
    expectExit(invited, 0);
    assert.match(invited.stdout, /Invited wu\.lei@example\.cn as reporter/);
    const token = LINK.exec(invited.stdout)?.[2];
    assert.ok(token, invited.stdout);
    const accepted = await h.call('POST', `/v1/invitations/${token}/accept`, {
      body: { name: 'Wu Lei', password: PASSWORD },
    });
    assert.equal(accepted.status, 201);
    const userId = accepted.body.user.id as string;

    const listed = await runCli(['user', 'list'], env);
    expectExit(listed, 0);
    assert.match(listed.stdout, new RegExp(`${userId}\\s+wu\\.lei@example\\.cn\\s+Wu Lei\\s+reporter`));

    const viewer = await runCli(['user', 'set-role', userId, 'viewer'], env);
    expectExit(viewer, 0);
    assert.match(viewer.stdout, /is now viewer/);

    for (let i = 0; i < 5; i++) {
      await h.call('POST', '/v1/session', {
        body: { email: 'wu.lei@example.cn', password: 'x'.repeat(12), totp: '1' },
      });
    }
    const signIn = () =>
      h.call('POST', '/v1/session', {
        body: {
          email: 'wu.lei@example.cn',
          password: PASSWORD,
          totp: totpCode(h, accepted.body.totp.secret),
        },
      });
    assert.equal((await signIn()).status, 429);
    const unlocked = await runCli(['user', 'unlock', userId], env);
    expectExit(unlocked, 0);
    assert.equal((await signIn()).status, 200);

    const removed = await runCli(['--json', 'user', 'remove', userId], env);
    expectExit(removed, 0);
    assert.equal(JSON.parse(removed.stdout).user.id, userId);
    const gone = await runCli(['user', 'remove', userId], env);
    expectExit(gone, ExitCode.notFound);
  });

  test('a locked sign-in has an exit code of its own; other 429s keep theirs', () => {
    assert.equal(exitCodeForStatus(429, 'urn:robotid:problem:sign-in-locked'), ExitCode.locked);
    assert.equal(exitCodeForStatus(429, 'urn:robotid:problem:too-many-requests'), ExitCode.unavailable);
  });

  test('admin init --email --name prints an invitation for the first administrator person', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'robotid-cli-people-'));
    const env = isolatedEnv(home, { ROBOTID_CONFIG: join(home, 'people-config.json') });
    try {
      const half = await runCli(['admin', 'init', '--data-dir', dataDir, '--email', 'a@example.cn'], env);
      expectExit(half, ExitCode.usage);
      const init = await runCli(
        ['admin', 'init', '--data-dir', dataDir, '--email', 'Zhao.Min@Example.CN', '--name', 'Zhao Min'],
        env,
      );
      expectExit(init, 0);
      assert.match(init.stdout, /rid_[a-z2-7]{16}_/, 'the key as before');
      assert.match(init.stdout, /Invited Zhao Min <zhao\.min@example\.cn> as the first administrator person/);
      const token = LINK.exec(init.stdout)?.[2];
      assert.ok(token, init.stdout);

      const ctx = await openContext(loadConfig({ dataDir, publicBaseUrl: 'https://registry.test' }, {}), {
        passwordCostForTests: TEST_PASSWORD_COST,
      });
      const app = await buildServer(ctx);
      try {
        const shown = await app.inject({ method: 'GET', url: `/v1/invitations/${token}` });
        assert.equal(shown.statusCode, 200);
        assert.equal(shown.json().role, 'administrator');
        assert.equal(shown.json().organisation.name, 'Registry operator');
        const accepted = await app.inject({
          method: 'POST',
          url: `/v1/invitations/${token}/accept`,
          payload: { name: 'Zhao Min', password: PASSWORD },
        });
        assert.equal(accepted.statusCode, 201);
        assert.equal(accepted.json().user.role, 'administrator');
      } finally {
        await app.close();
        await ctx.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
