/**
 * Several server processes on one PostgreSQL database: `robotid serve --workers 2` beside an independent
 * `robotid serve`, hammered at once. Every invariant a single process keeps must hold across them: one gap-free
 * order of events and log leaves, a race-free state machine, idempotent retries, one checkpoint signer at a time.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { initAdministrator } from '../../src/app/organisations.js';
import { loadConfig } from '../../src/main/config.js';
import { openContext } from '../../src/main/runtime.js';
import { isolatedEnv, runCli, tempHome } from '../support/cli.js';
import { testDatabaseUrl, type Api } from '../support/harness.js';
import {
  certified,
  event,
  manufactured,
  nextTime,
  report,
  supplyChain,
  type SupplyChain,
} from '../support/lifecycle.js';
import {
  freePort,
  httpApi,
  isReady,
  spawnServer,
  stopServer,
  waitUntil,
  type ServerProcess,
} from '../support/processes.js';

const ROBOTS = 12;
const LANES = 4;
const ROUNDS = 10;

type Line = Record<string, unknown>;
const withMessage = (server: ServerProcess, msg: string) => server.lines.filter((l) => l.msg === msg);

describe('several server processes on one PostgreSQL database', () => {
  const schema = `robotid_test_${randomBytes(6).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'robotid-multi-'));
  const home = tempHome();
  const env = isolatedEnv(home, {
    DATABASE_URL: testDatabaseUrl,
    ROBOTID_DATABASE_SCHEMA: schema,
    ROBOTID_CHECKPOINT_SECONDS: '0.25',
    LOG_LEVEL: 'info',
  });
  const db = new pg.Client({ connectionString: testDatabaseUrl, options: `-c search_path=${schema}` });
  let clustered: ServerProcess;
  let single: ServerProcess;
  /** [the cluster's port, the single process's port]: each request names which one it goes through. */
  let apis: Api[];
  let chain: SupplyChain;
  /** Events the registry answered as accepted, over every process: what the database must hold, no more. */
  let accepted = 0;
  /** Which operator bought each robot (the winner of its sale race). */
  const buyers = new Map<string, SupplyChain['operator']>();

  /** Counts the events accepted in every capture's answer. */
  const counting = (api: Api): Api => ({
    ...api,
    async call(method, url, options) {
      const response = await api.call(method, url, options);
      if (method === 'POST' && url === '/v1/events' && Array.isArray(response.body?.results))
        accepted += (response.body.results as { outcome: string }[]).filter(
          (r) => r.outcome === 'accepted',
        ).length;
      return response;
    },
  });

  const sql = async <T>(text: string) => (await db.query(text)).rows as T[];
  const signerLines = () =>
    [clustered, single].flatMap((s) => withMessage(s, 'this process now signs the periodic checkpoints'));
  const signedLines = () => [clustered, single].flatMap((s) => withMessage(s, 'signed a checkpoint'));
  const clusterWorkers = () => new Set(withMessage(clustered, 'worker listening').map((l) => l.worker));
  const restarts = () => withMessage(clustered, 'worker died unexpectedly; restarting');
  /** Workers that listened and have not died since. */
  const liveWorkers = () => {
    const died = new Set(restarts().map((l) => l.worker));
    return [...clusterWorkers()].filter((pid) => !died.has(pid)) as number[];
  };

  before(async () => {
    // The administrator key and the log key exist before the servers start, as after `robotid admin init`.
    const config = { dataDir, publicBaseUrl: 'https://registry.test', databaseUrl: testDatabaseUrl };
    const ctx = await openContext(loadConfig({ ...config, databaseSchema: schema }, {}));
    const adminKey = (await initAdministrator(ctx)).key.token;
    await ctx.close();
    await db.connect();
    const [clusterPort, singlePort] = await Promise.all([freePort(), freePort()]);
    const args = ['--data-dir', dataDir, '--public-url', 'https://registry.test'];
    clustered = spawnServer([...args, '--workers', '2'], clusterPort, env);
    single = spawnServer(args, singlePort, env);
    await waitUntil(
      'both workers of the cluster and the single server are ready',
      async () => clusterWorkers().size === 2 && (await isReady(singlePort)) && isReady(clusterPort),
      60_000,
    );
    apis = [counting(httpApi(clusterPort, adminKey)), counting(httpApi(singlePort, adminKey))];
    chain = await supplyChain(apis[0]!, ROBOTS);
    // Each robot made, certified and shipped to the seller, who receives it: ready to be sold.
    const steps: [Api, string, unknown[]][] = [
      [apis[0]!, chain.maker.key, chain.robots.map((r) => manufactured(r))],
      [apis[1]!, chain.certifier.key, chain.robots.map((r) => certified(r))],
      [
        apis[0]!,
        chain.maker.key,
        chain.robots.map((r) => event('shipped', r, { toOrgId: chain.seller.org.id })),
      ],
      [apis[1]!, chain.seller.key, chain.robots.map((r) => event('received', r))],
    ];
    for (const [api, key, events] of steps) {
      const res = await report(api, key, events);
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
  });

  after(async () => {
    await Promise.all([clustered, single].filter(Boolean).map((s) => stopServer(s, 5_000)));
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.end().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  test('two sales of one robot at the same instant through different processes: one succeeds, the other is 409', async () => {
    await Promise.all(
      chain.robots.map(async (robotId) => {
        const eventTime = nextTime();
        const saleTo = (buyer: SupplyChain['operator']) => [
          { type: 'sold', robotId, eventTime, payload: { toOrgId: buyer.org.id } },
        ];
        const [first, second] = await Promise.all([
          report(apis[0]!, chain.seller.key, saleTo(chain.operator)),
          report(apis[1]!, chain.seller.key, saleTo(chain.operator2)),
        ]);
        assert.deepEqual([first.status, second.status].sort(), [201, 409], robotId);
        const lost = first.status === 409 ? first : second;
        assert.equal(lost.body.type, 'urn:robotid:problem:event-not-allowed');
        assert.equal(lost.body.state, 'sold');
        buyers.set(robotId, first.status === 201 ? chain.operator : chain.operator2);
      }),
    );
    const sales = await sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE type = 'sold' GROUP BY robot_id",
    );
    assert.deepEqual(
      sales.map((s) => s.n),
      chain.robots.map(() => 1),
    );
  });

  test('the same event sent to two processes at once is recorded once; the other answer is a duplicate', async () => {
    await Promise.all(
      chain.robots.map(async (robotId) => {
        const activation = {
          ...event('activated', robotId, { siteType: 'factory', region: '310115' }),
          eventId: `activation-${robotId.slice(-8)}`,
        };
        const buyer = buyers.get(robotId)!;
        const answers = await Promise.all(apis.map((api) => report(api, buyer.key, [activation])));
        assert.deepEqual(answers.map((a) => a.status).sort(), [200, 201], robotId);
        const outcomes = answers.map((a) => a.body.results[0]);
        assert.deepEqual(outcomes.map((o) => o.outcome).sort(), ['accepted', 'duplicate']);
        assert.equal(outcomes[0].seq, outcomes[1].seq, 'the duplicate names the one recorded event');
      }),
    );
    const activations = await sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE type = 'activated'",
    );
    assert.equal(activations[0]!.n, ROBOTS);
  });

  test('batches from every process over the same robots land in one gap-free order that audits clean', async () => {
    // One event time for all: batches commit in whatever order the processes manage, and none may be out of order.
    const eventTime = new Date().toISOString();
    const byBuyer = [chain.operator, chain.operator2].map((buyer) => ({
      buyer,
      robots: chain.robots.filter((r) => buyers.get(r) === buyer),
    }));
    const lane = async (n: number) => {
      for (let round = 0; round < ROUNDS; round++) {
        const { buyer, robots } = byBuyer[(n + round) % 2]!;
        if (robots.length === 0) continue;
        const events = robots.flatMap((robotId) => [
          { ...event('incident_reported', robotId, { category: 'fault', severity: 'minor' }), eventTime },
          { ...event('serviced', robotId, { kind: 'inspection' }), eventTime },
        ]);
        // Lanes alternate between the processes; the cluster's port spreads its share over both workers.
        const res = await report(apis[(n + round) % apis.length]!, buyer.key, events);
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, n) => lane(n)));

    const [counts] = await sql<{ n: number; first: number; last: number }>(
      'SELECT count(*)::int AS n, min(seq)::int AS first, max(seq)::int AS last FROM events',
    );
    assert.deepEqual(counts, { n: accepted, first: 1, last: accepted }, 'seqs 1..n, one per accepted event');
    const [log] = await sql<{ size: number }>('SELECT size::int FROM log_state');
    assert.equal(log!.size, accepted, 'one log leaf per event');

    // Checkpoints asked of every process at once, racing the elected signer too: one signed head for the size.
    const asked = await Promise.all(
      [...apis, ...apis, ...apis].map((api) =>
        api.call('POST', '/v1/log/checkpoints', { key: chain.operator.key }),
      ),
    );
    assert.deepEqual(new Set(asked.map((a) => a.status)), new Set([201]));
    assert.deepEqual(new Set(asked.map((a) => a.body.size)), new Set([accepted]));
    assert.equal(new Set(asked.map((a) => a.body.note)).size, 1, 'the same signed note from every process');

    // The elected signer catches up with the log within a few of its rounds (if the requests above did not).
    await waitUntil('a checkpoint covers the whole log', async () => {
      const [latest] = await sql<{ size: number }>('SELECT max(size)::int AS size FROM log_checkpoints');
      return latest!.size === accepted;
    });
    const audit = await runCli(['audit', '--data-dir', dataDir, '--json'], env);
    assert.equal(audit.code, 0, audit.stdout + audit.stderr);
    const result = JSON.parse(audit.stdout) as {
      ok: boolean;
      eventsChecked: number;
      checkpointsChecked: number;
    };
    assert.equal(result.ok, true);
    assert.equal(result.eventsChecked, accepted);
    const [checkpoints] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM log_checkpoints');
    assert.equal(result.checkpointsChecked, checkpoints!.n, 'every checkpoint consistent with the log');
    assert.ok(checkpoints!.n > 2, `${checkpoints!.n} checkpoints`);

    // One process among the three won the signing and signed every periodic checkpoint.
    const signers = signerLines();
    assert.equal(signers.length, 1, JSON.stringify(signers));
    const signed = signedLines();
    assert.ok(signed.length > 0);
    assert.deepEqual(new Set(signed.map((l: Line) => l.pid)), new Set([signers[0]!.pid]));
  });

  test('when the signing process dies, another takes over and goes on from its checkpoints', async () => {
    const leader = signerLines()[0]!.pid as number;
    process.kill(leader, 'SIGKILL');
    await waitUntil('another process signs', () => signerLines().some((l) => l.pid !== leader));
    const successor = signerLines().find((l) => l.pid !== leader)!.pid;
    // Whichever process survives takes events; the new signer's next checkpoint must extend the old ones.
    const alive = leader === single.child.pid ? [apis[0]!] : apis;
    const robotId = chain.robots[0]!;
    const res = await report(alive[alive.length - 1]!, buyers.get(robotId)!.key, [
      {
        ...event('incident_reported', robotId, { category: 'fall', severity: 'moderate' }),
        eventTime: new Date().toISOString(), // after the hammer's events, which were stamped "now"
      },
    ]);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await waitUntil('the successor signs a checkpoint of the grown log', () =>
      signedLines().some((l) => l.pid === successor && l.treeSize === accepted),
    );
  });

  test('a cluster worker that dies is restarted, and the port keeps serving', async () => {
    await waitUntil('the cluster runs two workers', () => liveWorkers().length === 2);
    const victim = liveWorkers()[0]!;
    process.kill(victim, 'SIGKILL');
    await waitUntil(
      'the primary replaces the worker',
      () => !liveWorkers().includes(victim) && liveWorkers().length === 2,
    );
    const restart = restarts().find((l) => l.worker === victim);
    assert.equal(restart?.signal, 'SIGKILL');
    assert.ok(Number(restart?.restartInMs) > 0);
    assert.equal(await isReady(clustered.port), true);
  });

  test('SIGTERM to the primary stops every worker and exits 0', async () => {
    const workers = liveWorkers();
    assert.equal(await stopServer(clustered), 0);
    const stillRunning = workers.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    assert.deepEqual(stillRunning, []);
    if (single.child.exitCode === null && single.child.signalCode === null)
      assert.equal(await stopServer(single), 0);
  });
});
