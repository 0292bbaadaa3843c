import type { QueriesOf } from '../sql/queries.js';
import type {
  PersonalDataErasure,
  PersonalDataReader,
  PersonalDataRecord,
  PersonalDataWriter,
  WrappedKeyRecord,
} from './interface.js';

interface PersonalDataRow {
  party_id: string;
  kek_version: number;
  wrapped_key: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
  created_at: string;
  updated_at: string;
}

const toPersonalData = (r: PersonalDataRow): PersonalDataRecord => ({
  partyId: r.party_id,
  kekVersion: r.kek_version,
  wrappedKey: r.wrapped_key,
  nonce: r.nonce,
  ciphertext: r.ciphertext,
  authTag: r.auth_tag,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

type WrappedKeyRow = Pick<PersonalDataRow, 'party_id' | 'kek_version' | 'wrapped_key'>;

const toWrappedKey = (r: WrappedKeyRow): WrappedKeyRecord => ({
  partyId: r.party_id,
  kekVersion: r.kek_version,
  wrappedKey: r.wrapped_key,
});

interface ErasureRow {
  party_id: string;
  erased_at: string;
  erased_by: string | null;
  legal_basis: string;
  request_reference: string;
}

const toErasure = (r: ErasureRow): PersonalDataErasure => ({
  partyId: r.party_id,
  erasedAt: r.erased_at,
  erasedBy: r.erased_by,
  legalBasis: r.legal_basis,
  requestReference: r.request_reference,
});

export const reads: QueriesOf<PersonalDataReader> = {
  async getPersonalData(db, partyId) {
    const row = await db.get<PersonalDataRow>('SELECT * FROM personal_data WHERE party_id = ?', [partyId]);
    return row ? toPersonalData(row) : null;
  },

  async getPersonalDataErasure(db, partyId) {
    const row = await db.get<ErasureRow>('SELECT * FROM personal_data_erasures WHERE party_id = ?', [
      partyId,
    ]);
    return row ? toErasure(row) : null;
  },

  // party_id compares by bytes in both databases (PostgreSQL's column is COLLATE "C").
  listKeysWrappedOtherThan: async (db, kekVersion, afterPartyId, limit) =>
    (
      await db.all<WrappedKeyRow>(
        `SELECT party_id, kek_version, wrapped_key FROM personal_data
         WHERE party_id > ? AND kek_version <> ? ORDER BY party_id LIMIT ?`,
        [afterPartyId, kekVersion, limit],
      )
    ).map(toWrappedKey),

  async countWrappedKeysByVersion(db) {
    const rows = await db.all<{ kek_version: number; n: number }>(
      'SELECT kek_version, count(*) AS n FROM personal_data GROUP BY kek_version',
    );
    return new Map(rows.map((r) => [r.kek_version, Number(r.n)]));
  },
};

export const writes: QueriesOf<PersonalDataWriter> = {
  async putPersonalData(db, p) {
    await db.run(
      `INSERT INTO personal_data
         (party_id, kek_version, wrapped_key, nonce, ciphertext, auth_tag, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (party_id) DO UPDATE SET kek_version = excluded.kek_version,
         wrapped_key = excluded.wrapped_key, nonce = excluded.nonce, ciphertext = excluded.ciphertext,
         auth_tag = excluded.auth_tag, created_at = excluded.created_at, updated_at = excluded.updated_at`,
      [p.partyId, p.kekVersion, p.wrappedKey, p.nonce, p.ciphertext, p.authTag, p.createdAt, p.updatedAt],
    );
  },

  rewrapPersonalDataKey: async (db, previous, kekVersion, wrappedKey) =>
    (
      await db.run(
        `UPDATE personal_data SET kek_version = ?, wrapped_key = ?
         WHERE party_id = ? AND kek_version = ? AND wrapped_key = ?`,
        [kekVersion, wrappedKey, previous.partyId, previous.kekVersion, previous.wrappedKey],
      )
    ).changes > 0,

  /**
   * On PostgreSQL the row's old version stays in the table's storage until VACUUM reclaims it
   * (docs/operations.md); SQLite's adapter overwrites it (sqlite/personal-data.ts).
   */
  deletePersonalData: async (db, partyId) =>
    (await db.run('DELETE FROM personal_data WHERE party_id = ?', [partyId])).changes > 0,

  async insertPersonalDataErasure(db, e) {
    await db.run(
      `INSERT INTO personal_data_erasures (party_id, erased_at, erased_by, legal_basis, request_reference)
       VALUES (?, ?, ?, ?, ?)`,
      [e.partyId, e.erasedAt, e.erasedBy, e.legalBasis, e.requestReference],
    );
  },
};
