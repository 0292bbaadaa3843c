/**
 * People's passkeys (WebAuthn credentials) and the challenges the registry gave out for them. Records, and this
 * area's part of the store interface (composed in ../store.ts).
 */

export interface PasskeyRecord {
  /** The credential ID, base64url, as the authenticator made it. */
  id: string;
  userId: string;
  name: string;
  /** COSE public key. */
  publicKey: Buffer;
  /** The authenticator's signature counter (0 for those that keep none): a clone shows as a counter going back. */
  counter: number;
  transports: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

/** A WebAuthn challenge: good once, for five minutes. */
export interface WebauthnChallengeRecord {
  id: string;
  purpose: 'register' | 'sign-in';
  /** Registration: the session of the person adding a passkey (the answer must come from it). */
  sessionId: string | null;
  /** base64url, as in the options sent. */
  challenge: string;
  expiresAt: string;
}

export interface PasskeyReader {
  getPasskey(id: string): Promise<PasskeyRecord | null>;
  listPasskeys(userId: string): Promise<PasskeyRecord[]>;
}

export interface PasskeyWriter {
  insertPasskey(passkey: PasskeyRecord): Promise<void>;
  deletePasskey(id: string): Promise<void>;
  notePasskeyUse(id: string, counter: number, at: string): Promise<void>;
  /** Stores a challenge, replacing one of the same id, and drops those expired at `now`. */
  putWebauthnChallenge(challenge: WebauthnChallengeRecord, now: string): Promise<void>;
  /** The challenge, deleted in the same step: a challenge is answered once. */
  takeWebauthnChallenge(id: string): Promise<WebauthnChallengeRecord | null>;
}
