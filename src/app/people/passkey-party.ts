/**
 * The registry as a WebAuthn relying party: its ID is the public URL's host name and the only origin it accepts is
 * the public URL's. Challenges are kept server-side, answered once, for five minutes.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { forbidden, invalid } from '../../domain/errors.js';
import { requireActor } from '../access.js';
import type { ActingUser, Actor, AppContext, Caller } from '../context.js';

export type { AuthenticationResponseJSON, RegistrationResponseJSON };

export const CHALLENGE_LIFETIME_MS = 5 * 60_000;
export const RP_NAME = 'robotid';

export function relyingParty(ctx: AppContext) {
  const url = new URL(ctx.publicBaseUrl);
  return { rpID: url.hostname, origin: url.origin };
}

/** A person signed in: passkeys are people's, not an API key's. */
export function requireUser(caller: Caller): Actor & { user: ActingUser } {
  const actor = requireActor(caller);
  if (!actor.user) {
    throw forbidden(
      'user-required',
      'passkeys belong to people: sign in to the console, not with an API key',
    );
  }
  return actor as Actor & { user: ActingUser };
}

export const passkeyNotVerified = (why: string) =>
  invalid('passkey-not-verified', `the passkey's answer does not verify: ${why}`, [
    { field: '/response', message: why },
  ]);

export const registrationChallengeId = (sessionId: string) => `reg:${sessionId}`;
