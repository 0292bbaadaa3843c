import { invalid } from '../../domain/errors.js';
import { audited } from '../audit.js';
import type { AppContext, Caller } from '../context.js';
import { proveCurrentPassword } from './current-password.js';
import { requireUser } from './signed-in.js';
import { matchTotp } from './totp.js';
import { viewUser, type UserView } from './views.js';

const codeRefused = (code: string, message: string) =>
  invalid(code, `code: ${message}`, [{ field: '/code', message }]);

/**
 * Confirms the TOTP secret this session was given (start-totp-change.ts) with the current password and a code from
 * the new secret: the new secret replaces the old one, and the person's other sessions end (this one stays). A wrong
 * code leaves the enrolment in place, to try again.
 */
export async function changeTotp(
  ctx: AppContext,
  caller: Caller,
  input: { password: string; code: string },
): Promise<UserView> {
  const actor = requireUser(caller);
  const { sessionId } = actor.user;
  const action = 'totp.change';
  const user = await proveCurrentPassword(ctx, actor, input.password, { field: '/password', action });
  return audited(
    ctx,
    caller,
    action,
    async (tx) => {
      const enrolment = await tx.getTotpEnrolment(sessionId);
      if (
        !enrolment ||
        enrolment.userId !== user.id ||
        Date.parse(enrolment.expiresAt) <= ctx.now().getTime()
      )
        throw codeRefused(
          'no-totp-change',
          'no new secret is waiting for this session (ask for one, confirm within 10 minutes)',
        );
      // The code's step is kept as at sign-in, so the code that confirmed cannot also sign in.
      const step = matchTotp(ctx, { id: user.id, totp: enrolment.secret, totpLastStep: null }, input.code);
      if (step === null) throw codeRefused('wrong-totp-code', 'is not the code the new secret shows now');
      await tx.deleteTotpEnrolment(sessionId);
      await tx.setUserTotp(user.id, enrolment.secret, step);
      await tx.deleteSessionsOfUser(user.id, sessionId);
      return viewUser(user);
    },
    (changed) => changed.id,
    user.id,
  );
}
