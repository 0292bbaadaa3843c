/** The registry's log signing key on disk: read if it exists, created (readable by the owner only) if not. */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { conflict } from '../../domain/errors.js';
import { generateSigner, parseSignerKey } from '../../log/note.js';

/**
 * Creates `file` holding `content` unless it exists, atomically: written whole under a temporary name, then
 * hard-linked into place, which fails if another process got there first. Either way the file is whole when seen.
 */
export function createOnce(file: string, content: string) {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, file);
  } catch (error) {
    // Another server process starting on the same data directory created it: its key is the registry's.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/** `origin`: the configured one, which an existing key must match; `fallback`: the name for a new key otherwise. */
export function loadOrCreateLogKey(file: string, origin: string | undefined, fallback: string): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    createOnce(file, `${generateSigner(origin ?? fallback).signerKey}\n`);
  }
  const key = readFileSync(file, 'utf8').trim();
  const name = parseSignerKey(key).name;
  if (origin !== undefined && name !== origin)
    throw conflict(
      'log-origin-mismatch',
      `the log key in ${file} is for origin "${name}", not the configured "${origin}": a log keeps its name ` +
        '(witnesses and verifiers pin it with the key); a new name is a new log, in a new data directory',
      [{ field: 'ROBOTID_LOG_ORIGIN', message: `(or --log-origin) set it to "${name}", or unset it` }],
    );
  return key;
}
