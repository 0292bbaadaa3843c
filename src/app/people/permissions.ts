/**
 * What a person may do for its organisation, by the user's role, on top of what the organisation's roles allow
 * (the same checks an API key of the organisation passes). Checked where every write passes (app/audit.ts and
 * the capture), so no route can forget it. An API key is unaffected: it acts with the organisation's full rights.
 */
import { forbidden } from '../../domain/errors.js';
import type { UserRole } from '../../domain/org/people.js';
import { requireActor } from '../access.js';
import type { Actor, Caller } from '../context.js';

/** Audited actions only an administrator of the organisation does: people, invitations, API keys, webhooks. */
const ADMINISTRATION = ['user.', 'invitation.', 'api-key.', 'subscription.', 'delivery.'];

export const needsAdministrator = (action: string) => ADMINISTRATION.some((p) => action.startsWith(p));

const roleForbids = (role: UserRole, what: string) =>
  forbidden('role-forbids', `a ${role} may not ${what}; ask an administrator of your organisation`);

/** What a person does to its own credentials: any role may. */
const OWN_CREDENTIALS = ['passkey.', 'password.', 'totp.'];

/** Refuses a write `action` the signed-in person's role does not allow; anyone else passes. */
export function assertUserMay(caller: Caller, action: string): void {
  const user = caller?.user;
  if (!user || user.role === 'administrator') return;
  if (OWN_CREDENTIALS.some((p) => action.startsWith(p))) return;
  if (user.role === 'viewer') throw roleForbids(user.role, 'change anything (viewers read only)');
  if (needsAdministrator(action)) throw roleForbids(user.role, 'manage people, API keys or webhooks');
}

/**
 * Reads of an organisation's administration (its people, invitations, webhook subscriptions and deliveries):
 * administrators and API keys.
 */
export function assertAdministers(caller: Caller): void {
  const user = caller?.user;
  if (user && user.role !== 'administrator')
    throw roleForbids(user.role, 'see the administration of the organisation');
}

/** The caller, if it may read its organisation's administration (assertAdministers). */
export function requireAdministrator(caller: Caller): Actor {
  const actor = requireActor(caller);
  assertAdministers(actor);
  return actor;
}
