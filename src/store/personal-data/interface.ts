/**
 * Sealed personal data, its data keys and erasures. Records, and this area's part of the store interface (composed
 * in ../store.ts).
 */

/**
 * One person's personal data, sealed (src/app/personal-data/envelope.ts): AES-256-GCM under a data key of its own,
 * which is stored only wrapped by the registry's key-encryption key of version `kekVersion`.
 */
export interface PersonalDataRecord {
  partyId: string;
  kekVersion: number;
  /** The data key, encrypted under the key-encryption key (nonce, ciphertext and tag together). */
  wrappedKey: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
  createdAt: string;
  updatedAt: string;
}

/** A data key's wrapping, as key rotation reads and rewrites it. */
export type WrappedKeyRecord = Pick<PersonalDataRecord, 'partyId' | 'kekVersion' | 'wrappedKey'>;

/** That a person's personal data was erased, when, by whom and on what basis (no personal data itself). */
export interface PersonalDataErasure {
  partyId: string;
  erasedAt: string;
  erasedBy: string | null;
  legalBasis: string;
  requestReference: string;
}

export interface PersonalDataReader {
  getPersonalData(partyId: string): Promise<PersonalDataRecord | null>;
  getPersonalDataErasure(partyId: string): Promise<PersonalDataErasure | null>;
  /** Data keys not wrapped under `kekVersion`, in party order after `afterPartyId` ('' for the first). */
  listKeysWrappedOtherThan(
    kekVersion: number,
    afterPartyId: string,
    limit: number,
  ): Promise<WrappedKeyRecord[]>;
  /** How many data keys each key-encryption key version wraps. */
  countWrappedKeysByVersion(): Promise<Map<number, number>>;
}

export interface PersonalDataWriter {
  /** Stores a person's sealed personal data, replacing what was there. */
  putPersonalData(record: PersonalDataRecord): Promise<void>;
  /** Replaces a data key's wrapping if it is still `previous` (a correction meanwhile wins); true if replaced. */
  rewrapPersonalDataKey(previous: WrappedKeyRecord, kekVersion: number, wrappedKey: Buffer): Promise<boolean>;
  /** Deletes a person's sealed data and wrapped key (crypto-shredding); true if there was any. */
  deletePersonalData(partyId: string): Promise<boolean>;
  insertPersonalDataErasure(erasure: PersonalDataErasure): Promise<void>;
}
