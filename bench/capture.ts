import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { initAdministrator } from '../src/app/organisations.js';
import { loadConfig } from '../src/config.js';
import { creditCodeCheckCharacter } from '../src/domain/org/credit-code.js';
import { buildServer } from '../src/edges/http/server.js';
import { openContext } from '../src/runtime.js';
import { summarise } from './stats.js';
import type { ClientReport, ClientSetup } from './capture-client.js';

/** The load generator's thread (the bench runs under tsx, which Node 20 does not preload in workers). */
function clientThread(setup: ClientSetup): Worker {
  const url = new URL('./capture-client.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); })`;
  return new Worker(boot, { eval: true, workerData: setup });
}

const EVENTS_PER_ROBOT = 5;
const ROBOTS_PER_LOT = 50;

export interface CaptureBenchOptions {
  /** How many events the store grows to. */
  events: number;
  /** Print a curve point every this many events. */
  every: number;
  /** Batches the client keeps in flight. */
  inFlight: number;
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
    const setup: ClientSetup = { base, key, robots, every: options.every, inFlight: options.inFlight };
    const finished = await new Promise<{ events: number; seconds: number }>((resolve, reject) => {
      const client = clientThread(setup);
      client.on('message', (report: ClientReport) => {
        if ('point' in report) {
          curve.push(report.point);
          console.log(
            `  capture: ${report.point.events.toLocaleString('en')} events, ${report.point.eventsPerSecond.toLocaleString('en')} events/s`,
          );
        } else if ('done' in report) resolve(report.done);
        else reject(new Error(report.failed));
      });
      client.on('error', reject);
    });
    const done = finished.events;
    const overall = Math.round(done / finished.seconds);

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
    await ctx.close();
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
