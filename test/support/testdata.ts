import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared reference vectors (written by others, read in place): $ROBOTID_TESTDATA, else `shared/testdata` beside
 * this checkout or beside any folder above it (a CI clone may sit deeper), else this workplace's copy. Missing
 * vectors fail the tests that need them: they are the tests from outside, never skipped.
 */
function findTestdata(): string {
  if (process.env.ROBOTID_TESTDATA) return process.env.ROBOTID_TESTDATA;
  for (let dir = fileURLToPath(new URL('../../', import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, '..', 'shared', 'testdata');
    if (existsSync(candidate)) return resolve(candidate);
    if (dirname(dir) === dir) break;
  }
  return '/work/shared/testdata';
}

export const TESTDATA = findTestdata();
