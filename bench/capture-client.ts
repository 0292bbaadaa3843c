/**
 * The load generator of the capture bench, on its own thread so that building and sending requests is not
 * counted against the registry's HTTP thread: keeps `inFlight` batches of 10,000 events in flight, as an
 * enterprise's integration with several workers would, and reports a curve point every `every` events.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface ClientSetup {
  base: string;
  key: string;
  robots: string[];
  every: number;
  inFlight: number;
  /** Number of the first robot, for part serials unique across clients (default 0). */
  firstRobot?: number;
}

export type ClientReport =
  | { ready: true }
  | { point: { events: number; eventsPerSecond: number } }
  | { done: { events: number; seconds: number } }
  | { failed: string };

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

/** Every request body, built before the clock starts: the load generator stands in for other machines. */
function buildBodies(robots: string[], firstRobot: number): Buffer[] {
  const base0 = Date.now() - 3_600_000;
  const bodies: Buffer[] = [];
  for (let first = 0; first < robots.length; first += ROBOTS_PER_BATCH) {
    const events = robots
      .slice(first, first + ROBOTS_PER_BATCH)
      .flatMap((id, i) => lifeOf(id, firstRobot + first + i, base0));
    bodies.push(Buffer.from(JSON.stringify({ events })));
  }
  return bodies;
}

function post(agent: Agent, url: URL, key: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'content-length': body.length,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.end(body);
  });
}

async function run({ base, key, robots, every, inFlight, firstRobot = 0 }: ClientSetup) {
  const bodies = buildBodies(robots, firstRobot);
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const url = new URL('/v1/events', base);
  let next = 0;
  let done = 0;
  let windowEvents = 0;
  let windowStart = process.hrtime.bigint();
  const started = windowStart;
  const send = async () => {
    while (next < bodies.length) {
      const batch = next++;
      const { status, text } = await post(agent, url, key, bodies[batch]!);
      const result = JSON.parse(text) as { accepted?: number; rejected?: number };
      if (status !== 201 || result.rejected !== 0)
        throw new Error(`batch ${batch}: ${status} ${text.slice(0, 500)}`);
      bodies[batch] = Buffer.alloc(0);
      done += result.accepted!;
      windowEvents += result.accepted!;
      if (windowEvents >= every || done === robots.length * EVENTS_PER_ROBOT) {
        const now = process.hrtime.bigint();
        const eventsPerSecond = Math.round(windowEvents / (Number(now - windowStart) / 1e9));
        parentPort!.postMessage({ point: { events: done, eventsPerSecond } } satisfies ClientReport);
        windowStart = now;
        windowEvents = 0;
      }
    }
  };
  parentPort!.postMessage({ ready: true } satisfies ClientReport);
  await Promise.all(Array.from({ length: inFlight }, send));
  agent.destroy();
  return { events: done, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

if (parentPort && workerData) {
  run(workerData as ClientSetup).then(
    (done) => parentPort!.postMessage({ done } satisfies ClientReport),
    (error: Error) => parentPort!.postMessage({ failed: error.message } satisfies ClientReport),
  );
}
