import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { signCheckpoint } from '../../src/app/log/checkpoints.js';
import { parseWitnessVerifierKey } from '../../src/log/cosignature.js';
import { expectExit, isolatedEnv, runCli, tempHome } from '../support/cli.js';
import { startHarness, type Harness } from '../support/harness.js';
import { intoUse, supplyChain, type SupplyChain } from '../support/lifecycle.js';

async function listening(h: Harness) {
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
}

describe('robotid CLI: verify, audit, witness', () => {
  let h: Harness;
  let c: SupplyChain;
  let url: string;
  let home: string;
  let dir: string;
  let logKey: string;
  const env = (extra: Record<string, string> = {}) => isolatedEnv(home, { ROBOTID_URL: url, ...extra });

  before(async () => {
    h = await startHarness();
    c = await supplyChain(h, 2);
    await intoUse(h, c, c.robots[0]!);
    url = await listening(h);
    home = tempHome();
    dir = mkdtempSync(join(tmpdir(), 'robotid-cli-log-'));
    logKey = h.ctx.log.verifierKey;
  });
  after(async () => {
    await h.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  test('log key prints the key the registry signs with', async () => {
    const result = await runCli(['log', 'key'], env());
    expectExit(result, 0);
    assert.equal(result.stdout.trim(), logKey);
  });

  test('a downloaded bundle verifies offline; an edited one fails, naming the event', async () => {
    const file = join(dir, 'bundle.json');
    const download = await runCli(
      ['log', 'bundle', c.robots[0]!, '-o', file],
      env({ ROBOTID_API_KEY: c.operator.key }),
    );
    expectExit(download, 0);
    const ok = await runCli(['verify', file, '--log-key', logKey], isolatedEnv(home));
    expectExit(ok, 0);
    assert.match(
      ok.stdout,
      /VERIFIED: all 6 events .* and the log holds no other event of it up to tree size 6/,
    );

    const latestRemoved = JSON.parse(readFileSync(file, 'utf8'));
    const latest = latestRemoved.events.pop().leafIndex;
    writeFileSync(join(dir, 'shortened.json'), JSON.stringify(latestRemoved));
    const shortened = await runCli(
      ['verify', join(dir, 'shortened.json'), '--log-key', logKey],
      isolatedEnv(home),
    );
    expectExit(shortened, 1);
    assert.match(
      shortened.stderr,
      new RegExp(
        `FAILED: completeness: the log holds 6 events of this robot at checkpoint 6, the bundle 5; leaf ${latest}, its latest, is missing`,
      ),
    );

    const bundle = JSON.parse(readFileSync(file, 'utf8'));
    bundle.events[1].record = bundle.events[1].record.replace('"certified"', '"recycled"');
    writeFileSync(join(dir, 'edited.json'), JSON.stringify(bundle));
    const edited = await runCli(
      ['verify', join(dir, 'edited.json')],
      isolatedEnv(home, { ROBOTID_LOG_KEY: logKey }),
    );
    expectExit(edited, 1);
    assert.match(edited.stderr, new RegExp(`FAILED leaf ${bundle.events[1].leafIndex} \\(recycled`));
    assert.match(edited.stdout, /NOT VERIFIED: 0 problem\(s\) with the bundle, 1 of 6 events failed/);

    const noKey = await runCli(['verify', file], isolatedEnv(home));
    expectExit(noKey, 2);
  });

  test('audit passes on an untouched log and fails, naming the row, after a direct database edit', async () => {
    await signCheckpoint(h.ctx);
    const passed = await runCli(['audit', '--data-dir', h.dataDir], isolatedEnv(home));
    expectExit(passed, 0);
    assert.match(passed.stdout, /AUDIT PASSED: 6 events/);

    const db = new Database(join(h.dataDir, 'robotid.sqlite'));
    const { event_id: eventId } = db.prepare('SELECT event_id FROM events WHERE seq = 2').get() as {
      event_id: string;
    };
    const original = db.prepare('SELECT event_time FROM events WHERE seq = 2').get() as {
      event_time: string;
    };
    db.prepare(`UPDATE events SET event_time = '2020-01-01T00:00:00.000Z' WHERE seq = 2`).run();
    const failed = await runCli(['audit', '--data-dir', h.dataDir], isolatedEnv(home));
    expectExit(failed, 1);
    assert.match(failed.stderr, new RegExp(`event-changed: event seq 2 .*event ${eventId}`));
    db.prepare('UPDATE events SET event_time = ? WHERE seq = 2').run(original.event_time);
    db.close();
  });

  test('a witness cosigns as the log grows, and raises the alarm when shown a different history under the same key', async () => {
    const witnessKeyFile = join(dir, 'witness.key');
    const created = await runCli(
      ['log', 'witness-key', 'witness.example/association', '-o', witnessKeyFile],
      env(),
    );
    expectExit(created, 0);
    const again = await runCli(
      ['log', 'witness-key', 'witness.example/association', '-o', witnessKeyFile],
      env(),
    );
    expectExit(again, 2);
    assert.match(again.stderr, /cannot create .*EEXIST/);
    expectExit(await runCli(['log', 'witness-key', 'bad name+', '-o', join(dir, 'x.key')], env()), 2);
    h.ctx.log.witnesses.push(parseWitnessVerifierKey(created.stdout.trim()));
    const stateDir = join(dir, 'witness-state');
    const witness = (registry: string) =>
      runCli(
        ['witness', '--once', '--witness-key', witnessKeyFile, '--state-dir', stateDir, '--log-key', logKey],
        isolatedEnv(home, { ROBOTID_URL: registry }),
      );

    const first = await witness(url);
    expectExit(first, 0);
    assert.match(first.stdout, /cosigned tree size \d+ \(first checkpoint seen\)/);
    await intoUse(h, c, c.robots[1]!);
    await signCheckpoint(h.ctx);
    const second = await witness(url);
    expectExit(second, 0);
    assert.match(second.stdout, /cosigned tree size 12, consistent with 6/);
    const served = (await h.call('GET', '/v1/log/checkpoint')).body as string;
    assert.match(served, /— witness\.example\/association /, 'the registry serves the cosignature');

    // The operator runs a second registry with the same signing key and another history: a split view.
    const signerKey = readFileSync(join(h.dataDir, 'log-signer.key'), 'utf8');
    const evil = await startHarness({ logSignerKey: signerKey });
    try {
      const other = await supplyChain(evil, 3);
      for (const robot of other.robots) await intoUse(evil, other, robot);
      await signCheckpoint(evil.ctx);
      const alarm = await witness(await listening(evil));
      expectExit(alarm, 7);
      assert.match(
        alarm.stderr,
        /ALARM: the log rewrote history: size 18 does not extend the cosigned size 12/,
      );
      const evidence = readdirSync(stateDir).find((name) => name.startsWith('alarm-'))!;
      for (const f of [
        'cosigned.checkpoint',
        'conflicting.checkpoint',
        'consistency-proof.json',
        'ALARM.txt',
      ])
        assert.ok(existsSync(join(stateDir, evidence, f)), f);
      assert.match(readFileSync(join(stateDir, evidence, 'cosigned.checkpoint'), 'utf8'), /\n12\n/);
      assert.match(readFileSync(join(stateDir, evidence, 'conflicting.checkpoint'), 'utf8'), /\n18\n/);
    } finally {
      await evil.close();
    }
    // It still trusts what it cosigned, and carries on with the honest registry.
    expectExit(await witness(url), 0);
  });
});

describe('robotid CLI: names it derives from an answer', () => {
  test('log bundle without -o is named after the robot asked for; a server naming another path is refused', async () => {
    const robotId = 'CN0001H1X9B4R0000000000000001';
    let answered: unknown = robotId;
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ robotId: answered, events: [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const top = mkdtempSync(join(tmpdir(), 'robotid-cli-names-'));
    const work = join(top, 'work');
    const home = tempHome();
    try {
      mkdirSync(work);
      const env = isolatedEnv(home, {
        ROBOTID_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        ROBOTID_API_KEY: `rid_${'a'.repeat(16)}_${'b'.repeat(43)}`,
      });
      expectExit(await runCli(['log', 'bundle', robotId], env, undefined, work), 0);
      assert.deepEqual(readdirSync(work), [`${robotId}.robotid-proof.json`]);
      rmSync(join(work, `${robotId}.robotid-proof.json`));

      answered = '../escaped/pwned';
      const hostile = await runCli(['log', 'bundle', robotId], env, undefined, work);
      expectExit(hostile, 6);
      assert.match(hostile.stderr, /nothing was written/);
      assert.deepEqual(readdirSync(work), [], 'nothing written here');
      assert.deepEqual(readdirSync(top), ['work'], 'nor beside it');
    } finally {
      server.close();
      rmSync(top, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  });
});
