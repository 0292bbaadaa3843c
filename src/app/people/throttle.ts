/**
 * Failed sign-ins are counted per account and per client address: 5 failures of an account, or 20 from an
 * address, within 15 minutes lock it for 15 minutes; each further lock lasts twice the one before, up to 24 hours.
 * A successful sign-in clears its account's count and locks; an administrator may unlock an account at once; a
 * subject quiet for a day starts afresh. docs/people.md says the same to operators.
 */
import type { SignInThrottleRecord } from '../../store/store.js';

const MINUTE = 60_000;
export const THROTTLE_WINDOW_MS = 15 * MINUTE;
export const FIRST_LOCK_MS = 15 * MINUTE;
export const LONGEST_LOCK_MS = 24 * 60 * MINUTE;
/** A subject's lock count is forgotten this long after its last lock ended. */
const LOCKS_FORGOTTEN_MS = 24 * 60 * MINUTE;

export const THROTTLE_LIMITS = { account: 5, address: 20 } as const;

export const accountSubject = (email: string) => `account:${email}`;
export const addressSubject = (address: string) => `address:${address}`;

/** Milliseconds the subject stays locked at `now` (0: not locked). */
export function lockedForMs(record: SignInThrottleRecord | null, now: Date): number {
  if (!record?.lockedUntil) return 0;
  return Math.max(0, Date.parse(record.lockedUntil) - now.getTime());
}

/** The subject's record after one more failure at `now`: a lock once the failures in the window reach `limit`. */
export function afterFailure(
  subject: string,
  record: SignInThrottleRecord | null,
  limit: number,
  now: Date,
): SignInThrottleRecord {
  const at = now.getTime();
  const lastLockEnded = record?.lockedUntil ? Date.parse(record.lockedUntil) : null;
  const locks = lastLockEnded !== null && at - lastLockEnded > LOCKS_FORGOTTEN_MS ? 0 : (record?.locks ?? 0);
  const windowOpen = record !== null && at - Date.parse(record.windowStartedAt) < THROTTLE_WINDOW_MS;
  const failures = windowOpen ? record.failures + 1 : 1;
  const windowStartedAt = windowOpen ? record.windowStartedAt : now.toISOString();
  if (failures < limit) {
    return {
      subject,
      failures,
      windowStartedAt,
      locks,
      lockedUntil: locks === 0 ? null : record!.lockedUntil,
    };
  }
  const lockMs = Math.min(FIRST_LOCK_MS * 2 ** locks, LONGEST_LOCK_MS);
  return {
    subject,
    failures: 0,
    windowStartedAt: now.toISOString(),
    locks: locks + 1,
    lockedUntil: new Date(at + lockMs).toISOString(),
  };
}
