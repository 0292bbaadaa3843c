/**
 * Recalls at national scale: a registry of `robots` robots of which `affected` carry a defective actuator lot — most
 * from the factory, some fitted as a replacement in service (and some that had it replaced by a good one since, who
 * are not affected). Measures, over HTTP as a regulator would see it: opening a campaign on that lot until its
 * affected set is ready, and recording the remedy (an over-the-air firmware update, a `serviced` event per robot)
 * for every affected robot until the campaign shows all of them remedied.
 */
import { creditCodeCheckCharacter } from '../src/domain/org/credit-code.js';
import { benchRegistry } from './registry.js';
import { summarise } from './stats.js';

const REGULATOR_REG = '11110000MB0000003';

export interface RecallBenchOptions {
  robots: number;
  affected: number;
  postgresUrl?: string;
}

const BATCH = 10_000;
const IN_FLIGHT = 2;
const BAD_LOT = 'LOT-BAD';
const FIXED = { target: 'motion_os', version: '3.3.1' };

const actuator = (n: number, lot: string, serial = `HJ-${n}`) => ({
  kind: 'actuator',
  position: 'left_knee',
  manufacturer: 'Harmonic Joints',
  partNumber: 'HJ-40',
  serial,
  lot,
});

/** Posts events in batches of 10,000 with two batches in flight; throws if any event is refused. */
async function post(base: string, key: string, events: unknown[]) {
  const batches: unknown[][] = [];
  for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const res = await fetch(`${base}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: batch }),
      });
      if (res.status !== 201) throw new Error(`capture: ${res.status} ${(await res.text()).slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

export async function benchRecalls(options: RecallBenchOptions) {
  const registry = await benchRegistry(
    'recalls',
    options.postgresUrl ? { postgresUrl: options.postgresUrl } : {},
  );
  const { base, key, call, issue, adminKey } = registry;
  try {
    const started = performance.now();
    const robots = await issue(options.robots);
    // Every 10th robot (up to `affected`, less the ones fitted in service) is built with the bad lot.
    // A twentieth of the affected got the bad lot in service; a fortieth more were built with it but had it
    // replaced by a good one before the campaign (so not affected).
    const fittedInService = Math.floor(options.affected / 20);
    const curedBefore = Math.floor(fittedInService / 2);
    const built = options.affected - fittedInService + curedBefore;
    const badFromFactory = new Set<number>();
    for (let n = 0; badFromFactory.size < built; n += 10) badFromFactory.add(n);
    const time = new Date(Date.now() - 86_400_000).toISOString();
    const at = (s: number) => new Date(Date.parse(time) + s * 1000).toISOString();
    await post(
      base,
      key,
      robots.map((robotId, n) => ({
        type: 'manufactured',
        robotId,
        eventTime: at(0),
        payload: {
          productionDate: time.slice(0, 10),
          components: [actuator(n, badFromFactory.has(n) ? BAD_LOT : `LOT-${n % 997}`)],
          software: [{ target: 'motion_os', version: '3.2.1' }],
        },
      })),
    );
    // Robots 1, 11, 21, … get a bad-lot actuator in service; the first robots built with the bad lot have theirs
    // replaced by a good one before the campaign (no longer affected).
    const replace = (n: number, lot: string) => ({
      type: 'serviced',
      robotId: robots[n]!,
      eventTime: at(1),
      payload: {
        kind: 'repair',
        replaced: [
          {
            old: actuator(n, badFromFactory.has(n) ? BAD_LOT : `LOT-${n % 997}`),
            new: actuator(n, lot, `HJ-S-${n}`),
          },
        ],
      },
    });
    const service = [];
    for (let i = 0; i < fittedInService; i++) service.push(replace(i * 10 + 1, BAD_LOT));
    const cured = [...badFromFactory].slice(0, curedBefore);
    for (const n of cured) service.push(replace(n, 'LOT-GOOD'));
    await post(base, key, service);
    const populatedSeconds = (performance.now() - started) / 1000;
    const expected = options.affected;

    const regulatorKey = await enrolRegulator(call, adminKey);
    const opened = performance.now();
    const recall = await call('POST', '/v1/recalls', regulatorKey, {
      component: 'Knee actuator HJ-40',
      summary: 'The brake may not hold under load.',
      consequence: 'The robot may fall.',
      remedy: { description: 'Brake control firmware update.', overTheAir: true, software: FIXED },
      stopUse: false,
      criteria: { components: [{ partNumber: 'HJ-40', lots: [BAD_LOT] }] },
    });
    const number = recall.number as string;
    // Meanwhile, a phone scanning labels: how long other requests wait while the campaign's set is computed.
    const probing = probe(base, robots);
    const ready = await waitFor(async () => {
      const shown = await call('GET', `/v1/recalls/${number}`, regulatorKey);
      return shown.affectedSet === 'ready' ? (shown.affected as number) : null;
    });
    const affectedSetSeconds = (performance.now() - opened) / 1000;
    const scansMeanwhile = await probing.stop();
    if (ready !== expected) throw new Error(`affected set: ${ready} robots, expected ${expected}`);

    const affectedIds = await listAffected(call, regulatorKey, number);
    const remedyStart = performance.now();
    await post(
      base,
      key,
      affectedIds.map((robotId) => ({
        type: 'serviced',
        robotId,
        eventTime: at(2),
        payload: { kind: 'firmware_update', software: [FIXED], recall: number },
      })),
    );
    const remedied = await waitFor(async () => {
      const progress = await call('GET', `/v1/recalls/${number}/progress`, regulatorKey);
      return progress.remedied === expected ? (progress.remedied as number) : null;
    });
    const remediesSeconds = (performance.now() - remedyStart) / 1000;
    return {
      robots: options.robots,
      affected: ready,
      fittedInService,
      populatedSeconds: round(populatedSeconds),
      affectedSetSeconds: round(affectedSetSeconds),
      scansMeanwhile,
      remedied,
      remediesSeconds: round(remediesSeconds),
    };
  } finally {
    await registry.close();
  }
}

/** `GET /r/<ID>` (JSON) one after another until stopped; their latencies. */
function probe(base: string, robots: string[]) {
  const millis: number[] = [];
  let stopped = false;
  const running = (async () => {
    for (let i = 0; !stopped; i++) {
      const start = performance.now();
      const res = await fetch(`${base}/r/${robots[(i * 7919) % robots.length]}`);
      await res.arrayBuffer();
      millis.push(performance.now() - start);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await running;
      return millis.length > 0 ? summarise(millis) : null;
    },
  };
}

const round = (s: number) => Math.round(s * 1000) / 1000;

async function waitFor<T>(probe: () => Promise<T | null>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

type Call = Awaited<ReturnType<typeof benchRegistry>>['call'];

async function enrolRegulator(call: Call, adminKey: string) {
  const org = await call('POST', '/v1/organisations', adminKey, {
    name: 'Bench Market Surveillance',
    roles: ['regulator'],
    jurisdiction: 'CN',
    registrationNumber: REGULATOR_REG + creditCodeCheckCharacter(REGULATOR_REG),
  });
  return (await call('POST', `/v1/organisations/${org.id}/keys`, adminKey, { name: 'bench' }))
    .token as string;
}

async function listAffected(call: Call, key: string, number: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await call(
      'GET',
      `/v1/recalls/${number}/robots?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
      key,
      undefined,
      { 'robotid-purpose': 'recall' },
    );
    for (const item of page.items as { robotId: string }[]) ids.push(item.robotId);
    cursor = page.nextCursor as string | null;
  } while (cursor);
  return ids;
}
