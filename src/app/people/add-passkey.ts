import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { invalid } from '../../domain/errors.js';
import { audited } from '../audit.js';
import type { AppContext, Caller } from '../context.js';
import {
  passkeyNotVerified,
  registrationChallengeId,
  relyingParty,
  type RegistrationResponseJSON,
} from './passkey-party.js';
import { requireUser } from './signed-in.js';
import { viewPasskey, type PasskeyView } from './passkey-view.js';

/**
 * Adds the passkey the browser made from the session's registration options. A new credential ends the user's
 * other sessions (this one stays): whoever else was signed in signs in again.
 */
export async function addPasskey(
  ctx: AppContext,
  caller: Caller,
  input: { name: string; response: RegistrationResponseJSON },
): Promise<PasskeyView> {
  const actor = requireUser(caller);
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) {
    throw invalid('invalid-name', 'name: must be 1 to 100 characters', [
      { field: '/name', message: 'must be 1 to 100 characters' },
    ]);
  }
  // Spent whatever comes of the answer, in a unit of work of its own (a refusal below undoes its own).
  const challenge = await ctx.store.write((tx) =>
    tx.takeWebauthnChallenge(registrationChallengeId(actor.user.sessionId)),
  );
  return audited(
    ctx,
    caller,
    'passkey.add',
    async (tx) => {
      if (!challenge || Date.parse(challenge.expiresAt) <= ctx.now().getTime()) {
        throw passkeyNotVerified(
          'no registration under way for this session (ask for options, answer within 5 minutes)',
        );
      }
      const { rpID, origin } = relyingParty(ctx);
      const verification = await verifyRegistrationResponse({
        response: input.response,
        expectedChallenge: challenge.challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        requireUserVerification: true,
      }).catch((error: unknown) => {
        throw passkeyNotVerified(error instanceof Error ? error.message : String(error));
      });
      if (!verification.verified) throw passkeyNotVerified('the attestation does not verify');
      const { credential } = verification.registrationInfo;
      if (await tx.getPasskey(credential.id)) throw passkeyNotVerified('this passkey is registered already');
      const passkey = {
        id: credential.id,
        userId: actor.user.id,
        name,
        publicKey: Buffer.from(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ?? [],
        createdAt: ctx.now().toISOString(),
        lastUsedAt: null,
      };
      await tx.insertPasskey(passkey);
      await tx.deleteSessionsOfUser(actor.user.id, actor.user.sessionId);
      return viewPasskey(passkey);
    },
    (passkey) => passkey.id,
  );
}
