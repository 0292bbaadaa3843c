import type { ApiKeyRecord } from '../store.js';
import type { Connection } from './connection.js';
import { apiKeyValues, type KeyRow, toKey } from '../rows.js';

export function getApiKey(c: Connection, id: string): ApiKeyRecord | null {
  const row = c.stmt('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined;
  return row ? toKey(row) : null;
}

export const listApiKeys = (c: Connection, orgId: string): ApiKeyRecord[] =>
  (c.stmt('SELECT * FROM api_keys WHERE org_id = ? ORDER BY seq').all(orgId) as KeyRow[]).map(toKey);

export function insertApiKey(c: Connection, key: ApiKeyRecord): void {
  c.stmt(
    `INSERT INTO api_keys (id, org_id, name, secret_hash, created_at, created_by_key, revoked_at, last_used_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(...apiKeyValues(key));
}

export function revokeApiKey(c: Connection, id: string, at: string): void {
  c.stmt('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
}

/** SQLite has one writer at a time: a revocation cannot commit while this unit of work is open. */
export const holdApiKey = getApiKey;

export function touchApiKey(c: Connection, id: string, at: string): void {
  c.stmt('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(at, id);
}
