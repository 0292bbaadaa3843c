import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initAdministrator } from '../src/app/organisations.js';
import { loadConfig } from '../src/config.js';
import { creditCodeCheckCharacter } from '../src/domain/org/credit-code.js';
import { buildServer } from '../src/edges/http/server.js';
import { openContext } from '../src/runtime.js';
import { startThread } from '../src/lib/threads.js';
import { summarise, type Summary } from './stats.js';
import type { ClientReport, ClientSetup } from './capture-client.js';
import type { QueryReport, QuerySetup } from './query-client.js';

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
    let cpuBefore = process.cpuUsage();
    const finished = await new Promise<{ events: number; seconds: number }>((resolve, reject) => {
      const client = startThread(import.meta.url, 'capture-client', setup);
      client.on('message', (report: ClientReport) => {
        if ('ready' in report) cpuBefore = process.cpuUsage();
        else if ('point' in report) {
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
    // CPU of every thread of this process (HTTP, writer, load generator), per event: what the 2 cores are spent on.
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMicrosPerEvent = {
      user: Math.round((cpu.user / done) * 10) / 10,
      system: Math.round((cpu.system / done) * 10) / 10,
    };

    const sample = (i: number) => robots[(i * 7919) % robots.length]!;
    const history = await latencies({
      base,
      key,
      paths: Array.from({ length: 1000 }, (_, i) => `/v1/robots/${sample(i)}/events`),
      warmup: 50,
    });
    const lots = Math.floor(robots.length / ROBOTS_PER_LOT);
    const lotQuery = await latencies({
      base,
      key,
      paths: Array.from(
        { length: 1000 },
        (_, i) => `/v1/robots?componentLot=LOT-${(i * 104729) % lots}-R&limit=100`,
      ),
      warmup: 50,
      expectItems: ROBOTS_PER_LOT,
    });
    return {
      events: done,
      overallEventsPerSecond: overall,
      cpuMicrosPerEvent,
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

/** Latencies measured by a query client on its own thread: as it saw them, and as the registry reported them. */
export function latencies(setup: QuerySetup) {
  return new Promise<{ roundTrip: Summary; server: Summary | null }>((resolve, reject) => {
    const client = startThread(import.meta.url, 'query-client', setup);
    client.on('message', (report: QueryReport) => {
      if (!('millis' in report)) return reject(new Error(report.failed));
      const timed = report.serverMillis.filter((m) => !Number.isNaN(m));
      resolve({ roundTrip: summarise(report.millis), server: timed.length > 0 ? summarise(timed) : null });
    });
    client.on('error', reject);
  });
}
