/**
 * The registry as a WebAuthn relying party: its ID is the public URL's host name and the only origin it accepts is
 * the public URL's. Challenges are kept server-side, answered once, for five minutes.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { invalid } from '../../domain/errors.js';
import type { AppContext } from '../context.js';

export type { AuthenticationResponseJSON, RegistrationResponseJSON };

export const CHALLENGE_LIFETIME_MS = 5 * 60_000;
export const RP_NAME = 'robotid';

export function relyingParty(ctx: AppContext) {
  const url = new URL(ctx.publicBaseUrl);
  return { rpID: url.hostname, origin: url.origin };
}

export const passkeyNotVerified = (why: string) =>
  invalid('passkey-not-verified', `the passkey's answer does not verify: ${why}`, [
    { field: '/response', message: why },
  ]);

export const registrationChallengeId = (sessionId: string) => `reg:${sessionId}`;
