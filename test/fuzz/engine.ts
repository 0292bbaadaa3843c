/**
 * The schema-driven fuzzer: a registry on one store, listening on loopback, a world of real data in it, and
 * requests generated from its own OpenAPI document, each from a PRNG seeded with (seed, index), so any failure
 * reproduces alone (`npm run fuzz -- --seed S --only INDEX`).
 */
import { Agent } from 'node:http';
import { startHarness, type Harness } from '../support/harness.js';
import { prng } from '../support/prng.js';
import { rawRequest, type RawResponse } from '../support/raw-http.js';
import { violations } from './check.js';
import { pick } from './generate.js';
import { makeRequest, type FuzzRequest } from './requests.js';
import { loadSpec, type Spec } from './spec.js';
import { buildWorld, type World } from './world.js';

export type StoreName = 'sqlite' | 'postgres';

export interface Target {
  store: StoreName;
  harness: Harness;
  port: number;
  spec: Spec;
  world: World;
  close(): Promise<void>;
}

export async function startTarget(store: StoreName): Promise<Target> {
  const harness = await startHarness({ postgres: store === 'postgres' });
  try {
    await harness.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (harness.app.server.address() as { port: number }).port;
    const doc = await rawRequest(port, { method: 'GET', path: '/openapi.json' });
    const spec = loadSpec(JSON.parse(doc.body.toString()));
    const world = await buildWorld(harness);
    return { store, harness, port, spec, world, close: () => harness.close() };
  } catch (error) {
    await harness.close();
    throw error;
  }
}

export interface Finding {
  index: number;
  request: FuzzRequest;
  status: number;
  faults: string[];
  answer: string;
}

export interface FuzzReport {
  store: StoreName;
  seed: number;
  requests: number;
  ms: number;
  statuses: Record<number, number>;
  violations: Finding[];
}

/** The request at `index` of the run seeded with `seed`: the same whatever ran before it. */
export function requestAt(target: Target, seed: number, index: number): FuzzRequest {
  const rng = prng((Math.imul(seed, 0x9e3779b1) + index) >>> 0);
  return makeRequest(target.spec, target.world, pick(rng, target.spec.operations), rng);
}

export async function fuzz(
  target: Target,
  options: { seed: number; requests: number; concurrency?: number; only?: number },
): Promise<FuzzReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 8 });
  const report: FuzzReport = {
    store: target.store,
    seed: options.seed,
    requests: 0,
    ms: 0,
    statuses: {},
    violations: [],
  };
  const started = performance.now();
  const indices = options.only !== undefined ? [options.only] : [...Array(options.requests).keys()];
  let next = 0;
  const worker = async () => {
    while (next < indices.length) {
      const index = indices[next++]!;
      const request = requestAt(target, options.seed, index);
      const response = await send(target.port, request, agent);
      record(target, report, index, request, response);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  } finally {
    agent.destroy();
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}

async function send(port: number, request: FuzzRequest, agent: Agent): Promise<RawResponse> {
  try {
    return await rawRequest(port, request, agent);
  } catch (error) {
    return { status: 0, headers: {}, body: Buffer.from(String(error)) };
  }
}

function record(
  target: Target,
  report: FuzzReport,
  index: number,
  request: FuzzRequest,
  response: RawResponse,
) {
  report.requests += 1;
  report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
  const faults = violations(target.spec, request, response);
  if (faults.length === 0) return;
  report.violations.push({
    index,
    request,
    status: response.status,
    faults,
    answer: response.body.toString('utf8').slice(0, 300),
  });
}

const excerpt = (value: string | Buffer | undefined, length = 160) => {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : value.toString('utf8');
  return text.length > length ? `${text.slice(0, length)}… (${text.length} characters)` : text;
};

/** The report as text: counts per status, then each violation with what reproduces it. */
export function formatReport(report: FuzzReport, maxViolations = 20): string {
  const statuses = Object.entries(report.statuses)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  const lines = [
    `${report.store}: ${report.requests} requests in ${(report.ms / 1000).toFixed(1)} s (seed ${report.seed}); ${statuses}`,
    `  violations: ${report.violations.length}`,
  ];
  for (const v of report.violations.slice(0, maxViolations)) {
    lines.push(
      `  #${v.index} ${v.request.caller}: ${v.request.method} ${excerpt(v.request.path, 200)} → ${v.status}`,
      `     ${v.faults.join(' | ')}`,
      `     body: ${excerpt(v.request.body)}`,
      `     answer: ${excerpt(v.answer)}`,
    );
  }
  return lines.join('\n');
}
