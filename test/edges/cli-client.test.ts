// The CLI's transport over the generated client (src/edges/cli/client.ts), against a stand-in registry in process:
// what it sends, and how it reports each kind of answer the commands rely on.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ApiClient, ApiError } from '../../src/edges/cli/client.js';
import { CliError, ExitCode } from '../../src/edges/cli/exit-codes.js';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

describe('the CLI transport (openapi-fetch over the generated contract)', () => {
  const seen: Seen[] = [];
  let server: Server;
  let url: string;

  before(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      if (req.url === '/v1/me') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not a registry</html>');
      } else if (req.url?.startsWith('/v1/robots/')) {
        res.writeHead(404, { 'content-type': 'application/problem+json' }).end(
          JSON.stringify({
            type: 'urn:robotid:problem:not-found',
            title: 'Not Found',
            status: 404,
            detail: 'no such robot',
            errors: [{ field: '/id', message: 'unknown' }],
          }),
        );
      } else if (req.url === '/v1/organisations') {
        res.writeHead(200, { 'content-type': 'application/json' }).end();
      } else if (req.url === '/v1/log/key') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('registry+abc\n');
      } else {
        res.writeHead(500).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('an error status is an ApiError carrying the problem document; key and purpose are sent', async () => {
    const client = new ApiClient(url, 'rid_key', 'inspection');
    const failure = await client
      .call((api) => api.GET('/v1/robots/{id}', { params: { path: { id: 'A B/1' } } }))
      .then(
        () => assert.fail('a 404 must not resolve'),
        (error: unknown) => error,
      );
    assert.ok(failure instanceof ApiError);
    assert.equal(failure.status, 404);
    assert.equal(failure.exitCode, ExitCode.notFound);
    assert.equal(failure.message, 'no such robot');
    assert.deepEqual(failure.details, ['/id: unknown']);
    assert.equal(failure.problem?.type, 'urn:robotid:problem:not-found');
    const request = seen.at(-1)!;
    assert.equal(request.url, '/v1/robots/A%20B%2F1', 'path parameters are encoded');
    assert.equal(request.headers.authorization, 'Bearer rid_key');
    assert.equal(request.headers['robotid-purpose'], 'inspection');
    assert.equal(request.headers.accept, 'application/json');
  });

  test('a 2xx answer that is not JSON, or empty, says the address is no robotid registry', async () => {
    const client = new ApiClient(url, 'rid_key');
    const noRegistry = (error: unknown) =>
      error instanceof CliError &&
      error.exitCode === ExitCode.unavailable &&
      error.message === `${url} did not answer with JSON: is it a robotid registry?`;
    await assert.rejects(
      client.call((api) => api.GET('/v1/me')),
      noRegistry,
    );
    await assert.rejects(
      client.call((api) => api.GET('/v1/organisations')),
      noRegistry,
    );
  });

  test('a text download takes what the route serves, without key or purpose when none is configured', async () => {
    const client = new ApiClient(url, undefined);
    assert.equal(await client.call((api) => api.GET('/v1/log/key', { parseAs: 'text' })), 'registry+abc\n');
    const request = seen.at(-1)!;
    assert.equal(request.headers.accept, '*/*');
    assert.equal(request.headers.authorization, undefined);
    assert.equal(request.headers['robotid-purpose'], undefined);
  });

  test('a call that needs a key fails before sending when none is configured', async () => {
    const before = seen.length;
    await assert.rejects(
      new ApiClient(url, undefined).call((api) => api.GET('/v1/me'), { auth: 'required' }),
      (error: unknown) => error instanceof CliError && error.exitCode === ExitCode.auth,
    );
    assert.equal(seen.length, before, 'nothing was sent');
  });
});
