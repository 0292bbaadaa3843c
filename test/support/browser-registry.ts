/**
 * A registry a browser can reach: the in-process harness (test/support/harness.ts) listening on a loopback port,
 * its public URL that very address (http://localhost:<port>: cookies, Origin checks and WebAuthn's relying party
 * are bound to it), with the API reference UI at /docs as `robotid serve` has it.
 */
import { getPublicRobot } from '../../src/app/robots.js';
import { runDemo } from '../../src/demo/run.js';
import type { LifecycleState } from '../../src/domain/lifecycle/status.js';
import type { ServerOptions } from '../../src/edges/http/server.js';
import { startHarness, type Harness } from './harness.js';
import { freePort } from './ports.js';

export interface BrowserRegistry {
  h: Harness;
  /** Where the browser finds it, e.g. http://localhost:41234 (also its public URL). */
  origin: string;
  close(): Promise<void>;
}

export async function startBrowserRegistry(
  options: { postgres?: boolean; server?: ServerOptions } = {},
): Promise<BrowserRegistry> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const h = await startHarness({
    postgres: options.postgres ?? false,
    publicBaseUrl: origin,
    server: { docsUi: true, ...options.server },
  });
  try {
    await h.app.listen({ host: '127.0.0.1', port });
  } catch (error) {
    await h.close();
    throw error;
  }
  return { h, origin, close: () => h.close() };
}

/** The demo's population (Chinese manufacturers and models, every state), small enough for a browser test. */
export async function fillWithDemo(registry: BrowserRegistry, robots = 120) {
  await runDemo(registry.h.ctx, { robots, seed: 20261125, now: new Date('2026-11-25T00:00:00Z') });
}

/** A robot in `state` as the public sees it (its printed ID is what a QR code or a person types). */
export async function robotIn(registry: BrowserRegistry, state: LifecycleState) {
  const page = await registry.h.ctx.store.read((r) => r.findRobots({ state }, { after: '', limit: 1 }));
  const item = page.items[0];
  if (!item) throw new Error(`the registry has no robot in state ${state}`);
  return getPublicRobot(registry.h.ctx, item.id);
}
