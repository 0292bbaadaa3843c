/**
 * A signed-in person proves again that it holds the account before changing a credential: its current password.
 * A wrong one counts against the account as a failed sign-in does, so a session left open on someone else's screen
 * cannot be used to guess the password; while the account is locked, the answer is the sign-in's 429.
 */
import { invalid } from '../../domain/errors.js';
import { withLatestReads } from '../../store/read-session.js';
import type { UserRecord } from '../../store/store.js';
import type { ActingUser, Actor, AppContext } from '../context.js';
import { sessionEnded } from '../live-key.js';
import { verifyPassword } from './password.js';
import { countFailure, signInLocked } from './sign-in.js';
import { accountSubject, lockedForMs, THROTTLE_LIMITS } from './throttle.js';

export async function proveCurrentPassword(
  ctx: AppContext,
  actor: Actor & { user: ActingUser },
  password: string,
  how: { field: string; action: string },
): Promise<UserRecord> {
  const found = await withLatestReads(() =>
    ctx.store.read(async (r) => {
      const user = await r.getUser(actor.user.id);
      return { user, throttle: user ? await r.getSignInThrottle(accountSubject(user.email)) : null };
    }),
  );
  const { user } = found;
  if (!user) throw sessionEnded();
  const lockedMs = lockedForMs(found.throttle, ctx.now());
  if (lockedMs > 0) throw signInLocked(lockedMs);
  if (await verifyPassword(password, user.passwordHash)) return user;
  await ctx.store.write(async (tx) => {
    await countFailure(tx, accountSubject(user.email), THROTTLE_LIMITS.account, ctx.now());
    await tx.insertAudit({
      at: ctx.now().toISOString(),
      orgId: actor.orgId,
      keyId: actor.keyId,
      action: how.action,
      target: user.id,
      outcome: 'failure',
      detail: 'wrong-password',
    });
  });
  throw invalid('wrong-password', `${how.field}: is not your current password`, [
    { field: how.field, message: 'is not your current password' },
  ]);
}
