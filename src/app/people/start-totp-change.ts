import { withLatestReads } from '../../store/read-session.js';
import type { AppContext, Caller } from '../context.js';
import { sessionEnded } from '../live-key.js';
import { requireUser } from './signed-in.js';
import { newTotp, sealTotpSecret } from './totp.js';

/** Long enough to scan a QR code and read a code off the new entry; short enough not to linger. */
export const TOTP_ENROLMENT_MS = 10 * 60_000;

export interface TotpEnrolment {
  /** base32, for an authenticator app: shown this once, kept sealed until confirmed (change-totp.ts). */
  secret: string;
  uri: string;
  expiresAt: string;
}

/**
 * A new TOTP secret for the signed-in person, as an invitation's acceptance gives one: shown once. It replaces the
 * account's only when confirmed with the current password and a code from it, from this session, within ten
 * minutes; until then the old one signs in. Asking again replaces the secret being confirmed.
 */
export async function startTotpChange(ctx: AppContext, caller: Caller): Promise<TotpEnrolment> {
  const actor = requireUser(caller);
  const user = await withLatestReads(() => ctx.store.read((r) => r.getUser(actor.user.id)));
  if (!user) throw sessionEnded();
  const totp = newTotp(user.email);
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + TOTP_ENROLMENT_MS).toISOString();
  const enrolment = {
    sessionId: actor.user.sessionId,
    userId: user.id,
    secret: sealTotpSecret(ctx, user.id, totp.secret),
    expiresAt,
  };
  await ctx.store.write((tx) => tx.putTotpEnrolment(enrolment, now.toISOString()));
  return { ...totp, expiresAt };
}
