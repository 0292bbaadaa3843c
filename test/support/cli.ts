import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness } from './harness.js';
import { reaped } from './reaper.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The `robotid` command as users run it: bin/robotid.js runs the compiled dist/main/cli.js, which the test runner
 * builds from src/ first when src/ is newer (scripts/run-tests.mjs). Not the sources through tsx: a child process
 * that transpiles its imports on every start costs about twice the CPU, and the suite starts hundreds.
 */
export const CLI_ENTRY = join(root, 'dist/main/cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh temp directory to serve as the CLI user's home. */
export const tempHome = () => mkdtempSync(join(tmpdir(), 'robotid-cli-home-'));

/**
 * An environment for the CLI that never touches the user's home: HOME, XDG_CONFIG_HOME and ROBOTID_CONFIG point
 * into a fresh temp directory, and no ROBOTID_* setting of the calling shell leaks in.
 */
export function isolatedEnv(
  home: string,
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('ROBOTID_') && name !== 'NODE_OPTIONS') env[name] = value;
  }
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    ROBOTID_CONFIG: join(home, 'config.json'),
  });
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** How long one CLI run may take before it is killed and the call fails (generous: CI may be loaded). */
const CLI_TIMEOUT_MS = 120_000;

/**
 * Runs `robotid <args>` as a child process (the compiled CLI, CLI_ENTRY), in `cwd` (the repository by default);
 * never rejects on a non-zero exit, but rejects (and kills it) when it has not ended within `CLI_TIMEOUT_MS`.
 */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
  stdin?: string,
  cwd = root,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = reaped(spawn(process.execPath, [CLI_ENTRY, ...args], { cwd, env }));
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const output = () => ({
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      const { stdout, stderr } = output();
      reject(
        new Error(
          `robotid ${args.join(' ')} did not end within ${CLI_TIMEOUT_MS} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, CLI_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...output() });
    });
    child.stdin.end(stdin ?? '');
  });
}

/** The CLI exited with `code`; on failure the message shows what it printed. */
export const expectExit = (result: CliResult, code: number) =>
  assert.equal(
    result.code,
    code,
    `exit ${result.code}, expected ${code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
  );

/**
 * A registry listening on loopback for CLI tests, and a CLI user's home of its own: `as(key)` is the environment
 * of a CLI acting with that key against it (`options`: the harness's). `close` stops the registry and removes the
 * home.
 */
export async function servedRegistry(options: Parameters<typeof startHarness>[0] = {}) {
  const h = await startHarness(options);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  const home = tempHome();
  return {
    h,
    url,
    home,
    as: (key: string) => isolatedEnv(home, { ROBOTID_URL: url, ROBOTID_API_KEY: key }),
    close: async () => {
      await h.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
