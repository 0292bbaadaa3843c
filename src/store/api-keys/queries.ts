import type { Db } from '../sql/db.js';
import type { QueriesOf } from '../sql/queries.js';
import type { ApiKeyReader, ApiKeyRecord, ApiKeyWriter } from './interface.js';

/** A key's row (api_keys), for the adapters' own versions of a query too. */
export interface KeyRow {
  id: string;
  org_id: string;
  name: string;
  secret_hash: Buffer;
  created_at: string;
  created_by_key: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export const toKey = (row: KeyRow): ApiKeyRecord => ({
  id: row.id,
  orgId: row.org_id,
  name: row.name,
  secretHash: row.secret_hash,
  createdAt: row.created_at,
  createdByKey: row.created_by_key,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

async function getApiKey(db: Db, id: string): Promise<ApiKeyRecord | null> {
  const row = await db.get<KeyRow>('SELECT * FROM api_keys WHERE id = ?', [id]);
  return row ? toKey(row) : null;
}

export const reads: QueriesOf<ApiKeyReader> = {
  getApiKey,

  listApiKeys: async (db, orgId) =>
    (await db.all<KeyRow>('SELECT * FROM api_keys WHERE org_id = ? ORDER BY seq', [orgId])).map(toKey),

  hasAdminKey: async (db) =>
    (await db.get(
      `SELECT 1 FROM api_keys k JOIN org_roles r ON r.org_id = k.org_id AND r.role = 'admin'
       WHERE k.revoked_at IS NULL LIMIT 1`,
    )) !== undefined,
};

export const writes: QueriesOf<ApiKeyWriter> = {
  // seq orders listings; the writers' lock makes max(seq) + 1 safe (PostgreSQL's table has no sequence).
  async insertApiKey(db, key) {
    await db.run(
      `INSERT INTO api_keys (seq, id, org_id, name, secret_hash, created_at, created_by_key, revoked_at, last_used_at)
       VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM api_keys), ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        key.id,
        key.orgId,
        key.name,
        key.secretHash,
        key.createdAt,
        key.createdByKey,
        key.revokedAt,
        key.lastUsedAt,
      ],
    );
  },

  async revokeApiKey(db, id, at) {
    await db.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id]);
  },

  /**
   * A plain read where writers are serialised (SQLite: one writer at a time, so a revocation cannot commit while
   * this unit of work is open). PostgreSQL holds the row instead (postgres/api-keys.ts).
   */
  holdApiKey: getApiKey,

  async touchApiKey(db, id, at) {
    await db.run('UPDATE api_keys SET last_used_at = ? WHERE id = ?', [at, id]);
  },
};
