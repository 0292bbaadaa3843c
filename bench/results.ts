import { mkdirSync, writeFileSync } from 'node:fs';
import { describeMachine } from './machine.js';

/**
 * Writes a bench's figures, with when and on what machine they were measured, to
 * bench/results/<time>-<host><suffix>.json; answers the file's path.
 */
export function writeResults(figures: unknown, suffix = ''): string {
  const at = new Date().toISOString();
  const machine = describeMachine();
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${at.replace(/[:.]/g, '-')}-${machine.host}${suffix}.json`;
  writeFileSync(file, `${JSON.stringify({ at, machine, figures }, null, 2)}\n`);
  return file;
}
