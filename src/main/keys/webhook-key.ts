/**
 * The key that seals webhook signing secrets in the database (src/app/notifications/secrets.ts): 32 random bytes,
 * base64, in a file of the data directory readable by the owner only, created on first start. Server processes
 * that share a database must share this file, as they share the log key: a secret sealed by one is opened by all.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createOnce } from './log-key.js';

const KEY_BYTES = 32;

export function loadOrCreateWebhookKey(file: string): Buffer {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    createOnce(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`);
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${file} is not ${KEY_BYTES} bytes of base64`);
  return key;
}
