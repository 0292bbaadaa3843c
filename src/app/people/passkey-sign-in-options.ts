import { generateAuthenticationOptions } from '@simplewebauthn/server';
import { randomId, type AppContext } from '../context.js';
import { CHALLENGE_LIFETIME_MS, relyingParty } from './passkey-party.js';

/**
 * Options for navigator.credentials.get() without an email: the authenticator offers the registry's discoverable
 * credentials. The challenge is stored under `challengeId`, good once for five minutes.
 */
export async function passkeySignInOptions(ctx: AppContext) {
  const { rpID } = relyingParty(ctx);
  const options = await generateAuthenticationOptions({
    rpID,
    userVerification: 'required',
    timeout: CHALLENGE_LIFETIME_MS,
  });
  const challengeId = randomId('wch_');
  const now = ctx.now();
  await ctx.store.write((tx) =>
    tx.putWebauthnChallenge(
      {
        id: challengeId,
        purpose: 'sign-in',
        sessionId: null,
        challenge: options.challenge,
        expiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_MS).toISOString(),
      },
      now.toISOString(),
    ),
  );
  return { challengeId, options };
}
