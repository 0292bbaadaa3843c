import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initAdministrator } from '../src/app/organisations.js';
import { loadConfig } from '../src/config.js';
import { creditCodeCheckCharacter } from '../src/domain/org/credit-code.js';
import { buildServer } from '../src/edges/http/server.js';
import { openContext } from '../src/runtime.js';
import { summarise } from './stats.js';

const EVENTS_PER_ROBOT = 5;
const ROBOTS_PER_BATCH = 2_000; // 10,000 events a request
const ROBOTS_PER_LOT = 50;

/** Five events of one robot's early life, all reported by its manufacturer while it holds the robot. */
export function lifeOf(robotId: string, n: number, base: number) {
  const t = (step: number) => new Date(base + step * 1000).toISOString();
  const lot = `LOT-${Math.floor(n / ROBOTS_PER_LOT)}`;
  const actuator = (position: string) => ({
    kind: 'actuator',
    position,
    manufacturer: 'Harmonic Joints',
    partNumber: 'HJ-40',
    serial: `HJ-${n}-${position}`,
    lot,
  });
  return [
    {
      type: 'manufactured',
      robotId,
      eventTime: t(0),
      payload: {
        productionDate: t(0).slice(0, 10),
        components: [
          actuator('left_knee'),
          actuator('right_knee'),
          actuator('left_hip'),
          actuator('right_hip'),
          { kind: 'battery_pack', manufacturer: 'Volt', partNumber: 'VC-2k', lot: `B-${n % 97}` },
          { kind: 'main_controller', manufacturer: 'Ctrl', partNumber: 'MC-9', serial: `MC-${n}` },
        ],
        software: [
          { target: 'motion_os', version: '3.2.1' },
          { target: 'safety_mcu', version: '1.0.4' },
        ],
      },
    },
    {
      type: 'serviced',
      robotId,
      eventTime: t(1),
      payload: { kind: 'maintenance', description: 'lubrication' },
    },
    {
      type: 'serviced',
      robotId,
      eventTime: t(2),
      payload: { kind: 'firmware_update', software: [{ target: 'motion_os', version: '3.3.0' }] },
    },
    {
      type: 'incident_reported',
      robotId,
      eventTime: t(3),
      payload: { category: 'fault', severity: 'minor' },
    },
    {
      type: 'serviced',
      robotId,
      eventTime: t(4),
      payload: {
        kind: 'repair',
        replaced: [
          {
            old: actuator('left_knee'),
            new: { ...actuator('left_knee'), serial: `HJ-${n}-R1`, lot: `${lot}-R` },
          },
        ],
      },
    },
  ];
}

export interface CaptureBenchOptions {
  /** How many events the store grows to. */
  events: number;
  /** Print a curve point every this many events. */
  every: number;
}

/**
 * Batch capture over HTTP into the embedded store, full pipeline (validation, authorisation, state machine,
 * storage), while the store grows; then history and component-lot lookups at that size.
 */
export async function benchCapture(options: CaptureBenchOptions) {
  const dataDir = mkdtempSync(join(tmpdir(), 'robotid-bench-capture-'));
  const ctx = await openContext(loadConfig({ dataDir }, {}));
  const app = await buildServer(ctx);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${(await res.text()).slice(0, 500)}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  try {
    const admin = (await initAdministrator(ctx)).key.token;
    const reg = '91110000MA0000002';
    const org = await call('POST', '/v1/organisations', admin, {
      name: 'Bench Humanoids',
      roles: ['manufacturer'],
      jurisdiction: 'CN',
      registrationNumber: reg + creditCodeCheckCharacter(reg),
    });
    const key = (await call('POST', `/v1/organisations/${org.id}/keys`, admin, { name: 'bench' }))
      .token as string;
    await call('POST', '/v1/models', key, {
      code: 'B1B2B3',
      name: 'Bench',
      category: 'industrial',
      capabilityLevel: 'L2',
    });

    const robotsNeeded = Math.ceil(options.events / EVENTS_PER_ROBOT);
    const robots: string[] = [];
    while (robots.length < robotsNeeded) {
      const count = Math.min(100_000, robotsNeeded - robots.length);
      const issued = await call('POST', '/v1/ids', key, { model: 'B1B2B3', count });
      for (const id of issued.ids as string[]) robots.push(id.slice(0, 29));
    }

    const curve: { events: number; eventsPerSecond: number }[] = [];
    const base0 = Date.now() - 3_600_000;
    let done = 0;
    let windowStart = process.hrtime.bigint();
    let windowEvents = 0;
    const started = process.hrtime.bigint();
    for (let first = 0; first < robots.length; first += ROBOTS_PER_BATCH) {
      const events = robots
        .slice(first, first + ROBOTS_PER_BATCH)
        .flatMap((id, i) => lifeOf(id, first + i, base0));
      const result = await call('POST', '/v1/events', key, { events });
      if (result.rejected !== 0) throw new Error(`rejected: ${JSON.stringify(result).slice(0, 500)}`);
      done += events.length;
      windowEvents += events.length;
      if (windowEvents >= options.every || first + ROBOTS_PER_BATCH >= robots.length) {
        const now = process.hrtime.bigint();
        const rate = Math.round(windowEvents / (Number(now - windowStart) / 1e9));
        curve.push({ events: done, eventsPerSecond: rate });
        console.log(`  capture: ${done.toLocaleString('en')} events, ${rate.toLocaleString('en')} events/s`);
        windowStart = now;
        windowEvents = 0;
      }
    }
    const overall = Math.round(done / (Number(process.hrtime.bigint() - started) / 1e9));

    const history = await latencies(500, async (i) => {
      await call('GET', `/v1/robots/${robots[(i * 7919) % robots.length]}/events`, key);
    });
    const lots = Math.floor(robots.length / ROBOTS_PER_LOT);
    const lotQuery = await latencies(500, async (i) => {
      const found = await call('GET', `/v1/robots?componentLot=LOT-${(i * 104729) % lots}-R&limit=100`, key);
      if ((found.items as unknown[]).length !== ROBOTS_PER_LOT)
        throw new Error('lot query found the wrong number');
    });
    return {
      events: done,
      overallEventsPerSecond: overall,
      curve,
      historyHttp: history,
      componentLotHttp: lotQuery,
    };
  } finally {
    await app.close();
    await ctx.store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function latencies(n: number, run: (i: number) => Promise<void>) {
  for (let i = 0; i < 20; i++) await run(i + n);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await run(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return summarise(times);
}
