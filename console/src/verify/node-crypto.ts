// The browser's stand-in for what src/log's bundle check takes from Node (the console's build puts it where
// `node:crypto` is imported: console/vite.config.ts): SHA-256 by @noble/hashes, synchronous as node:crypto's `hash`
// is (Web Crypto's is not), random bytes by Web Crypto, and the Buffer global by the buffer package. Nothing else
// of node:crypto is here: signatures are checked with Web Crypto (checkpoint.ts), so a src/log module that signs or
// opens notes (note.ts) fails the console's build rather than its users.
import { sha256 } from '@noble/hashes/sha2.js';
import { Buffer } from 'buffer';

// Before any src/log module runs: they use the global, as under Node (ES modules run their imports first).
globalThis.Buffer ??= Buffer as unknown as typeof globalThis.Buffer;

/** node:crypto's `hash('sha256', data, 'buffer')`, the one digest src/log asks for. */
export function hash(algorithm: string, data: string | Uint8Array, encoding: string): Buffer {
  if (algorithm !== 'sha256' || encoding !== 'buffer')
    throw new Error(`hash(${algorithm}, …, ${encoding}) is not in the console's node:crypto`);
  return Buffer.from(sha256(typeof data === 'string' ? new TextEncoder().encode(data) : data));
}

export function randomBytes(size: number): Buffer {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(size)));
}
