import type { PersonalDataErasure, PersonalDataRecord, WrappedKeyRecord } from '../store.js';
import type { Connection } from './connection.js';
import {
  type ErasureRow,
  type PersonalDataRow,
  type WrappedKeyRow,
  erasureValues,
  personalDataValues,
  toErasure,
  toPersonalData,
  toWrappedKey,
} from '../rows.js';

export function getPersonalData(c: Connection, partyId: string): PersonalDataRecord | null {
  const row = c.stmt('SELECT * FROM personal_data WHERE party_id = ?').get(partyId) as
    PersonalDataRow | undefined;
  return row ? toPersonalData(row) : null;
}

export function getPersonalDataErasure(c: Connection, partyId: string): PersonalDataErasure | null {
  const row = c.stmt('SELECT * FROM personal_data_erasures WHERE party_id = ?').get(partyId) as
    ErasureRow | undefined;
  return row ? toErasure(row) : null;
}

export const listKeysWrappedOtherThan = (
  c: Connection,
  kekVersion: number,
  afterPartyId: string,
  limit: number,
) =>
  (
    c
      .stmt(
        `SELECT party_id, kek_version, wrapped_key FROM personal_data
         WHERE party_id > ? AND kek_version <> ? ORDER BY party_id LIMIT ?`,
      )
      .all(afterPartyId, kekVersion, limit) as WrappedKeyRow[]
  ).map(toWrappedKey);

export function countWrappedKeysByVersion(c: Connection): Map<number, number> {
  const rows = c.stmt('SELECT kek_version, count(*) AS n FROM personal_data GROUP BY kek_version').all() as {
    kek_version: number;
    n: number;
  }[];
  return new Map(rows.map((r) => [r.kek_version, r.n]));
}

export function putPersonalData(c: Connection, record: PersonalDataRecord): void {
  c.stmt(
    `INSERT OR REPLACE INTO personal_data
       (party_id, kek_version, wrapped_key, nonce, ciphertext, auth_tag, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(...personalDataValues(record));
}

export const rewrapPersonalDataKey = (
  c: Connection,
  previous: WrappedKeyRecord,
  kekVersion: number,
  wrappedKey: Buffer,
) =>
  c
    .stmt(
      `UPDATE personal_data SET kek_version = ?, wrapped_key = ?
       WHERE party_id = ? AND kek_version = ? AND wrapped_key = ?`,
    )
    .run(kekVersion, wrappedKey, previous.partyId, previous.kekVersion, previous.wrappedKey).changes > 0;

/**
 * secure_delete overwrites the deleted row's bytes in the page rather than leaving them in free space (FAST: only
 * on pages written anyway). It is a setting of this connection, the one writer that erases.
 */
export function deletePersonalData(c: Connection, partyId: string): boolean {
  c.db.pragma('secure_delete = FAST');
  return c.stmt('DELETE FROM personal_data WHERE party_id = ?').run(partyId).changes > 0;
}

export function insertPersonalDataErasure(c: Connection, erasure: PersonalDataErasure): void {
  c.stmt(
    `INSERT INTO personal_data_erasures (party_id, erased_at, erased_by, legal_basis, request_reference)
     VALUES (?, ?, ?, ?, ?)`,
  ).run(...erasureValues(erasure));
}
