import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import { rawRequest, type RawResponse } from '../../support/raw-http.js';

/** Over a listening server: these faults exist only on the wire (Fastify's inject never sees them). */
async function listening(postgres = false) {
  const h = await startHarness({ postgres });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (h.app.server.address() as { port: number }).port;
  return { h, port };
}

function assertProblem(res: RawResponse, status: number, code: string) {
  assert.equal(res.status, status, res.body.toString().slice(0, 300));
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  const body = JSON.parse(res.body.toString());
  assert.equal(body.type, `urn:robotid:problem:${code}`);
  assert.equal(body.status, status);
  assert.equal(typeof body.title, 'string');
  return body as { detail: string; instance?: string };
}

describe('errors on the wire are problem documents', () => {
  let h: Harness;
  let port: number;
  before(async () => {
    ({ h, port } = await listening());
  });
  after(() => h?.close());

  test('a path that does not decode (a lone surrogate in UTF-8) is a 400 problem', async () => {
    const res = await rawRequest(port, { method: 'GET', path: '/v1/robots/%ED%A0%80' });
    assertProblem(res, 400, 'bad-url');
  });

  test('an over-long path parameter is a 414 problem that does not echo it', async () => {
    const long = 'A'.repeat(5000);
    const res = await rawRequest(port, { method: 'GET', path: `/v1/robots/${long}` });
    const body = assertProblem(res, 414, 'uri-too-long');
    assert.ok(res.body.length < 1000, `answer of ${res.body.length} bytes`);
    assert.ok(!res.body.toString().includes('A'.repeat(300)), 'the path is not echoed');
    assert.match(body.detail, /200/);
  });

  test('a 100 KB query string and huge headers are 431 problems', async () => {
    const query = await rawRequest(port, { method: 'GET', path: `/v1/models?x=${'q'.repeat(100_000)}` });
    assertProblem(query, 431, 'headers-too-large');
    const header = await rawRequest(port, {
      method: 'GET',
      path: '/healthz',
      headers: { 'x-filler': 'h'.repeat(40_000) },
    });
    assertProblem(header, 431, 'headers-too-large');
  });

  test('a request that is not HTTP is a 400 problem', async () => {
    const res = await rawRequest(port, {
      method: 'GET',
      path: '/healthz',
      headers: { 'content-length': 'x' },
    });
    assertProblem(res, 400, 'bad-request');
  });
});

test('every numeric path and query parameter has a lower and an upper bound in the API document', async () => {
  const h = await startHarness();
  try {
    type Param = { in: string; name: string; schema: { type?: string; minimum?: number; maximum?: number } };
    const doc = h.app.swagger() as { paths: Record<string, Record<string, { parameters?: Param[] }>> };
    const unbounded = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, op]) =>
        (op.parameters ?? [])
          .filter(
            (p) => (p.in === 'path' || p.in === 'query') && /integer|number/.test(String(p.schema.type)),
          )
          .filter((p) => p.schema.minimum === undefined || p.schema.maximum === undefined)
          .map((p) => `${method.toUpperCase()} ${path} ${p.in}:${p.name}`),
      ),
    );
    assert.deepEqual(unbounded, []);
  } finally {
    await h.close();
  }
});

for (const store of testStores) {
  describe(`numeric path parameters are bounded (${store.name})`, () => {
    let h: Harness;
    let port: number;
    before(async () => {
      ({ h, port } = await listening(store.postgres));
    });
    after(() => h?.close());

    for (const id of ['1e20', '9223372036854775807', 'Infinity', '99999999999999999999', '-1', '0', '1.5']) {
      test(`incident ${id}: 400 naming the parameter`, async () => {
        for (const [method, path, body] of [
          ['GET', `/v1/incidents/${id}`, undefined],
          ['POST', `/v1/incidents/${id}/triage`, JSON.stringify({ state: 'closed' })],
        ] as const) {
          const res = await rawRequest(port, {
            method,
            path,
            headers: {
              authorization: `Bearer ${h.adminKey}`,
              ...(body ? { 'content-type': 'application/json' } : {}),
            },
            body,
          });
          const problem = assertProblem(res, 400, 'validation-failed') as { errors?: { field: string }[] };
          assert.deepEqual(
            problem.errors?.map((e) => e.field),
            ['path:/id'],
          );
        }
      });
    }
  });
}
