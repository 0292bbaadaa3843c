import type { QueriesOf } from '../sql/queries.js';
import type { PasskeyReader, PasskeyRecord, PasskeyWriter, WebauthnChallengeRecord } from './interface.js';

interface PasskeyRow {
  id: string;
  user_id: string;
  name: string;
  public_key: Buffer;
  counter: number;
  transports: string;
  created_at: string;
  last_used_at: string | null;
}

const toPasskey = (row: PasskeyRow): PasskeyRecord => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  publicKey: row.public_key,
  counter: Number(row.counter),
  transports: JSON.parse(row.transports) as string[],
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

interface ChallengeRow {
  id: string;
  purpose: 'register' | 'sign-in';
  session_id: string | null;
  challenge: string;
  expires_at: string;
}

export const reads: QueriesOf<PasskeyReader> = {
  getPasskey: async (db, id) => {
    const row = await db.get<PasskeyRow>('SELECT * FROM passkeys WHERE id = ?', [id]);
    return row ? toPasskey(row) : null;
  },

  listPasskeys: async (db, userId) =>
    (
      await db.all<PasskeyRow>('SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at, id', [userId])
    ).map(toPasskey),
};

export const writes: QueriesOf<PasskeyWriter> = {
  async insertPasskey(db, p) {
    await db.run(
      `INSERT INTO passkeys (id, user_id, name, public_key, counter, transports, created_at, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        p.id,
        p.userId,
        p.name,
        p.publicKey,
        p.counter,
        JSON.stringify(p.transports),
        p.createdAt,
        p.lastUsedAt,
      ],
    );
  },

  async deletePasskey(db, id) {
    await db.run('DELETE FROM passkeys WHERE id = ?', [id]);
  },

  async notePasskeyUse(db, id, counter, at) {
    await db.run('UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ?', [counter, at, id]);
  },

  async putWebauthnChallenge(db, c, now) {
    await db.run('DELETE FROM webauthn_challenges WHERE expires_at <= ? OR id = ?', [now, c.id]);
    await db.run(
      `INSERT INTO webauthn_challenges (id, purpose, session_id, challenge, expires_at) VALUES (?, ?, ?, ?, ?)`,
      [c.id, c.purpose, c.sessionId, c.challenge, c.expiresAt],
    );
  },

  async takeWebauthnChallenge(db, id): Promise<WebauthnChallengeRecord | null> {
    const row = await db.get<ChallengeRow>('SELECT * FROM webauthn_challenges WHERE id = ?', [id]);
    if (!row) return null;
    await db.run('DELETE FROM webauthn_challenges WHERE id = ?', [id]);
    return {
      id: row.id,
      purpose: row.purpose,
      sessionId: row.session_id,
      challenge: row.challenge,
      expiresAt: row.expires_at,
    };
  },
};
