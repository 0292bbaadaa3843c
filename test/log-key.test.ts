import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { reaped } from './support/reaper.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const module = new URL('../src/main/keys/log-key.ts', import.meta.url).href;

/** A process that loads or creates the key at the instant `at` (ms since the epoch) and prints it. */
function loadKeyAt(file: string, at: number): Promise<string> {
  const script = `
    const { loadOrCreateLogKey } = await import(${JSON.stringify(module)});
    await new Promise((r) => setTimeout(r, ${at} - Date.now()));
    process.stdout.write(loadOrCreateLogKey(${JSON.stringify(file)}, undefined, 'registry.test/robotid-log'));`;
  return new Promise((resolve, reject) => {
    const child = reaped(
      spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root }),
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

describe('the log signing key file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'robotid-log-key-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('server processes starting together on one data directory all end up with one key', async () => {
    const file = join(dir, 'data', 'log-signer.key');
    const at = Date.now() + 3_000; // after every process has loaded its modules
    const keys = await Promise.all(Array.from({ length: 4 }, () => loadKeyAt(file, at)));
    assert.equal(new Set(keys).size, 1, 'one key');
    assert.match(keys[0]!, /^PRIVATE\+KEY\+registry\.test\/robotid-log\+/);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'readable by the owner only');
    assert.deepEqual(readdirSync(join(dir, 'data')), ['log-signer.key'], 'no temporary files left behind');
  });
});
