import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../src/app/context.js';
import { initAdministrator } from '../../src/app/organisations.js';
import { buildServer } from '../../src/edges/http/server.js';
import { loadConfig } from '../../src/config.js';
import { openContext } from '../../src/runtime.js';

export interface Harness {
  ctx: AppContext;
  app: FastifyInstance;
  adminKey: string;
  dataDir: string;
  /** JSON request with an optional key; returns status, headers and parsed body. */
  call(
    method: string,
    url: string,
    options?: { key?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    headers: Record<string, unknown>;
    body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  }>;
  close(): Promise<void>;
}

/** `logSignerKey`: start with this log signing key (two registries signing as one: a split view). */
export async function startHarness(options: { logSignerKey?: string } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'robotid-test-'));
  if (options.logSignerKey) writeFileSync(join(dataDir, 'log-signer.key'), options.logSignerKey);
  const ctx = await openContext(loadConfig({ dataDir, publicBaseUrl: 'https://registry.test' }, {}));
  const app = await buildServer(ctx);
  const { key } = await initAdministrator(ctx);
  return {
    ctx,
    app,
    adminKey: key.token,
    dataDir,
    async call(method, url, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.key) headers.authorization = `Bearer ${options.key}`;
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(options.body === undefined
          ? {}
          : typeof options.body === 'string'
            ? { payload: options.body }
            : { payload: options.body as object }),
      });
      const type = String(response.headers['content-type'] ?? '');
      const body = type.includes('json') ? response.json() : response.body;
      return { status: response.statusCode, headers: response.headers, body };
    },
    async close() {
      await app.close();
      await ctx.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
