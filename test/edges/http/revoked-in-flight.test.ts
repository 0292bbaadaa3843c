import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { admit, manufacturerWithModel } from '../../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import { manufactured } from '../../support/lifecycle.js';

/** The status line and body of one HTTP/1.1 answer. */
interface RawAnswer {
  status: number;
  body: string;
}

/**
 * A request whose body arrives in two parts: the headers and `first` now, the rest only after `between` ran.
 * The registry checks the key when the headers arrive, so `between` happens after that check.
 */
async function slowBodyRequest(
  port: number,
  path: string,
  key: string,
  body: string,
  between: () => Promise<void>,
): Promise<RawAnswer> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const cut = Math.floor(body.length / 2);
    socket.write(
      `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${key}\r\n` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n` +
        body.slice(0, cut),
    );
    await new Promise((r) => setTimeout(r, 300)); // the headers are read and the key checked
    await between();
    socket.write(body.slice(cut)); // not end(): a half-closed socket may be dropped before the answer
    await closed;
  } finally {
    socket.destroy();
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const [head = '', ...rest] = text.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: rest.join('\r\n\r\n') };
}

for (const store of testStores) {
  describe(`a key revoked while a request's body is still arriving (${store.name})`, () => {
    let h: Harness;
    let port: number;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      port = (h.app.server.address() as { port: number }).port;
    });
    after(() => h?.close());

    const revoke = async (orgId: string, keyId: string) => {
      const revoked = await h.call('DELETE', `/v1/organisations/${orgId}/keys/${keyId}`, { key: h.adminKey });
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    };

    test('cannot create a key: 401 api-key-revoked, and no key was made', async () => {
      const { org, key, keyId } = await admit(h, ['seller']);
      const answer = await slowBodyRequest(
        port,
        `/v1/organisations/${org.id}/keys`,
        key,
        '{"name":"x"}',
        () => revoke(org.id, keyId),
      );
      assert.equal(answer.status, 401, answer.body);
      assert.equal(JSON.parse(answer.body).type, 'urn:robotid:problem:api-key-revoked');
      const keys = await h.call('GET', `/v1/organisations/${org.id}/keys`, { key: h.adminKey });
      assert.deepEqual(
        keys.body.items.map((k: { name: string }) => k.name),
        ['test'],
        'only the revoked key exists',
      );
    });

    test('cannot capture events: 401 api-key-revoked, and nothing was stored', async () => {
      const maker = await manufacturerWithModel(h);
      const issued = await h.call('POST', '/v1/ids', {
        key: maker.key,
        body: { model: maker.model.code, count: 1 },
      });
      const robotId = (issued.body.ids as string[])[0]!.slice(0, 29);
      const body = JSON.stringify({ events: [manufactured(robotId)] });
      const answer = await slowBodyRequest(port, '/v1/events', maker.key, body, () =>
        revoke(maker.org.id, maker.keyId),
      );
      assert.equal(answer.status, 401, answer.body);
      assert.equal(JSON.parse(answer.body).type, 'urn:robotid:problem:api-key-revoked');
      const robot = await h.call('GET', `/v1/robots/${robotId}`);
      assert.equal(robot.body.state, 'issued', 'no event was recorded');
    });
  });
}
