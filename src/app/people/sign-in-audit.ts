import { userCredential } from '../../domain/org/people.js';
import type { AuditEntry, UserRecord } from '../../store/store.js';
import type { AppContext } from '../context.js';

/** A sign-in attempt in the audit log: the user and its organisation when the email is one's. */
export function signInAudit(
  ctx: AppContext,
  user: UserRecord | null,
  email: string,
  outcome: 'success' | 'failure',
  detail: string,
): AuditEntry {
  return {
    at: ctx.now().toISOString(),
    orgId: user?.orgId ?? null,
    keyId: user ? userCredential(user.id) : null,
    action: 'session.create',
    // An unknown email is recorded as tried: it is what an administrator looking at an attack wants to see.
    target: user ? user.id : `email:${email.slice(0, 254)}`,
    outcome,
    detail,
  };
}
