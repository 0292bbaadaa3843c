import type { Db } from '../sql/db.js';
import type { QueriesOf } from '../sql/queries.js';
import type {
  InvitationRecord,
  PeopleReader,
  PeopleWriter,
  SessionRecord,
  SignInThrottleRecord,
  TotpEnrolmentRecord,
  UserRecord,
} from './interface.js';

interface UserRow {
  id: string;
  org_id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  totp_kek_version: number;
  totp_wrapped_key: Buffer;
  totp_nonce: Buffer;
  totp_ciphertext: Buffer;
  totp_auth_tag: Buffer;
  totp_last_step: number | null;
  created_at: string;
}

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  orgId: row.org_id,
  email: row.email,
  name: row.name,
  role: row.role,
  passwordHash: row.password_hash,
  totp: {
    kekVersion: Number(row.totp_kek_version),
    wrappedKey: row.totp_wrapped_key,
    nonce: row.totp_nonce,
    ciphertext: row.totp_ciphertext,
    authTag: row.totp_auth_tag,
  },
  totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
  createdAt: row.created_at,
});

interface InvitationRow {
  id: string;
  org_id: string;
  email: string;
  role: string;
  token_hash: Buffer;
  created_at: string;
  expires_at: string;
  created_by: string | null;
  accepted_at: string | null;
}

const toInvitation = (row: InvitationRow): InvitationRecord => ({
  id: row.id,
  orgId: row.org_id,
  email: row.email,
  role: row.role,
  tokenHash: row.token_hash,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  createdBy: row.created_by,
  acceptedAt: row.accepted_at,
});

interface SessionRow {
  id: string;
  token_hash: Buffer;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  tokenHash: row.token_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
});

interface ThrottleRow {
  subject: string;
  failures: number;
  window_started_at: string;
  locks: number;
  locked_until: string | null;
}

const toThrottle = (row: ThrottleRow): SignInThrottleRecord => ({
  subject: row.subject,
  failures: Number(row.failures),
  windowStartedAt: row.window_started_at,
  locks: Number(row.locks),
  lockedUntil: row.locked_until,
});

interface EnrolmentRow {
  session_id: string;
  user_id: string;
  kek_version: number;
  wrapped_key: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
  expires_at: string;
}

const toEnrolment = (row: EnrolmentRow): TotpEnrolmentRecord => ({
  sessionId: row.session_id,
  userId: row.user_id,
  secret: {
    kekVersion: Number(row.kek_version),
    wrappedKey: row.wrapped_key,
    nonce: row.nonce,
    ciphertext: row.ciphertext,
    authTag: row.auth_tag,
  },
  expiresAt: row.expires_at,
});

async function getUser(db: Db, id: string) {
  const row = await db.get<UserRow>('SELECT * FROM users WHERE id = ?', [id]);
  return row ? toUser(row) : null;
}

export const reads: QueriesOf<PeopleReader> = {
  getUser,

  findUserByEmail: async (db, email) => {
    const row = await db.get<UserRow>('SELECT * FROM users WHERE email = ?', [email]);
    return row ? toUser(row) : null;
  },

  listUsers: async (db, orgId) =>
    (await db.all<UserRow>('SELECT * FROM users WHERE org_id = ? ORDER BY seq', [orgId])).map(toUser),

  getInvitation: async (db, id) => {
    const row = await db.get<InvitationRow>('SELECT * FROM invitations WHERE id = ?', [id]);
    return row ? toInvitation(row) : null;
  },

  findInvitationByToken: async (db, tokenHash) => {
    const row = await db.get<InvitationRow>('SELECT * FROM invitations WHERE token_hash = ?', [tokenHash]);
    return row ? toInvitation(row) : null;
  },

  listPendingInvitations: async (db, orgId, now) =>
    (
      await db.all<InvitationRow>(
        `SELECT * FROM invitations WHERE org_id = ? AND accepted_at IS NULL AND expires_at > ? ORDER BY seq`,
        [orgId, now],
      )
    ).map(toInvitation),

  getSession: async (db, id) => {
    const row = await db.get<SessionRow>('SELECT * FROM sessions WHERE id = ?', [id]);
    return row ? toSession(row) : null;
  },

  findSessionByToken: async (db, tokenHash) => {
    const row = await db.get<SessionRow>('SELECT * FROM sessions WHERE token_hash = ?', [tokenHash]);
    return row ? toSession(row) : null;
  },

  getSignInThrottle: async (db, subject) => {
    const row = await db.get<ThrottleRow>('SELECT * FROM sign_in_throttle WHERE subject = ?', [subject]);
    return row ? toThrottle(row) : null;
  },

  getTotpEnrolment: async (db, sessionId) => {
    const row = await db.get<EnrolmentRow>('SELECT * FROM totp_enrolments WHERE session_id = ?', [sessionId]);
    return row ? toEnrolment(row) : null;
  },

  listUserKeysWrappedOtherThan: async (db, kekVersion, afterId, limit) =>
    (
      await db.all<{ id: string; totp_kek_version: number; totp_wrapped_key: Buffer }>(
        `SELECT id, totp_kek_version, totp_wrapped_key FROM users
         WHERE totp_kek_version <> ? AND ${db.dialect.byteOrder('id')} > ${db.dialect.byteOrder('?')}
         ORDER BY ${db.dialect.byteOrder('id')} LIMIT ?`,
        [kekVersion, afterId, limit],
      )
    ).map((r) => ({ userId: r.id, kekVersion: Number(r.totp_kek_version), wrappedKey: r.totp_wrapped_key })),

  countUserKeysByVersion: async (db) =>
    new Map(
      (
        await db.all<{ totp_kek_version: number; n: number }>(
          'SELECT totp_kek_version, count(*) AS n FROM users GROUP BY totp_kek_version',
        )
      ).map((r) => [Number(r.totp_kek_version), Number(r.n)]),
    ),
};

