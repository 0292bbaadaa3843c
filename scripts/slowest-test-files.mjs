// A test reporter (node --test-reporter) that ends the run with its ten slowest test files, so that every CI log
// shows where the time of `npm test` goes. A file's time is the sum of its top-level tests' durations: with files
// run two at a time, the wall-clock time between a file's first and last report says little.
import { relative } from 'node:path';

const SHOWN = 10;

export default async function* slowestTestFiles(source) {
  const seconds = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { file, nesting, details } = event.data;
    if (!file || nesting !== 0) continue;
    seconds.set(file, (seconds.get(file) ?? 0) + (details?.duration_ms ?? 0) / 1000);
  }
  if (seconds.size < 2) return;
  const slowest = [...seconds].sort((a, b) => b[1] - a[1]).slice(0, SHOWN);
  yield `\nthe ${slowest.length} slowest test files (the sum of their top-level tests' durations):\n`;
  for (const [file, time] of slowest)
    yield `${time.toFixed(1).padStart(7)} s  ${relative(process.cwd(), file)}\n`;
}
