import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

test('npm run fuzz refuses bad options with exit 2, naming the option, before starting a registry', () => {
  const cases: [string[], RegExp][] = [
    [['--requests', 'abc'], /--requests must be a whole number of at least 1, got "abc"/],
    [['--store', 'mysql'], /--store must be sqlite, postgres or both, got "mysql"/],
    [['--concurrency', '0'], /--concurrency must be a whole number of at least 1/],
    [['--seed=-3'], /--seed must be a whole number of at least 0/],
    [['--speed', '3'], /Unknown option '--speed'/],
  ];
  for (const [args, message] of cases) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/fuzz.ts', ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stdout, '', 'nothing was started');
  }
});
