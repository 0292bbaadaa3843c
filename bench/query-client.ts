/**
 * Times GET requests from a thread of its own (standing in for another machine), one at a time over a kept-alive
 * connection, so that the figures are the registry's answer time and not the load generator's.
 */
import { Agent, get } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface QuerySetup {
  base: string;
  key: string;
  paths: string[];
  warmup: number;
  /** When set, each answer must list exactly this many items. */
  expectItems?: number;
}

/** Round trips as the client saw them, and the registry's own time from its Server-Timing header. */
export type QueryReport = { millis: number[]; serverMillis: number[] } | { failed: string };

interface Answer {
  status: number;
  text: string;
  serverMillis: number;
}

function fetchOnce(agent: Agent, url: URL, key: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A search is a bulk query: it states its purpose (harmless on single reads).
    const headers = key ? { authorization: `Bearer ${key}`, 'robotid-purpose': 'statistics' } : {};
    const req = get(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const timing = /dur=([\d.]+)/.exec(String(res.headers['server-timing']));
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, text, serverMillis: timing ? Number(timing[1]) : NaN });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function run({ base, key, paths, warmup, expectItems }: QuerySetup) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const millis: number[] = [];
  const serverMillis: number[] = [];
  for (let i = 0; i < warmup + paths.length; i++) {
    const path = paths[i % paths.length]!;
    const start = process.hrtime.bigint();
    const answer = await fetchOnce(agent, new URL(path, base), key);
    const { status, text } = answer;
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (status !== 200) throw new Error(`${path}: ${status} ${text.slice(0, 300)}`);
    if (expectItems !== undefined && (JSON.parse(text) as { items: unknown[] }).items.length !== expectItems)
      throw new Error(`${path}: not ${expectItems} items`);
    if (i >= warmup) {
      millis.push(elapsed);
      serverMillis.push(answer.serverMillis);
    }
  }
  agent.destroy();
  return { millis, serverMillis };
}

if (parentPort && workerData) {
  run(workerData as QuerySetup).then(
    (times) => parentPort!.postMessage(times satisfies QueryReport),
    (error: Error) => parentPort!.postMessage({ failed: error.message } satisfies QueryReport),
  );
}
