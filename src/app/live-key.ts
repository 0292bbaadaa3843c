import { DomainError } from '../domain/errors.js';
import type { Tx } from '../store/store.js';
import type { Caller } from './context.js';

/**
 * Checks again, inside the unit of work that writes, that the caller's key is still live. The key was checked
 * when the request's headers arrived; its body may have arrived long after, and the key may have been revoked
 * meanwhile. `holdApiKey` orders this check with a concurrent revocation, so a revoked key never writes after
 * its revocation committed.
 */
export async function assertKeyLive(tx: Tx, caller: Caller): Promise<void> {
  if (caller?.user) return assertSessionLive(tx, caller.user.sessionId);
  // A person's credential without a session: work done on a person's behalf (accepting an invitation, a recall's
  // background work), not a request of theirs.
  if (!caller?.keyId || caller.keyId.startsWith('user:')) return;
  const key = await tx.holdApiKey(caller.keyId);
  if (!key) throw unknownKey();
  if (key.revokedAt) throw revokedKey(key.revokedAt);
}

/** A person's session ended (signed out, expired, or ended by a change of the user) while the request was open. */
async function assertSessionLive(tx: Tx, sessionId: string): Promise<void> {
  if (!(await tx.getSession(sessionId))) throw sessionEnded();
}

export const sessionEnded = () =>
  new DomainError('unauthenticated', 'session-ended', 'the session has ended: sign in again');

/** The 401 for a key this registry does not know (or whose secret is wrong: the caller is told nothing more). */
export const unknownKey = () =>
  new DomainError('unauthenticated', 'invalid-api-key', 'the API key is not known to this registry');

export const revokedKey = (at: string) =>
  new DomainError('unauthenticated', 'api-key-revoked', `the API key was revoked at ${at}`);
