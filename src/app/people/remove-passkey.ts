import { notFound } from '../../domain/errors.js';
import { audited } from '../audit.js';
import type { AppContext, Caller } from '../context.js';
import { requireUser } from './signed-in.js';
import { viewPasskey, type PasskeyView } from './passkey-view.js';

/** Removes one of the signed-in person's passkeys; the user's other sessions end (a credential changed). */
export async function removePasskey(
  ctx: AppContext,
  caller: Caller,
  passkeyId: string,
): Promise<PasskeyView> {
  const actor = requireUser(caller);
  return audited(
    ctx,
    caller,
    'passkey.remove',
    async (tx) => {
      const passkey = await tx.getPasskey(passkeyId);
      if (!passkey || passkey.userId !== actor.user.id) {
        throw notFound('passkey-not-found', `you have no passkey ${passkeyId}`);
      }
      await tx.deletePasskey(passkey.id);
      await tx.deleteSessionsOfUser(actor.user.id, actor.user.sessionId);
      return viewPasskey(passkey);
    },
    (passkey) => passkey.id,
    passkeyId,
  );
}
