import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppContext } from '../src/app/context.js';
import { loadConfig } from '../src/main/config.js';
import type { DemoOutcome } from '../src/demo/outcome.js';
import { DEMO_REFUSAL_CODE, runDemo } from '../src/demo/run.js';
import { DomainError } from '../src/domain/errors.js';
import { STATES } from '../src/domain/lifecycle/status.js';
import { openContext } from '../src/main/runtime.js';
import { isolatedEnv, runCli, tempHome } from './support/cli.js';

const ROBOTS = 2000;
/** Two runs of the same seed are compared at this size: sameness needs no second population of 2,000. */
const REPEATED_ROBOTS = 300;
const SEED = 20261125;
const NOW = new Date('2026-11-25T00:00:00Z');

async function generate(robots = ROBOTS) {
  const dataDir = mkdtempSync(join(tmpdir(), 'robotid-demo-'));
  const ctx = await openContext(loadConfig({ dataDir }, {}));
  const outcome = await runDemo(ctx, { robots, seed: SEED, now: NOW });
  return { dataDir, ctx, outcome };
}

describe('robotid demo', () => {
  let first: { dataDir: string; ctx: AppContext; outcome: DemoOutcome };

  before(async () => {
    first = await generate();
  });

  after(async () => {
    await first.ctx.close();
    rmSync(first.dataDir, { recursive: true, force: true });
  });

  it('leaves robots in every state, as the registry itself reports them', async () => {
    for (const state of STATES) {
      const page = await first.ctx.store.read((r) => r.findRobots({ state }, { after: '', limit: 1 }));
      assert.equal(page.items.length, 1, `no robot is ${state}`);
    }
    assert.equal(first.outcome.robots, ROBOTS);
    assert.ok(first.outcome.byState.in_use > ROBOTS / 2, 'most robots are in use');
    assert.ok(first.outcome.events > ROBOTS * 4);
  });

  it('fits actuators from one lot into several robots', async () => {
    const { lot, partNumber } = first.outcome.busyLot;
    const page = await first.ctx.store.read((r) =>
      r.findRobots({ component: { lot, partNumber } }, { after: '', limit: 1000 }),
    );
    assert.ok(page.items.length >= 5, `lot ${lot} is in ${page.items.length} robots`);
  });

  it('hints at the lot with the number of robots that robot find --lot finds, parts fitted in service too', async () => {
    const { lot, robots } = first.outcome.busyLot;
    const found = await first.ctx.store.read((r) =>
      r.findRobots({ component: { lot } }, { after: '', limit: 5000 }),
    );
    assert.equal(found.next, null);
    assert.equal(robots, found.items.length);
  });

  it('gives the same robots and states for the same seed', async () => {
    const runs: Awaited<ReturnType<typeof generate>>[] = [];
    try {
      for (const _ of [1, 2]) runs.push(await generate(REPEATED_ROBOTS));
      const [one, two] = runs.map((run) => run.outcome) as [DemoOutcome, DemoOutcome];
      assert.equal(one.robots, REPEATED_ROBOTS);
      assert.ok(Object.values(one.byState).filter((n) => n > 0).length > 3, 'robots in several states');
      assert.deepEqual(two.robotIds, one.robotIds);
      assert.deepEqual(two.byState, one.byState);
      assert.deepEqual(two.byType, one.byType);
    } finally {
      for (const run of runs) {
        await run.ctx.close();
        rmSync(run.dataDir, { recursive: true, force: true });
      }
    }
  });

  it('refuses to fill a registry that holds organisations already, unless forced', async () => {
    await assert.rejects(
      runDemo(first.ctx, { robots: 10, seed: SEED, now: NOW }),
      (e: unknown) => e instanceof DomainError && e.kind === 'conflict' && e.code === DEMO_REFUSAL_CODE,
    );
    const cli = await runCli(
      ['demo', '--data-dir', first.dataDir, '--robots', '10'],
      isolatedEnv(tempHome()),
    );
    assert.equal(cli.code, 5, cli.stderr);
    assert.match(cli.stderr, /holds organisations already/);
    assert.match(cli.stderr, /--force/);

    const more = await runDemo(first.ctx, { robots: 50, seed: SEED, now: NOW, force: true });
    assert.equal(more.robots, 50);
    const earlier = new Set(first.outcome.robotIds);
    assert.ok(
      more.robotIds.every((id) => !earlier.has(id)),
      'a forced run issues new IDs',
    );
  });
});
