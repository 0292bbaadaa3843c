import { userCredential } from '../../domain/org/people.js';
import type { AppContext } from '../context.js';
import { hashToken } from './tokens.js';

/** Ends the session the cookie's token names (nothing to do if it has ended already). */
export async function signOut(ctx: AppContext, token: string): Promise<void> {
  await ctx.store.write(async (tx) => {
    const session = await tx.findSessionByToken(hashToken(token));
    if (!session) return;
    await tx.deleteSession(session.id);
    const user = await tx.getUser(session.userId);
    await tx.insertAudit({
      at: ctx.now().toISOString(),
      orgId: user?.orgId ?? null,
      keyId: userCredential(session.userId),
      action: 'session.end',
      target: session.id,
      outcome: 'success',
      detail: null,
    });
  });
}
