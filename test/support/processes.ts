/** Registry servers as real processes (`robotid serve`, compiled: CLI_ENTRY), called over HTTP like any client would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLI_ENTRY } from './cli.js';
import type { Api } from './harness.js';
import { reaped } from './reaper.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export { freePort } from './ports.js';

/** A spawned `robotid serve` with its JSON log lines (a cluster's workers write to their primary's stdout). */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** Every parsed log line so far, workers' included. */
  lines: Record<string, unknown>[];
  /** Resolves with the process's exit code (null if killed by a signal). */
  exited: Promise<number | null>;
}

export function spawnServer(args: string[], port: number, env: Record<string, string>): ServerProcess {
  const child = reaped(
    spawn(process.execPath, [CLI_ENTRY, 'serve', '--port', String(port), ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const lines: Record<string, unknown>[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const complete = text.split('\n');
    partial = complete.pop()!;
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line }); // not JSON: kept for failure messages
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => lines.push({ stderr: chunk.toString('utf8') }));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, lines, exited };
}

/** Polls `check` every 50 ms until it is true; fails with `what` after `timeoutMs` (generous: CI may be loaded). */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const isReady = (port: number) =>
  fetch(`http://127.0.0.1:${port}/readyz`).then(
    (r) => r.ok,
    () => false,
  );

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves with its exit code. */
export async function stopServer(server: ServerProcess, graceMs = 10_000): Promise<number | null> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return server.exited;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
  const code = await server.exited;
  clearTimeout(timer);
  return code;
}

/** The registry at `port` as an `Api` for the fixtures, over real HTTP. */
export function httpApi(port: number, adminKey: string): Api {
  return {
    adminKey,
    async call(method, url, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.key) headers.authorization = `Bearer ${options.key}`;
      let body: string | undefined;
      if (options.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      }
      const response = await fetch(`http://127.0.0.1:${port}${url}`, { method, headers, body });
      const type = response.headers.get('content-type') ?? '';
      const text = await response.text();
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: type.includes('json') ? (JSON.parse(text) as unknown) : text,
      };
    },
  };
}
