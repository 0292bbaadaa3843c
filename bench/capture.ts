import { cpus } from 'node:os';
import { startThread } from '../src/lib/threads.js';
import { benchProofs } from './proofs.js';
import { benchRegistry } from './registry.js';
import { summarise, type Summary } from './stats.js';
import { threadMicrosPerEvent, threadTicks } from './threads.js';
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
  /** Store events without log leaves: the "without the log" comparison (no proofs measured then). */
  withoutLog?: boolean;
  /** PostgreSQL to capture into instead of the embedded SQLite store. */
  postgresUrl?: string;
}

/**
 * Batch capture over HTTP into the embedded store, full pipeline (validation, authorisation, state machine,
 * storage), while the store grows; then history and component-lot lookups at that size.
 */
export async function benchCapture(options: CaptureBenchOptions) {
  const { ctx, base, key, call, issue, close, dataDir, storeBytes } = await benchRegistry('capture', {
    withoutLog: options.withoutLog === true,
    ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
  });
  try {
    const robots = await issue(Math.ceil(options.events / EVENTS_PER_ROBOT));

    const curve: { events: number; eventsPerSecond: number }[] = [];
    const setup: ClientSetup = { base, key, robots, every: options.every, inFlight: options.inFlight };
    let cpuBefore = process.cpuUsage();
    let threadsBefore = threadTicks();
    const finished = await new Promise<{ events: number; seconds: number }>((resolve, reject) => {
      const client = startThread(import.meta.url, 'capture-client', setup);
      client.on('message', (report: ClientReport) => {
        if ('ready' in report) {
          cpuBefore = process.cpuUsage();
          threadsBefore = threadTicks();
        } else if ('point' in report) {
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
    const threadsCpuMicrosPerEvent = threadMicrosPerEvent(threadsBefore, threadTicks(), done);
    const cpuMicrosPerEvent = {
      user: Math.round((cpu.user / done) * 10) / 10,
      system: Math.round((cpu.system / done) * 10) / 10,
    };

    await settled();
    const bytesPerEvent = Math.round((await storeBytes()) / done);
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
      threadsCpuMicrosPerEvent,
      bytesPerEvent,
      curve,
      historyHttp: history,
      componentLotHttp: lotQuery,
      ...(options.withoutLog ? {} : await benchProofs({ ctx, key, call, issue, dataDir })),
    };
  } finally {
    await close();
  }
}

/**
 * Waits until the machine has finished the load's after-work (the SQLite checkpoint thread copying the WAL into the
 * database file; PostgreSQL's checkpointer and autovacuum): reads are then measured on a store at rest, not
 * against its own write-back. Machine-wide, since a database server's work is not this process's. At most two
 * minutes.
 */
async function settled() {
  const busy = () =>
    cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
  for (let waited = 0; waited < 120_000; waited += 500) {
    const before = busy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    if ((busy() - before) / cpus().length < 0.1 * 500) return;
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
