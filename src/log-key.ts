/** The registry's log signing key on disk: read if it exists, created (readable by the owner only) if not. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateSigner, parseSignerKey } from './log/note.js';

/** `origin`: the configured one, which an existing key must match; `fallback`: the name for a new key otherwise. */
export function loadOrCreateLogKey(file: string, origin: string | undefined, fallback: string): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    // 'wx': if another process created it first, fail here rather than overwrite the key it signs with.
    writeFileSync(file, `${generateSigner(origin ?? fallback).signerKey}\n`, { mode: 0o600, flag: 'wx' });
  }
  const key = readFileSync(file, 'utf8').trim();
  const name = parseSignerKey(key).name;
  if (origin !== undefined && name !== origin)
    throw new Error(`the log key in ${file} is for origin "${name}", not the configured "${origin}"`);
  return key;
}
