import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A loopback proxy in front of `port` that forwards the first request but drops the connection as its answer
 * starts to come back: the server did the work, the client never heard. Later connections pass through.
 */
export async function answerDroppingProxy(port: number) {
  let connections = 0;
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const first = ++connections === 1;
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    if (first) upstream.once('data', () => (client.destroy(), upstream.destroy()));
    else upstream.pipe(client);
    for (const s of [client, upstream]) s.on('error', () => {}).on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
