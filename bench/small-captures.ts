import { Agent, request } from 'node:http';
import { benchRegistry } from './registry.js';

const REQUESTS = 4_000;
const CONCURRENT = 32;

function post(agent: Agent, url: URL, key: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.end(body);
  });
}

/**
 * Many reporters at once, one event a request (a service shop's system reporting each repair as it is done):
 * 32 requests in flight. Captures that wait for the writer are committed together, one sync to disk for all.
 */
export async function benchSmallCaptures() {
  const { base, key, issue, close } = await benchRegistry('small');
  try {
    const robots = await issue(REQUESTS);
    const eventTime = new Date(Date.now() - 60_000).toISOString();
    const payload = { productionDate: eventTime.slice(0, 10), components: [], software: [] };
    const bodies = robots.map((robotId) =>
      JSON.stringify({ events: [{ type: 'manufactured', robotId, eventTime, payload }] }),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENT });
    const url = new URL('/v1/events', base);
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENT }, async () => {
        while (next < bodies.length) {
          const status = await post(agent, url, key, bodies[next++]!);
          if (status !== 201) throw new Error(`capture answered ${status}`);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    agent.destroy();
    return { requests: REQUESTS, concurrent: CONCURRENT, requestsPerSecond: Math.round(REQUESTS / seconds) };
  } finally {
    await close();
  }
}
