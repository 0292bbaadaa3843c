/** The lock-out arithmetic of failed sign-ins (src/app/people/throttle.ts): limits, windows, doubling, the cap. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  afterFailure,
  lockedForMs,
  LONGEST_LOCK_MS,
  THROTTLE_LIMITS,
} from '../../src/app/people/throttle.js';
import type { SignInThrottleRecord } from '../../src/store/store.js';

const MINUTE = 60_000;
const start = Date.parse('2026-12-05T08:00:00Z');
const at = (ms: number) => new Date(start + ms);

/** `n` failures a second apart from `from`, against `limit`. */
function fail(n: number, limit: number, from: number, record: SignInThrottleRecord | null = null) {
  for (let i = 0; i < n; i++) record = afterFailure('address:192.0.2.7', record, limit, at(from + i * 1000));
  return record!;
}

test('an address is locked at its 20th failure in 15 minutes, not before', () => {
  const nineteen = fail(19, THROTTLE_LIMITS.address, 0);
  assert.equal(lockedForMs(nineteen, at(20_000)), 0);
  const twenty = fail(1, THROTTLE_LIMITS.address, 19_000, nineteen);
  assert.equal(lockedForMs(twenty, at(19_000)), 15 * MINUTE);
});

test('failures spread wider than the window never lock', () => {
  let record: SignInThrottleRecord | null = null;
  for (let i = 0; i < 30; i++) record = afterFailure('account:a@b.cn', record, 5, at(i * 4 * MINUTE));
  assert.equal(record!.lockedUntil, null);
  assert.ok(record!.failures < 5);
});

test('each lock in a row doubles, up to 24 hours; a day of quiet starts afresh', () => {
  let record: SignInThrottleRecord | null = null;
  let now = 0;
  const lengths: number[] = [];
  for (let lock = 0; lock < 9; lock++) {
    record = fail(5, 5, now, record);
    const length = lockedForMs(record, at(now + 4000));
    lengths.push(length / MINUTE);
    now += length + 4000 + 1000; // just after the lock ends
  }
  assert.deepEqual(lengths, [15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
  assert.equal(Math.max(...lengths) * MINUTE, LONGEST_LOCK_MS);
  const quiet = fail(5, 5, now + 25 * 60 * MINUTE, record);
  assert.equal(lockedForMs(quiet, at(now + 25 * 60 * MINUTE + 4000)), 15 * MINUTE);
});
