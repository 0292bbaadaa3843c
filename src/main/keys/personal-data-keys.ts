/**
 * The personal-data key ring on disk (src/app/personal-data/key-ring.ts): JSON, readable by the owner only. The
 * default file in the data directory is created on first start; a file named by ROBOTID_PERSONAL_DATA_KEYS must
 * exist (a missing secret is a mistake, and a new ring would not open the data the old one wrapped).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KeyRing } from '../../app/personal-data/key-ring.js';
import { createOnce } from './log-key.js';

export function ensurePersonalDataKeys(file: string, configured: boolean): void {
  if (existsSync(file)) return;
  if (configured) throw new Error(`ROBOTID_PERSONAL_DATA_KEYS names ${file}, which does not exist`);
  mkdirSync(dirname(file), { recursive: true });
  createOnce(file, KeyRing.generate(new Date().toISOString()).toJson());
}

export const readKeyRing = (file: string) => KeyRing.parse(readFileSync(file, 'utf8'), file);

/**
 * The ring as the file holds it now, read again whenever the file changed: `robotid keys rotate-personal-data`
 * replaces it while servers run, and they must wrap new data keys under the new key from then on.
 */
export function keyRingSource(file: string): () => KeyRing {
  let seen = '';
  let ring: KeyRing | undefined;
  return () => {
    const s = statSync(file);
    const stamp = `${s.ino}:${s.size}:${s.mtimeMs}`;
    if (ring === undefined || stamp !== seen) {
      ring = readKeyRing(file);
      seen = stamp;
    }
    return ring;
  };
}

/** Replaces the ring file whole (written aside, then renamed over it), readable by the owner only. */
export function writeKeyRing(file: string, ring: KeyRing): void {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, ring.toJson(), { mode: 0o600, flag: 'wx' });
  renameSync(temporary, file);
}
