import { generateRegistrationOptions } from '@simplewebauthn/server';
import type { AppContext, Caller } from '../context.js';
import { CHALLENGE_LIFETIME_MS, registrationChallengeId, relyingParty, RP_NAME } from './passkey-party.js';
import { requireUser } from './signed-in.js';
import { sessionEnded } from '../live-key.js';

/**
 * Options for the browser's navigator.credentials.create(): a discoverable credential (sign-in without typing an
 * email) with user verification, no attestation asked, the user's passkeys excluded. The challenge is the
 * session's, until answered or five minutes pass.
 */
export async function passkeyRegistrationOptions(ctx: AppContext, caller: Caller) {
  const actor = requireUser(caller);
  const { rpID } = relyingParty(ctx);
  const found = await ctx.store.read(async (r) => ({
    user: await r.getUser(actor.user.id),
    passkeys: await r.listPasskeys(actor.user.id),
  }));
  if (!found.user) throw sessionEnded();
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID,
    userName: found.user.email,
    userDisplayName: found.user.name,
    userID: new TextEncoder().encode(found.user.id),
    attestationType: 'none',
    excludeCredentials: found.passkeys.map((p) => ({ id: p.id, transports: p.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    timeout: CHALLENGE_LIFETIME_MS,
  });
  const now = ctx.now();
  await ctx.store.write((tx) =>
    tx.putWebauthnChallenge(
      {
        id: registrationChallengeId(actor.user.sessionId),
        purpose: 'register',
        sessionId: actor.user.sessionId,
        challenge: options.challenge,
        expiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_MS).toISOString(),
      },
      now.toISOString(),
    ),
  );
  return options;
}
