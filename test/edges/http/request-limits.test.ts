/**
 * What one caller, and everyone together, may hold of the server: request bodies in flight are bounded (429 for a
 * caller, 503 for the server, decided before the body is read, given back however the request ends), and a body
 * that stalls is answered 408 and its connection closed. Over real sockets: the bytes a client sends, and when,
 * are the point.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { admit } from '../../support/fixtures.js';
import { startHarness, type Harness } from '../../support/harness.js';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Every connection a test opened, ended after it whatever happened (else the server's close would wait). */
const sockets = new Set<Socket>();
const endConnections = () => sockets.forEach((socket) => socket.destroy());

/** One HTTP/1.1 request on its own connection: the head (and `body`, if any) sent now; `send` for more. */
function open(port: number, path: string, headers: Record<string, string | number>, body = '') {
  const socket: Socket = connect(port, '127.0.0.1');
  sockets.add(socket);
  const head = Object.entries({ host: 'registry.test', 'content-type': 'application/json', ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n${body}`);
  let received = Buffer.alloc(0);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const response = new Promise<RawResponse>((resolve, reject) => {
    socket.on('error', () => undefined); // a reset after the answer is the server's right
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const parsed = parse(received);
      if (parsed) resolve(parsed);
    });
    socket.once('close', () => reject(new Error(`closed without a whole answer: ${received.toString()}`)));
  });
  response.catch(() => undefined);
  return { socket, response, closed, send: (data: string) => socket.write(data) };
}

function parse(data: Buffer): RawResponse | null {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  const length = Number(headers['content-length']);
  if (data.length < end + 4 + length) return null;
  const text = data.subarray(end + 4, end + 4 + length).toString('utf8');
  return {
    status: Number(statusLine!.split(' ')[1]),
    headers,
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

/** A key-creating request's body of exactly `bytes` (padded with white space). */
const bodyOf = (bytes: number) => '{"name":"k"}'.padEnd(bytes, ' ');

describe('request bodies in flight', { timeout: 60_000 }, () => {
  let h: Harness;
  let port: number;
  before(async () => {
    h = await startHarness({
      server: { limits: { inFlightBytesPerCaller: 1000, inFlightBytesTotal: 1500, bodyTimeoutMs: 60_000 } },
    });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as AddressInfo).port;
  });
  after(async () => {
    endConnections();
    await h?.close();
  });

  const keysOf = (org: { id: string }) => `/v1/organisations/${org.id}/keys`;

  test('a caller over its share is refused 429 with Retry-After before it sends its body; a finished request gives its share back', async () => {
    const a = await admit(h, ['seller']);
    const auth = { authorization: `Bearer ${a.key}` };
    // 600 bytes declared and only the start sent: in flight until the rest comes.
    const held = open(port, keysOf(a.org), { ...auth, 'content-length': 600 }, '{"name":"');
    await new Promise((r) => setTimeout(r, 200));
    const refused = open(port, keysOf(a.org), { ...auth, 'content-length': 600 }); // head only
    const answer = await refused.response;
    assert.equal(answer.status, 429);
    assert.equal(answer.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(answer.headers['retry-after'], '1');
    assert.equal(answer.body.type, 'urn:robotid:problem:too-much-in-flight');
    assert.match(
      String(answer.body.detail),
      /this API key has 600 bytes of request bodies in flight and may have 1000 bytes at once; this one declares 600 bytes/,
    );
    refused.socket.destroy();
    // Another caller is not held back by this one's share.
    const b = await admit(h, ['seller']);
    const other = open(
      port,
      keysOf(b.org),
      { authorization: `Bearer ${b.key}`, 'content-length': 600 },
      bodyOf(600),
    );
    assert.equal((await other.response).status, 201);
    other.socket.destroy();
    // The held body completes: its share is given back once it is answered.
    held.send(bodyOf(600).slice('{"name":"'.length));
    assert.equal((await held.response).status, 201);
    held.socket.destroy();
    for (let i = 0; i < 3; i++) {
      const next = open(port, keysOf(a.org), { ...auth, 'content-length': 600 }, bodyOf(600));
      assert.equal((await next.response).status, 201, `request ${i} after the held one`);
      next.socket.destroy();
    }
  });

  test('a share is given back when the client goes away mid-body and when the request fails', async () => {
    const a = await admit(h, ['seller']);
    const auth = { authorization: `Bearer ${a.key}` };
    const aborted = open(port, keysOf(a.org), { ...auth, 'content-length': 900 }, '{"na');
    await new Promise((r) => setTimeout(r, 200));
    aborted.socket.destroy();
    await aborted.closed;
    await new Promise((r) => setTimeout(r, 200));
    const malformed = open(port, keysOf(a.org), { ...auth, 'content-length': 900 }, '{'.padEnd(900, ' '));
    assert.equal((await malformed.response).status, 400);
    malformed.socket.destroy();
    const after = open(port, keysOf(a.org), { ...auth, 'content-length': 900 }, bodyOf(900));
    assert.equal((await after.response).status, 201, 'the aborted and the failed request hold nothing');
    after.socket.destroy();
  });

  test('a chunked body counts as all its route takes; anonymous callers are counted by address', async () => {
    // Chunked to a route that takes 256 KiB: more than this server gives one caller.
    const anonymous = open(port, '/v1/organisations', { 'transfer-encoding': 'chunked' }, '5\r\n{"na\r\n');
    const answer = await anonymous.response;
    assert.equal(answer.status, 429);
    assert.match(String(answer.body.detail), /this address has 0 bytes .* declares 262144 bytes/);
    anonymous.socket.destroy();
  });

  test('past the server total the answer is 503 with Retry-After, whoever asks', async () => {
    const a = await admit(h, ['seller']);
    const b = await admit(h, ['seller']);
    const held = open(port, keysOf(a.org), { authorization: `Bearer ${a.key}`, 'content-length': 900 }, '{');
    await new Promise((r) => setTimeout(r, 200));
    const refused = open(port, keysOf(b.org), { authorization: `Bearer ${b.key}`, 'content-length': 900 });
    const answer = await refused.response;
    assert.equal(answer.status, 503);
    assert.equal(answer.headers['retry-after'], '1');
    assert.equal(answer.body.type, 'urn:robotid:problem:server-busy');
    refused.socket.destroy();
    held.socket.destroy();
  });
});

describe('a body that stalls', { timeout: 60_000 }, () => {
  let h: Harness;
  let port: number;
  before(async () => {
    h = await startHarness({ server: { limits: { bodyTimeoutMs: 500 } } });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as AddressInfo).port;
  });
  after(async () => {
    endConnections();
    await h?.close();
  });

  test('is answered 408 (a problem document) once its time is up, and the connection is closed', async () => {
    const a = await admit(h, ['seller']);
    const started = Date.now();
    const stalled = open(
      port,
      `/v1/organisations/${a.org.id}/keys`,
      { authorization: `Bearer ${a.key}`, 'content-length': 12 },
      '{"name"',
    );
    const answer = await stalled.response;
    assert.equal(answer.status, 408);
    assert.equal(answer.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(answer.headers.connection, 'close');
    assert.equal(answer.body.type, 'urn:robotid:problem:body-timeout');
    assert.ok(Date.now() - started >= 450, 'not before its time');
    await stalled.closed;
    // The rest arriving late changes nothing: no key was made.
    const keys = await h.call('GET', `/v1/organisations/${a.org.id}/keys`, { key: a.key });
    assert.equal(keys.body.items.length, 1);
  });

  test('a body answered before it was read (415: no content type) does not hold up the connection', async () => {
    const socket: Socket = connect(port, '127.0.0.1');
    sockets.add(socket);
    let received = '';
    const answers = (count: number) =>
      new Promise<string[]>((resolve, reject) => {
        const check = () => {
          const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]!);
          if (statuses.length < count) return;
          socket.off('data', check);
          resolve(statuses);
        };
        socket.on('data', check);
        setTimeout(() => reject(new Error(`no answer ${count} in 5 s: ${JSON.stringify(received)}`)), 5000);
      });
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const body = 'x'.repeat(200_000);
    const first = answers(1);
    socket.write(
      `POST /v1/ids HTTP/1.1\r\nhost: registry.test\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
    );
    assert.deepEqual(await first, ['415']);
    const second = answers(2);
    socket.write('GET /healthz HTTP/1.1\r\nhost: registry.test\r\n\r\n');
    assert.deepEqual(await second, ['415', '200'], 'the next request on the connection is answered');
    socket.destroy();
  });

  test('a body that arrives in time, if slowly, is taken', async () => {
    const a = await admit(h, ['seller']);
    const slow = open(
      port,
      `/v1/organisations/${a.org.id}/keys`,
      { authorization: `Bearer ${a.key}`, 'content-length': 12 },
      '{"name"',
    );
    await new Promise((r) => setTimeout(r, 200));
    slow.send(':"x"}');
    assert.equal((await slow.response).status, 201);
    slow.socket.destroy();
  });
});
