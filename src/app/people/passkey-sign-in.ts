import { verifyAuthenticationResponse } from '@simplewebauthn/server';
import { DomainError } from '../../domain/errors.js';
import type { AppContext } from '../context.js';
import { relyingParty, type AuthenticationResponseJSON } from './passkey-party.js';
import { signInAudit } from './sign-in-audit.js';
import { startSession, type SignedIn } from './start-session.js';

const refused = () =>
  new DomainError('unauthenticated', 'invalid-credentials', 'the passkey was not accepted: sign in again');

/**
 * Sign-in with a passkey: the answer to a challenge of passkeySignInOptions, signed by a passkey of a user. The
 * challenge is spent whatever the outcome. A counter that does not move forward (a cloned authenticator) refuses.
 * A passkey cannot be guessed, so its failures do not count towards lock-out, and it signs in a locked account.
 */
export async function passkeySignIn(
  ctx: AppContext,
  input: { challengeId: string; response: AuthenticationResponseJSON },
): Promise<SignedIn> {
  const found = await ctx.store.write(async (tx) => {
    const challenge = await tx.takeWebauthnChallenge(input.challengeId);
    const passkey = await tx.getPasskey(input.response.id);
    const user = passkey ? await tx.getUser(passkey.userId) : null;
    return { challenge, passkey, user };
  });
  const { challenge, passkey, user } = found;
  const fail = async (why: string) => {
    await ctx.store
      .write((tx) =>
        tx.insertAudit(signInAudit(ctx, user, user?.email ?? 'unknown', 'failure', `passkey: ${why}`)),
      )
      .catch(() => undefined);
    return refused();
  };
  if (
    !challenge ||
    challenge.purpose !== 'sign-in' ||
    Date.parse(challenge.expiresAt) <= ctx.now().getTime()
  ) {
    throw await fail('challenge unknown, used or expired');
  }
  if (!passkey || !user) throw await fail('passkey unknown');
  const { rpID, origin } = relyingParty(ctx);
  const verification = await verifyAuthenticationResponse({
    response: input.response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    credential: {
      id: passkey.id,
      publicKey: new Uint8Array(passkey.publicKey),
      counter: passkey.counter,
      transports: passkey.transports,
    },
    requireUserVerification: true,
  }).catch(() => null);
  if (!verification?.verified) throw await fail('signature or counter does not verify');
  await ctx.store.write((tx) =>
    tx.notePasskeyUse(passkey.id, verification.authenticationInfo.newCounter, ctx.now().toISOString()),
  );
  return startSession(ctx, user, { via: 'passkey' });
}
