import { mkdirSync, writeFileSync } from 'node:fs';
import { describeMachine } from './machine.js';

/**
 * Writes a bench's figures, with when, on what machine and on which code they were measured (`code`: the compiled
 * dist/ that `npm start` runs, or the sources through tsx; bench/compiled.mjs), to
 * bench/results/<time>-<host><suffix>.json; answers the file's path.
 */
export function writeResults(figures: unknown, suffix = ''): string {
  const at = new Date().toISOString();
  const machine = describeMachine();
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${at.replace(/[:.]/g, '-')}-${machine.host}${suffix}.json`;
  writeFileSync(file, `${JSON.stringify({ at, machine, code: benchedCode(), figures }, null, 2)}\n`);
  return file;
}

/** Which code the registry ran in this bench (bench/compiled.mjs says so when it loads dist/). */
export const benchedCode = () => process.env.ROBOTID_BENCH_CODE ?? 'src through tsx';
