/**
 * Sign-in with email, password and TOTP code: a new session (a new id every time, so a session id planted before
 * sign-in is worth nothing). Every wrong answer, whichever part was wrong and whether the email is known, gets the
 * same 401; failures count against the account and the client address (throttle.ts), and a locked one gets 429.
 */
import { DomainError, locked } from '../../domain/errors.js';
import type { SignInThrottleRecord, Tx, UserRecord } from '../../store/store.js';
import { withLatestReads } from '../../store/read-session.js';
import type { AppContext } from '../context.js';
import { hashPassword, verifyPassword } from './password.js';
import { peopleSettings } from './settings.js';
import { accountSubject, addressSubject, afterFailure, lockedForMs, THROTTLE_LIMITS } from './throttle.js';
import { newToken } from './tokens.js';
import { matchTotp } from './totp.js';
import { signInAudit } from './sign-in-audit.js';
import { startSession, type SignedIn } from './start-session.js';

export const invalidCredentials = () =>
  new DomainError('unauthenticated', 'invalid-credentials', 'the email, password or code is not right');

/** 429 with Retry-After while an account or address is locked (docs/people.md, lock-out). */
export function signInLocked(lockedMs: number): DomainError {
  const seconds = Math.ceil(lockedMs / 1000);
  return locked(
    'sign-in-locked',
    `too many failed sign-ins: signing in is locked for ${Math.ceil(seconds / 60)} minutes (an administrator may unlock the account)`,
    seconds,
  );
}

/** Compared with when the email is unknown, so that an unknown email costs as long as a wrong password. */
let decoy: Promise<string> | undefined;
const decoyHash = (ctx: AppContext) => (decoy ??= hashPassword(newToken(), peopleSettings(ctx).passwordCost));

export async function signIn(
  ctx: AppContext,
  input: { email: string; password: string; totp: string },
  address: string,
): Promise<SignedIn> {
  const email = input.email.trim().toLowerCase();
  const subjects = [accountSubject(email), addressSubject(address)];
  const found = await withLatestReads(() =>
    ctx.store.read(async (r) => ({
      user: await r.findUserByEmail(email),
      throttles: await Promise.all(subjects.map((s) => r.getSignInThrottle(s))),
    })),
  );
  const lockedMs = Math.max(...found.throttles.map((t) => lockedForMs(t, ctx.now())));
  if (lockedMs > 0) {
    await auditSignIn(ctx, found.user, email, 'failure', 'sign-in-locked');
    throw signInLocked(lockedMs);
  }
  const user = found.user;
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash(ctx)));
  const step = user && passwordOk ? matchTotp(ctx, user, input.totp) : null;
  if (!user || step === null) {
    await recordFailure(ctx, user, email, address);
    throw invalidCredentials();
  }
  return startSession(ctx, user, { totpStep: step, via: 'password' });
}

async function recordFailure(ctx: AppContext, user: UserRecord | null, email: string, address: string) {
  const now = ctx.now();
  await ctx.store.write(async (tx) => {
    const account = accountSubject(email);
    const from = addressSubject(address);
    await countFailure(tx, account, THROTTLE_LIMITS.account, now);
    await countFailure(tx, from, THROTTLE_LIMITS.address, now);
    await tx.insertAudit(signInAudit(ctx, user, email, 'failure', 'invalid-credentials'));
  });
}

/** One more failure of `subject`, and its lock when that reaches `limit`. */
export async function countFailure(
  tx: Tx,
  subject: string,
  limit: number,
  now: Date,
): Promise<SignInThrottleRecord> {
  const next = afterFailure(subject, await tx.getSignInThrottle(subject), limit, now);
  await tx.putSignInThrottle(next);
  return next;
}

const auditSignIn = (
  ctx: AppContext,
  user: UserRecord | null,
  email: string,
  outcome: 'success' | 'failure',
  detail: string,
) =>
  ctx.store
    .write((tx) => tx.insertAudit(signInAudit(ctx, user, email, outcome, detail)))
    .catch(() => undefined);
