// Runs every test/**/*.test.ts with Node's test runner (TypeScript through tsx), and makes sure the run ends:
// - each test file gets ROBOTID_TEST_FILE_TIMEOUT_SECONDS (default 600): Node's --test-timeout, which on Node 20
//   bounds a whole file; the file's process is sent SIGTERM (test/support/reaper.ts then ends what it started);
// - the browser tests (test/e2e) need Debian's Chromium at /usr/bin/chromium: without it they are skipped, said so,
//   except in CI (CI=true), where a missing browser fails the run (.ci/run installs it);
// - the whole run gets ROBOTID_TEST_DEADLINE_SECONDS (default 1500): past it, every process the run started is
//   named and ended, and the run fails. This catches what a file timeout cannot: a process left behind that keeps
//   the runner's output open, or the runner itself stuck;
// - the spec report ends with the ten slowest test files (scripts/slowest-test-files.mjs), for every CI log;
// - dist/ is built first when src/ is newer: the CLI and server processes the tests start run it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearTimeout, setTimeout } from 'node:timers';

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function seconds(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!(value > 0)) throw new Error(`${name} must be a number of seconds above 0, got ${text}`);
  return value;
}

const fileTimeout = seconds('ROBOTID_TEST_FILE_TIMEOUT_SECONDS', 600);
const deadline = seconds('ROBOTID_TEST_DEADLINE_SECONDS', 1500);
const only = process.argv.slice(2);
const chosen = only.length > 0 ? only : findTests('test').sort();

const CHROMIUM = '/usr/bin/chromium';
const isBrowserTest = (file) => /(^|\/)test\/e2e\//.test(file.replaceAll('\\', '/'));
const browserTests = chosen.filter(isBrowserTest);
let files = chosen;
if (browserTests.length > 0 && !existsSync(CHROMIUM)) {
  if (process.env.CI === 'true') {
    console.error(
      `run-tests: ${CHROMIUM} is missing; the browser tests (test/e2e) need it (apt-get install chromium).`,
    );
    process.exit(1);
  }
  console.error(
    `run-tests: skipping ${browserTests.length} browser test file(s) in test/e2e: ${CHROMIUM} is missing ` +
      '(apt-get install chromium fonts-wqy-microhei; CI=true makes this a failure).',
  );
  files = chosen.filter((file) => !isBrowserTest(file));
  if (files.length === 0) process.exit(0); // node --test without files would look for tests itself
}

// The CLI and server processes the tests start run the compiled dist/ (test/support/cli.ts CLI_ENTRY), as users'
// `robotid` does: built first whenever a file of src/ is newer than the last build.
function newestIn(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }, 0);
}
const builtCli = 'dist/main/cli.js';
if (!existsSync(builtCli) || newestIn('src') > statSync(builtCli).mtimeMs) {
  console.error(
    'run-tests: building dist/ (src/ changed since the last build) for the CLI processes the tests start',
  );
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}

/**
 * Test files at once: one more than the cores (up to 4 of them). A file also waits (PostgreSQL's commits, processes
 * it starts, a page settling in Chromium), and a third file uses that time: on 2 cores the suite ran in 301 s
 * instead of 349 s (measured one after the other). Bounded, so that a large machine does not start dozens of
 * registries and browsers against one PostgreSQL.
 */
function defaultConcurrency() {
  return Math.min(availableParallelism(), 4) + 1;
}

// A process group of its own, so that the deadline can end it with everything it started, orphans included.
const runner = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${fileURLToPath(new URL('slowest-test-files.mjs', import.meta.url))}`,
    '--test-reporter-destination=stdout',
    `--test-concurrency=${process.env.ROBOTID_TEST_CONCURRENCY ?? defaultConcurrency()}`,
    `--test-timeout=${Math.round(fileTimeout * 1000)}`,
    ...files,
  ],
  { stdio: 'inherit', detached: true },
);

/** The runner's process group and every descendant (some may have left the group), with their command lines. */
function processesOfTheRun() {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s(.*)$/.exec(line))
    .filter((match) => match && !match[4].startsWith('Z')) // zombies are gone already
    .map(([, pid, ppid, pgid, , args]) => ({
      pid: Number(pid),
      ppid: Number(ppid),
      pgid: Number(pgid),
      args,
    }));
  const ours = new Set([runner.pid]);
  for (let grown = true; grown;) {
    grown = false;
    for (const p of table) {
      if (!ours.has(p.pid) && (ours.has(p.ppid) || p.pgid === runner.pid)) {
        ours.add(p.pid);
        grown = true;
      }
    }
  }
  return table.filter((p) => ours.has(p.pid));
}

function signal(pids, name) {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // gone already
    }
  }
}

/** SIGKILL for whatever of the run is left, and a failed run. */
function endFailed() {
  signal(
    processesOfTheRun().map((p) => p.pid),
    'SIGKILL',
  );
  process.exit(1);
}

let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  const running = processesOfTheRun();
  const files = running.filter((p) => p.pid !== runner.pid && /\.test\.ts\b/.test(p.args));
  console.error(
    `\nrun-tests: the test run passed its deadline of ${deadline} s (ROBOTID_TEST_DEADLINE_SECONDS); ending it.`,
  );
  console.error(
    `run-tests: test files still running: ${files.map((p) => p.args.split(' ').find((a) => a.endsWith('.test.ts'))).join(', ') || 'none'}`,
  );
  console.error('run-tests: processes still running:');
  for (const p of running) console.error(`  ${p.pid} ${p.args}`);
  // SIGTERM first: test files end what they started (test/support/reaper.ts); then SIGKILL for what remains.
  signal(
    running.map((p) => p.pid),
    'SIGTERM',
  );
  setTimeout(endFailed, 5_000);
}, deadline * 1000);

// Ctrl-C or a stop of `npm test` reaches the runner's own group, not ours: pass it on.
for (const name of ['SIGINT', 'SIGTERM']) {
  process.on(name, () => {
    signal(
      processesOfTheRun().map((p) => p.pid),
      name,
    );
    process.exit(1);
  });
}

// A process the tests left behind (still in the run's group) is ended and fails the run: tests end what they start.
runner.on('exit', (code, sig) => {
  if (timedOut) return endFailed();
  clearTimeout(timer);
  const left = processesOfTheRun().filter((p) => p.pid !== runner.pid);
  if (left.length > 0) {
    console.error('\nrun-tests: the tests left these processes running; ending them:');
    for (const p of left) console.error(`  ${p.pid} ${p.args}`);
    signal(
      left.map((p) => p.pid),
      'SIGKILL',
    );
  }
  const status = code ?? (sig ? 1 : 0);
  process.exit(status !== 0 ? status : left.length > 0 ? 1 : 0);
});
