/**
 * What a test file started outside itself (server processes, CLI runs, PostgreSQL clusters) is ended however the
 * file ends: normally, after a failure that skipped its cleanup, or stopped by the runner (a timeout sends
 * SIGTERM, scripts/run-tests.mjs). A live child would otherwise keep the file, and `npm test`, from finishing.
 */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
const cleanups = new Set<() => void>();

/** Ends `child` (SIGKILL) when this process ends, unless it has exited by then. */
export function reaped<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Runs `cleanup` (synchronous) when this process ends; the returned function unregisters it. */
export function atExit(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

function endEverything() {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // the rest still gets its turn
    }
  }
  cleanups.clear();
}

process.on('exit', endEverything);
for (const [signal, number] of [
  ['SIGTERM', 15],
  ['SIGINT', 2],
  ['SIGHUP', 1],
] as const) {
  process.once(signal, () => {
    endEverything();
    process.exit(128 + number);
  });
}
