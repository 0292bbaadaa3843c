import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareWithEventTime, isDate, parseDateTime } from '../../src/domain/time.js';

test('a date-time with seconds and an offset reads as its instant; anything else is null', () => {
  const cases: [string, number | null][] = [
    ['2026-03-01T09:30:00+08:00', Date.UTC(2026, 2, 1, 1, 30)],
    ['2026-03-01T09:30:00.250Z', Date.UTC(2026, 2, 1, 9, 30, 0, 250)],
    ['2026-03-01t09:30:00z', Date.UTC(2026, 2, 1, 9, 30)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)], // a leap year
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)], // divisible by 400: leap
    ['1900-02-29T00:00:00Z', null], // divisible by 100: not
    ['2026-02-29T00:00:00Z', null],
    ['2026-04-31T00:00:00Z', null],
    ['2026-13-01T00:00:00Z', null],
    ['2026-03-01T24:00:00Z', null],
    ['2026-03-01T09:60:00Z', null],
    ['2026-03-01T09:30:00+24:00', null],
    ['2026-03-01T09:30Z', null], // no seconds
    ['2026-03-01T09:30:00', null], // no offset
    ['2026-03-01', null],
  ];
  for (const [text, ms] of cases) assert.equal(parseDateTime(text), ms, text);
  // Read again in another order: the answer is each string's own, not the one read before it.
  for (const [text, ms] of [...cases].reverse()) {
    assert.equal(parseDateTime(text), ms, text);
    assert.equal(parseDateTime(text), ms, `${text} twice`);
  }
});

test('every day of four years reads as Date.parse reads it, and only real dates are dates', () => {
  for (let day = 0; day < 4 * 366; day++) {
    const iso = new Date(Date.UTC(2023, 0, 1) + day * 86_400_000 + day * 997).toISOString();
    assert.equal(parseDateTime(iso), Date.parse(iso), iso);
    assert.equal(isDate(iso.slice(0, 10)), true, iso);
  }
  assert.equal(isDate('2026-02-29'), false);
  assert.equal(
    compareWithEventTime('2026-03-01', '2026-03-01T23:59:59+08:00'),
    0,
    'the event’s own calendar day',
  );
  assert.equal(compareWithEventTime('2026-03-01T16:00:00Z', '2026-03-01T23:59:59+08:00'), 1);
});
