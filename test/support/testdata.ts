import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the shared reference vectors (written by others, read in place) are: `env.ROBOTID_TESTDATA`, else
 * `shared/testdata` beside `checkout` or beside any folder above it (a CI clone may sit deeper). Missing vectors
 * fail the tests that need them, with a message that says how to point at them: they are the tests from outside,
 * never skipped.
 */
export function findTestdata(checkout: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = env.ROBOTID_TESTDATA;
  if (given) {
    if (existsSync(given)) return resolve(given);
    throw new Error(`ROBOTID_TESTDATA names ${given}, which does not exist`);
  }
  for (let dir = resolve(checkout); ; dir = dirname(dir)) {
    const candidate = join(dir, '..', 'shared', 'testdata');
    if (existsSync(candidate)) return resolve(candidate);
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    `the shared reference vectors (shared/testdata) are not beside ${checkout} or any folder above it: ` +
      'set ROBOTID_TESTDATA to their folder',
  );
}

export const TESTDATA = findTestdata(fileURLToPath(new URL('../../', import.meta.url)));
