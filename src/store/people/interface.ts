/**
 * People of organisations: users, the invitations that make them, their sign-in sessions and the counters that
 * throttle failed sign-ins. Records, and this area's part of the store interface (composed in ../store.ts).
 */

/** A user's TOTP secret, sealed as personal data is (src/app/personal-data/envelope.ts) with the user id as party. */
export interface SealedSecret {
  kekVersion: number;
  wrappedKey: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
}

export interface UserRecord {
  id: string;
  orgId: string;
  /** Lower-cased; unique in the registry (an email signs in to one organisation). */
  email: string;
  name: string;
  role: string;
  /** `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (base64url): the parameters travel with the hash so they can grow. */
  passwordHash: string;
  totp: SealedSecret;
  /** The last TOTP time step that signed in: a code is good once. */
  totpLastStep: number | null;
  createdAt: string;
}

export interface InvitationRecord {
  id: string;
  orgId: string;
  email: string;
  role: string;
  /** SHA-256 of the token in the link; the token itself is shown once. */
  tokenHash: Buffer;
  createdAt: string;
  expiresAt: string;
  /** Who invited: an API key id or `user:<id>`. */
  createdBy: string | null;
  acceptedAt: string | null;
}

export interface SessionRecord {
  id: string;
  /** SHA-256 of the cookie's token; the token itself is never stored. */
  tokenHash: Buffer;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  /** The absolute end, whatever the activity. */
  expiresAt: string;
}

/**
 * A new TOTP secret a signed-in person has been shown and not yet confirmed with a code from it: one per session,
 * sealed like the user's own, good for ten minutes.
 */
export interface TotpEnrolmentRecord {
  sessionId: string;
  userId: string;
  secret: SealedSecret;
  expiresAt: string;
}

/** Failed sign-ins of one subject (`account:<email>` or `address:<ip>`) and its lock. */
export interface SignInThrottleRecord {
  subject: string;
  failures: number;
  windowStartedAt: string;
  /** Locks so far (each one twice as long as the one before); cleared by a success or an administrator. */
  locks: number;
  lockedUntil: string | null;
}

export interface PeopleReader {
  getUser(id: string): Promise<UserRecord | null>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  listUsers(orgId: string): Promise<UserRecord[]>;
  getInvitation(id: string): Promise<InvitationRecord | null>;
  findInvitationByToken(tokenHash: Buffer): Promise<InvitationRecord | null>;
  /** Not accepted and not expired at `now`, oldest first. */
  listPendingInvitations(orgId: string, now: string): Promise<InvitationRecord[]>;
  getSession(id: string): Promise<SessionRecord | null>;
  findSessionByToken(tokenHash: Buffer): Promise<SessionRecord | null>;
  getSignInThrottle(subject: string): Promise<SignInThrottleRecord | null>;
  getTotpEnrolment(sessionId: string): Promise<TotpEnrolmentRecord | null>;
  /** Users' TOTP data keys not wrapped under `kekVersion`, in id order after `afterId` (key rotation). */
  listUserKeysWrappedOtherThan(
    kekVersion: number,
    afterId: string,
    limit: number,
  ): Promise<{ userId: string; kekVersion: number; wrappedKey: Buffer }[]>;
  countUserKeysByVersion(): Promise<Map<number, number>>;
}

export interface PeopleWriter {
  insertUser(user: UserRecord): Promise<void>;
  setUserRole(id: string, role: string): Promise<void>;
  setUserTotpLastStep(id: string, step: number): Promise<void>;
  setUserPassword(id: string, passwordHash: string): Promise<void>;
  /** A new TOTP secret; `lastStep`: the step of the code that confirmed it (good once, as at sign-in). */
  setUserTotp(id: string, totp: SealedSecret, lastStep: number): Promise<void>;
  /** Deletes the user, its sessions, its passkeys and its TOTP enrolments. */
  deleteUser(id: string): Promise<void>;
  /** Replaces a TOTP data key's wrapping if it is still `previous`; true if replaced. */
  rewrapUserKey(userId: string, previous: Buffer, kekVersion: number, wrappedKey: Buffer): Promise<boolean>;
  insertInvitation(invitation: InvitationRecord): Promise<void>;
  markInvitationAccepted(id: string, at: string): Promise<void>;
  deleteInvitation(id: string): Promise<void>;
  insertSession(session: SessionRecord): Promise<void>;
  touchSession(id: string, at: string): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Ends every session of the user (removed, role or credentials changed), but `except` if given. */
  deleteSessionsOfUser(userId: string, except?: string): Promise<void>;
  /** Stores the session's enrolment, replacing an earlier one, and drops those expired at `now`. */
  putTotpEnrolment(enrolment: TotpEnrolmentRecord, now: string): Promise<void>;
  deleteTotpEnrolment(sessionId: string): Promise<void>;
  putSignInThrottle(record: SignInThrottleRecord): Promise<void>;
  deleteSignInThrottle(subject: string): Promise<void>;
}
