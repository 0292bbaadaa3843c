import type { ApiKeyRecord } from '../store.js';
import type { Connection } from './connection.js';
import { apiKeyValues, type KeyRow, toKey } from '../rows.js';

export async function getApiKey(c: Connection, id: string): Promise<ApiKeyRecord | null> {
  const row = await c.row<KeyRow>('SELECT * FROM api_keys WHERE id = $1', [id]);
  return row ? toKey(row) : null;
}

export const listApiKeys = async (c: Connection, orgId: string): Promise<ApiKeyRecord[]> =>
  (await c.rows<KeyRow>('SELECT * FROM api_keys WHERE org_id = $1 ORDER BY seq', [orgId])).map(toKey);

export async function insertApiKey(c: Connection, key: ApiKeyRecord): Promise<void> {
  await c.run(
    `INSERT INTO api_keys (seq, id, org_id, name, secret_hash, created_at, created_by_key, revoked_at, last_used_at)
     VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM api_keys), $1, $2, $3, $4, $5, $6, $7, $8)`,
    apiKeyValues(key),
  );
}

export async function revokeApiKey(c: Connection, id: string, at: string): Promise<void> {
  await c.run('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id]);
}

/** FOR SHARE: a concurrent revocation's UPDATE waits until this unit of work ends (and one before it is seen). */
export async function holdApiKey(c: Connection, id: string): Promise<ApiKeyRecord | null> {
  const row = await c.row<KeyRow>('SELECT * FROM api_keys WHERE id = $1 FOR SHARE', [id]);
  return row ? toKey(row) : null;
}

export async function touchApiKey(c: Connection, id: string, at: string): Promise<void> {
  await c.run('UPDATE api_keys SET last_used_at = $1 WHERE id = $2', [at, id]);
}
