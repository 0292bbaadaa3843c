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

export async function getPersonalData(c: Connection, partyId: string): Promise<PersonalDataRecord | null> {
  const row = await c.row<PersonalDataRow>('SELECT * FROM personal_data WHERE party_id = $1', [partyId]);
  return row ? toPersonalData(row) : null;
}

export async function getPersonalDataErasure(
  c: Connection,
  partyId: string,
): Promise<PersonalDataErasure | null> {
  const row = await c.row<ErasureRow>('SELECT * FROM personal_data_erasures WHERE party_id = $1', [partyId]);
  return row ? toErasure(row) : null;
}

export const listKeysWrappedOtherThan = async (
  c: Connection,
  kekVersion: number,
  afterPartyId: string,
  limit: number,
) =>
  (
    await c.rows<WrappedKeyRow>(
      `SELECT party_id, kek_version, wrapped_key FROM personal_data
       WHERE party_id > $1 AND kek_version <> $2 ORDER BY party_id LIMIT $3`,
      [afterPartyId, kekVersion, limit],
    )
  ).map(toWrappedKey);

export async function countWrappedKeysByVersion(c: Connection): Promise<Map<number, number>> {
  const rows = await c.rows<{ kek_version: number; n: number }>(
    'SELECT kek_version, count(*) AS n FROM personal_data GROUP BY kek_version',
  );
  return new Map(rows.map((r) => [r.kek_version, Number(r.n)]));
}

export async function putPersonalData(c: Connection, record: PersonalDataRecord): Promise<void> {
  await c.run(
    `INSERT INTO personal_data
       (party_id, kek_version, wrapped_key, nonce, ciphertext, auth_tag, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (party_id) DO UPDATE SET kek_version = excluded.kek_version,
       wrapped_key = excluded.wrapped_key, nonce = excluded.nonce, ciphertext = excluded.ciphertext,
       auth_tag = excluded.auth_tag, created_at = excluded.created_at, updated_at = excluded.updated_at`,
    personalDataValues(record),
  );
}

export const rewrapPersonalDataKey = async (
  c: Connection,
  previous: WrappedKeyRecord,
  kekVersion: number,
  wrappedKey: Buffer,
) =>
  (
    await c.rows(
      `UPDATE personal_data SET kek_version = $1, wrapped_key = $2
       WHERE party_id = $3 AND kek_version = $4 AND wrapped_key = $5 RETURNING party_id`,
      [kekVersion, wrappedKey, previous.partyId, previous.kekVersion, previous.wrappedKey],
    )
  ).length > 0;

/** The row's old version stays in the table's storage until VACUUM reclaims it (docs/operations.md). */
export const deletePersonalData = async (c: Connection, partyId: string) =>
  (await c.rows('DELETE FROM personal_data WHERE party_id = $1 RETURNING party_id', [partyId])).length > 0;

export async function insertPersonalDataErasure(c: Connection, erasure: PersonalDataErasure): Promise<void> {
  await c.run(
    `INSERT INTO personal_data_erasures (party_id, erased_at, erased_by, legal_basis, request_reference)
     VALUES ($1, $2, $3, $4, $5)`,
    erasureValues(erasure),
  );
}
