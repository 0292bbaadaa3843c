import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { latencies } from './capture.js';

/**
 * The round trip of a bare Node.js HTTP server answering a constant, timed by the same client: what this machine
 * adds to every request's latency before the registry does anything.
 */
export async function benchHttpFloor() {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return (await latencies({ base, key: '', paths: Array<string>(1000).fill('/'), warmup: 50 })).roundTrip;
  } finally {
    server.close();
  }
}
