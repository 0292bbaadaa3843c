import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { freePort } from '../support/ports.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { initAdministrator } from '../../src/app/organisations.js';
import { loadConfig } from '../../src/main/config.js';
import { formatRobotId } from '../../src/domain/id/index.js';
import { buildServer } from '../../src/edges/http/server.js';
import { openContext } from '../../src/main/runtime.js';
import { expectExit, isolatedEnv, runCli, tempHome } from '../support/cli.js';
import { creditCode, manufacturerWithModel } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { answerDroppingProxy } from '../support/proxy.js';

const listening = async (h: Harness) => {
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
};

const ID = formatRobotId({ country: 'CN', enterprise: '0001', model: 'H1X9B4', serial: 'R0000000000000001' });

describe('robotid CLI', () => {
  let h: Harness;
  let url: string;
  let home: string;
  /** The environment of a user with the administrator key configured. */
  let admin: Record<string, string>;

  before(async () => {
    h = await startHarness();
    url = await listening(h);
    home = tempHome();
    admin = isolatedEnv(home, { ROBOTID_URL: url, ROBOTID_API_KEY: h.adminKey });
  });
  after(async () => {
    await h.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('id check explains a valid ID in each of its three forms, offline', async () => {
    const offline = isolatedEnv(home, { ROBOTID_URL: `http://127.0.0.1:${await freePort()}` });
    const forms = [
      [ID.canonical.toLowerCase(), 'canonical'],
      [ID.printed, 'printed'],
      [ID.display, 'display'],
    ] as const;
    const results = await Promise.all(forms.map(([code]) => runCli(['id', 'check', code], offline)));
    results.forEach((result, i) => {
      expectExit(result, 0);
      assert.match(result.stdout, new RegExp(`valid robot ID, given in ${forms[i]![1]} form`));
      for (const part of ['country', 'enterprise code', 'model code', 'serial', 'check characters']) {
        assert.match(result.stdout, new RegExp(`^${part} `, 'm'), `names the ${part}`);
      }
      assert.ok(result.stdout.includes(ID.display) && result.stdout.includes(ID.printed));
      assert.match(result.stdout, /China/);
      assert.match(result.stdout, /registry-issued \(serial no\. 1\)/);
    });

    const json = await runCli(['--json', 'id', 'check', ID.display], offline);
    expectExit(json, 0);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.ok, true);
    assert.equal(parsed.canonical, ID.canonical);
    assert.deepEqual(
      parsed.parts.map((p: { name: string }) => p.name),
      ['country', 'enterprise code', 'model code', 'serial', 'check characters'],
    );
  });

  test('id check of a mistyped ID names the fault, points at it, and exits 1', async () => {
    const typo = ID.printed.slice(0, 8) + 'O' + ID.printed.slice(9); // H1X9B4 → H1O9B4
    const result = await runCli(['id', 'check', typo], admin);
    expectExit(result, 1);
    assert.match(result.stdout, /character 'O' at position 9 \(model code\).*I, O and Q are never used/);
    const lines = result.stdout.split('\n');
    const codeLine = lines.findIndex((line) => line.trim() === typo);
    assert.ok(codeLine > 0, 'the typed code is shown');
    assert.equal(
      lines[codeLine + 1]!.indexOf('^'),
      lines[codeLine]!.indexOf(typo) + 8,
      'the caret is under position 9',
    );

    const swapped = ID.printed.slice(0, 29) + ID.check.split('').reverse().join('');
    const json = await runCli(
      ['--json', 'id', 'check', ID.check[0] === ID.check[1] ? `${ID.printed}X` : swapped],
      admin,
    );
    expectExit(json, 1);
    assert.equal(JSON.parse(json.stdout).ok, false);
  });

  test('walkthrough: manufacturer, key, model, 10,000 IDs, robot, labels, key revocation', async () => {
    const registration = creditCode();
    const org = await runCli(
      [
        'org',
        'add',
        '--name',
        'Walker Robotics',
        '--roles',
        'manufacturer,seller',
        '--jurisdiction',
        'CN',
        '--registration-number',
        registration,
      ],
      admin,
    );
    expectExit(org, 0);
    const orgId = /\b(org_[a-z2-7]{16})\b/.exec(org.stdout)?.[1];
    assert.ok(orgId, org.stdout);
    assert.match(org.stdout, /roles\s+manufacturer, seller/);
    const enterprise = /enterprise code\s+([0-9A-Z]{4})/.exec(org.stdout)?.[1];
    assert.ok(enterprise, 'a manufacturer is shown its enterprise code');

    const listed = await runCli(['--json', 'org', 'list', '--role', 'manufacturer', '--all'], admin);
    expectExit(listed, 0);
    assert.ok(JSON.parse(listed.stdout).items.some((o: { id: string }) => o.id === orgId));

    const key = await runCli(['key', 'create', '--name', 'factory line 3', '--org', orgId], admin);
    expectExit(key, 0);
    assert.match(key.stdout, /will not be shown again/);
    const token = /\b(rid_[a-z2-7]{16}_[A-Za-z0-9_-]{43})\b/.exec(key.stdout)?.[1];
    assert.ok(token, key.stdout);
    const keyId = token.split('_')[1]!;
    const maker = isolatedEnv(home, { ROBOTID_URL: url, ROBOTID_API_KEY: token });

    const model = await runCli(
      [
        'model',
        'add',
        '--code',
        'W2K7P5',
        '--name',
        'Walker W2',
        '--category',
        'general_purpose',
        '--capability',
        'L3',
      ].concat([
        '--height-mm',
        '1650',
        '--dof',
        '41',
        '--standard',
        'GB/T 12643',
        '--standard',
        'ISO 10218-1',
      ]),
      maker,
    );
    expectExit(model, 0);
    assert.match(model.stdout, new RegExp(`W2K7P5 "Walker W2" for enterprise ${enterprise}`));

    const issued = await runCli(['id', 'issue', '--model', 'W2K7P5', '--count', '10000'], maker);
    expectExit(issued, 0);
    const ids = issued.stdout.split('\n').filter((line) => line !== '');
    assert.equal(ids.length, 10_000);
    assert.equal(new Set(ids).size, 10_000);
    assert.ok(ids.every((id) => id.length === 31 && id.startsWith(`CN${enterprise}W2K7P5R`)));
    assert.match(issued.stderr, /^issued 10000 IDs for model W2K7P5, issuance iss_\w+: CN-.* … CN-/m);

    const robot = await runCli(['robot', 'show', ids[4_999]!], maker);
    expectExit(robot, 0);
    assert.match(robot.stdout, /Walker W2 \(W2K7P5; general_purpose, L3\)/);
    assert.match(robot.stdout, /Walker Robotics/);

    const out = mkdtempSync(join(tmpdir(), 'robotid-cli-label-'));
    try {
      const labels: Array<[string, string[]]> = [
        ['x.png', ['--size', '20mm', '--dpi', '203']],
        ['x.svg', []],
        ['x.txt', ['--format', 'zpl', '--dpi', '600']],
      ];
      const results = await Promise.all(
        labels.map(([name, args]) => runCli(['label', ids[0]!, '--out', join(out, name), ...args], maker)),
      );
      results.forEach((result, i) => {
        const name = labels[i]![0];
        expectExit(result, 0);
        assert.equal(result.stdout.trim(), join(out, name));
        assert.ok(statSync(join(out, name)).size > 0);
      });
      const png = readFileSync(join(out, 'x.png'));
      assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
      assert.equal(png.readUInt32BE(16), Math.round((20 * 203) / 25.4), 'IHDR width: 20 mm at 203 dpi');
      assert.match(readFileSync(join(out, 'x.svg'), 'utf8'), /<svg [^>]*width="29\.\d+mm"/);
      assert.match(readFileSync(join(out, 'x.txt'), 'utf8'), /^\^XA\n[\s\S]*\^BQN,2,10\^FH\^FDMM,B\d{4}/);
      const tooSmall = await runCli(['label', ids[0]!, '--out', join(out, 'y.png'), '--size', '12mm'], maker);
      expectExit(tooSmall, 2);
      assert.match(tooSmall.stderr, /query:\/size: must be from 20mm to 100mm wide/);
      const notALength = await runCli(
        ['label', ids[0]!, '--out', join(out, 'y.png'), '--size', 'big'],
        maker,
      );
      expectExit(notALength, 2);
      assert.match(notALength.stderr, /--size.*expected a width in millimetres, such as 30mm/);
      const disagree = await runCli(
        ['label', ids[0]!, '--out', join(out, 'y.png'), '--format', 'zpl'],
        maker,
      );
      expectExit(disagree, 2);
      assert.match(disagree.stderr, /--format zpl but --out .*y\.png names a \.png file/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }

    const revoked = await runCli(['key', 'revoke', keyId], maker);
    expectExit(revoked, 0);
    assert.match(revoked.stdout, new RegExp(`Revoked API key ${keyId}`));
    const refused = await runCli(['whoami'], maker);
    expectExit(refused, 4);
    assert.match(refused.stderr, /^error: the API key was revoked/m);
  });

  test('--json prints the API response as JSON', async () => {
    const me = await runCli(['--json', 'whoami'], admin);
    expectExit(me, 0);
    const parsed = JSON.parse(me.stdout);
    assert.deepEqual(parsed.organisation.roles, ['admin']);
    assert.equal(parsed.keyId, h.adminKey.split('_')[1]);
    const unknown = formatRobotId({
      country: 'CN',
      enterprise: 'ZZZZ',
      model: 'H1X9B4',
      serial: 'R0000000000000001',
    });
    const [models, problem] = await Promise.all([
      runCli(['--json', 'model', 'list'], admin),
      runCli(['--json', 'robot', 'show', unknown.printed], admin),
    ]);
    expectExit(models, 0);
    assert.ok(Array.isArray(JSON.parse(models.stdout).items));
    expectExit(problem, 3);
    assert.equal(
      JSON.parse(problem.stdout).type,
      'urn:robotid:problem:robot-not-found',
      'errors: the problem document',
    );
    assert.match(problem.stderr, /^error: no robot /m);
  });

  test('exit codes: usage 2, invalid input 2, not found 3, no key 4, conflict 5, unreachable 6', async () => {
    const m = await manufacturerWithModel(h);
    const maker = isolatedEnv(home, { ROBOTID_URL: url, ROBOTID_API_KEY: m.key });
    const nobody = isolatedEnv(home, { ROBOTID_URL: url });
    const port = await freePort();
    const unknown = formatRobotId({
      country: 'CN',
      enterprise: m.org.enterpriseCode,
      model: m.model.code,
      serial: 'R0000000099999999',
    });
    const model = ['model', 'add', '--name', 'Walker', '--category', 'household', '--capability', 'L2'];
    const [missing, invalid, notFound, noKey, duplicate, unreachable] = await Promise.all([
      runCli(model, maker),
      runCli([...model, '--code', 'H1O9B4'], maker),
      runCli(['robot', 'show', unknown.display], maker),
      runCli(['whoami'], nobody),
      runCli([...model, '--code', m.model.code], maker),
      runCli(['--url', `http://127.0.0.1:${port}`, 'whoami'], maker),
    ]);

    expectExit(missing, 2);
    assert.match(missing.stderr, /required option '--code <code>' not specified/);
    assert.doesNotMatch(missing.stderr, /\bat .*\.(ts|js):\d+/, 'no stack trace');

    expectExit(invalid, 2);
    assert.match(invalid.stderr, /^error: .*'O' at position 3/m);
    assert.match(invalid.stderr, /^ {2}\/code: /m, 'one line per field');

    expectExit(notFound, 3);
    assert.match(notFound.stderr, new RegExp(`^error: no robot ${unknown.display}`, 'm'));

    expectExit(noKey, 4);
    assert.match(noKey.stderr, /no API key configured/);

    expectExit(duplicate, 5);
    assert.match(duplicate.stderr, /registered already/);

    expectExit(unreachable, 6);
    assert.match(
      unreachable.stderr,
      new RegExp(`cannot reach the registry at http://127\\.0\\.0\\.1:${port}: connection refused`),
    );
    assert.match(
      unreachable.stderr,
      /^ {2}is the registry running\? start one with `npm start`.* --url <url>/m,
    );
  });

  test('id issue retries a lost answer once with the same request id, and issues only once', async () => {
    const m = await manufacturerWithModel(h, {
      code: 'R3TRY7',
      name: 'Retry',
      category: 'industrial',
      capabilityLevel: 'L2',
    });
    const proxy = await answerDroppingProxy((h.app.server.address() as AddressInfo).port);
    try {
      const env = isolatedEnv(home, {
        ROBOTID_URL: proxy.url,
        ROBOTID_API_KEY: m.key,
      });
      const result = await runCli(['id', 'issue', '--model', 'R3TRY7', '--count', '3'], env);
      expectExit(result, 0);
      assert.match(result.stderr, /retrying once with the same request id/);
      assert.match(result.stderr, /a repeat of an earlier request/);
      assert.equal(result.stdout.trim().split('\n').length, 3);
      assert.equal(proxy.connections(), 2);
    } finally {
      await proxy.close();
    }
    const next = await h.call('POST', '/v1/ids', { key: m.key, body: { model: 'R3TRY7', count: 1 } });
    assert.equal(next.body.ids[0].slice(12, 29), 'R0000000000000004', 'serials 1-3 were issued once');
  });

  test('admin init prints a first key that works, login saves it, and a second init is a conflict', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'robotid-cli-data-'));
    const config = join(home, 'admin-config.json');
    const env = isolatedEnv(home, { ROBOTID_CONFIG: config });
    try {
      const init = await runCli(['admin', 'init', '--data-dir', dataDir], env);
      expectExit(init, 0);
      assert.match(init.stdout, /will not be shown again/);
      assert.match(init.stdout, /export ROBOTID_API_KEY=rid_/);
      const token = /\b(rid_[a-z2-7]{16}_[A-Za-z0-9_-]{43})\b/.exec(init.stdout)?.[1];
      assert.ok(token, init.stdout);

      // A registry on that data directory, beside which the second init runs.
      const ctx = await openContext(loadConfig({ dataDir, publicBaseUrl: 'https://registry.test' }, {}));
      const app = await buildServer(ctx);
      try {
        await app.listen({ port: 0, host: '127.0.0.1' });
        const registry = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
        const login = await runCli(['login', '--key', token, '--url', registry], env);
        expectExit(login, 0);
        assert.match(login.stdout, /Registry operator/);
        assert.equal(statSync(config).mode & 0o777, 0o600);
        assert.deepEqual(JSON.parse(readFileSync(config, 'utf8')), { url: registry, key: token });

        const [me, again] = await Promise.all([
          runCli(['whoami'], env),
          runCli(['admin', 'init', '--data-dir', dataDir], env),
        ]);
        expectExit(me, 0);
        assert.match(me.stdout, /Registry operator \(org_\w+\)\n\s+roles\s+admin/);
        expectExit(again, 5);
        assert.match(again.stderr, /^error: an administrator key exists already/m);
        await assert.rejects(initAdministrator(ctx), /exists already/);
      } finally {
        await app.close();
        await ctx.close();
      }

      const saveDir = mkdtempSync(join(tmpdir(), 'robotid-cli-data-'));
      const saved = join(home, 'saved', 'config.json');
      try {
        const init2 = await runCli(
          ['admin', 'init', '--data-dir', saveDir, '--save'],
          isolatedEnv(home, { ROBOTID_CONFIG: saved }),
        );
        expectExit(init2, 0);
        assert.match(init2.stdout, /Saved to/);
        assert.equal(statSync(saved).mode & 0o777, 0o600);
        assert.match(JSON.parse(readFileSync(saved, 'utf8')).key, /^rid_/);
      } finally {
        rmSync(saveDir, { recursive: true, force: true });
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