export const writes: QueriesOf<PeopleWriter> = {
  // seq orders listings; the writers' lock makes max(seq) + 1 safe (PostgreSQL's table has no sequence).
  async insertUser(db, u) {
    await db.run(
      `INSERT INTO users (seq, id, org_id, email, name, role, password_hash, totp_kek_version, totp_wrapped_key,
         totp_nonce, totp_ciphertext, totp_auth_tag, totp_last_step, created_at)
       VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM users), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        u.id,
        u.orgId,
        u.email,
        u.name,
        u.role,
        u.passwordHash,
        u.totp.kekVersion,
        u.totp.wrappedKey,
        u.totp.nonce,
        u.totp.ciphertext,
        u.totp.authTag,
        u.totpLastStep,
        u.createdAt,
      ],
    );
  },

  async setUserRole(db, id, role) {
    await db.run('UPDATE users SET role = ? WHERE id = ?', [role, id]);
  },

  async setUserTotpLastStep(db, id, step) {
    await db.run('UPDATE users SET totp_last_step = ? WHERE id = ?', [step, id]);
  },

  async setUserPassword(db, id, passwordHash) {
    await db.run('UPDATE users SET password_hash = ? WHERE id = ?', [passwordHash, id]);
  },

  async setUserTotp(db, id, totp, lastStep) {
    await db.run(
      `UPDATE users SET totp_kek_version = ?, totp_wrapped_key = ?, totp_nonce = ?, totp_ciphertext = ?,
         totp_auth_tag = ?, totp_last_step = ? WHERE id = ?`,
      [totp.kekVersion, totp.wrappedKey, totp.nonce, totp.ciphertext, totp.authTag, lastStep, id],
    );
  },

  async deleteUser(db, id) {
    await db.run('DELETE FROM totp_enrolments WHERE user_id = ?', [id]);
    await db.run('DELETE FROM sessions WHERE user_id = ?', [id]);
    await db.run('DELETE FROM passkeys WHERE user_id = ?', [id]);
    await db.run('DELETE FROM users WHERE id = ?', [id]);
  },

  rewrapUserKey: async (db, userId, previous, kekVersion, wrappedKey) =>
    (
      await db.run(
        'UPDATE users SET totp_kek_version = ?, totp_wrapped_key = ? WHERE id = ? AND totp_wrapped_key = ?',
        [kekVersion, wrappedKey, userId, previous],
      )
    ).changes > 0,

  async insertInvitation(db, i) {
    await db.run(
      `INSERT INTO invitations (seq, id, org_id, email, role, token_hash, created_at, expires_at, created_by, accepted_at)
       VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM invitations), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [i.id, i.orgId, i.email, i.role, i.tokenHash, i.createdAt, i.expiresAt, i.createdBy, i.acceptedAt],
    );
  },

  async markInvitationAccepted(db, id, at) {
    await db.run('UPDATE invitations SET accepted_at = ? WHERE id = ?', [at, id]);
  },

  async deleteInvitation(db, id) {
    await db.run('DELETE FROM invitations WHERE id = ?', [id]);
  },

  async insertSession(db, s) {
    await db.run(
      `INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
      [s.id, s.tokenHash, s.userId, s.createdAt, s.lastSeenAt, s.expiresAt],
    );
  },

  async touchSession(db, id, at) {
    await db.run('UPDATE sessions SET last_seen_at = ? WHERE id = ?', [at, id]);
  },

  async deleteSession(db, id) {
    await db.run('DELETE FROM sessions WHERE id = ?', [id]);
  },

  async deleteSessionsOfUser(db, userId, except) {
    await db.run('DELETE FROM sessions WHERE user_id = ? AND id <> ?', [userId, except ?? '']);
  },

  async putTotpEnrolment(db, e, now) {
    await db.run('DELETE FROM totp_enrolments WHERE expires_at <= ? OR session_id = ?', [now, e.sessionId]);
    await db.run(
      `INSERT INTO totp_enrolments (session_id, user_id, kek_version, wrapped_key, nonce, ciphertext, auth_tag,
         expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        e.sessionId,
        e.userId,
        e.secret.kekVersion,
        e.secret.wrappedKey,
        e.secret.nonce,
        e.secret.ciphertext,
        e.secret.authTag,
        e.expiresAt,
      ],
    );
  },

  async deleteTotpEnrolment(db, sessionId) {
    await db.run('DELETE FROM totp_enrolments WHERE session_id = ?', [sessionId]);
  },

  async putSignInThrottle(db, t) {
    await db.run(
      `INSERT INTO sign_in_throttle (subject, failures, window_started_at, locks, locked_until) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (subject) DO UPDATE SET failures = excluded.failures, window_started_at = excluded.window_started_at,
         locks = excluded.locks, locked_until = excluded.locked_until`,
      [t.subject, t.failures, t.windowStartedAt, t.locks, t.lockedUntil],
    );
  },

  async deleteSignInThrottle(db, subject) {
    await db.run('DELETE FROM sign_in_throttle WHERE subject = ?', [subject]);
  },
};
