import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareWithEventTime,
  compareWithEventTimeAnywhere,
  inOffset,
  isDate,
  parseDateTime,
  utcText,
} from '../../src/domain/time.js';

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

test('a date-time is stored as the UTC text toISOString writes, whether or not it was written so', () => {
  const cases: [string, string][] = [
    ['2026-03-01T09:30:00.250Z', '2026-03-01T09:30:00.250Z'],
    ['0000-01-01T00:00:00.000Z', '0000-01-01T00:00:00.000Z'],
    ['2026-03-01T09:30:00Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30:00.25Z', '2026-03-01T09:30:00.250Z'],
    ['2026-03-01T09:30:00.2500Z', '2026-03-01T09:30:00.250Z'],
    ['2026-03-01t09:30:00.250z', '2026-03-01T09:30:00.250Z'],
    ['2026-03-01T09:30:00.250+08:00', '2026-03-01T01:30:00.250Z'],
    ['2026-03-01T00:30:00.250-00:00', '2026-03-01T00:30:00.250Z'],
  ];
  for (const [written, stored] of cases) assert.equal(utcText(written), stored, written);
  // Over a year of instants, each as toISOString writes it and in other forms of itself: always toISOString's text.
  for (let ms = Date.UTC(2027, 11, 31, 23, 59, 59, 999); ms > Date.UTC(2026, 11, 31); ms -= 3_599_999) {
    const iso = new Date(ms).toISOString();
    for (const form of [iso, iso.replace('Z', '+00:00'), `${iso.slice(0, 19)}Z`])
      assert.equal(utcText(form), new Date(form).toISOString(), form);
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

test('a date-time written in another offset is the same instant at that local time, its fraction kept', () => {
  const cases: [string, string, string][] = [
    ['2026-07-21T18:30:00Z', '+08:00', '2026-07-22T02:30:00+08:00'], // the next day where it happened
    ['2026-07-21T18:30:00.123456z', '+08:00', '2026-07-22T02:30:00.123456+08:00'],
    ['2026-03-01T00:15:00+05:30', '-03:00', '2026-02-28T15:45:00-03:00'], // back across a month end
    ['2024-02-28T20:00:00-04:00', '+14:00', '2024-02-29T14:00:00+14:00'], // into a leap day
    ['2026-12-31T23:00:00+00:00', '+01:00', '2027-01-01T00:00:00+01:00'],
    ['2026-07-22T02:30:00+08:00', '+00:00', '2026-07-21T18:30:00+00:00'],
    // Already in that offset (Z is +00:00, and -00:00 is too): as written.
    ['2026-07-22T02:30:00+08:00', '+08:00', '2026-07-22T02:30:00+08:00'],
    ['2026-07-22T02:30:00Z', '+00:00', '2026-07-22T02:30:00Z'],
    ['2026-07-22T02:30:00Z', '-00:00', '2026-07-22T02:30:00Z'],
    // Not a date-time or not an offset: as written, for validation to say why.
    ['2026-02-30T10:00:00Z', '+08:00', '2026-02-30T10:00:00Z'],
    ['2026-07-22T02:30:00', '+08:00', '2026-07-22T02:30:00'],
    ['2026-07-22T02:30:00Z', '+8:00', '2026-07-22T02:30:00Z'],
    ['9999-12-31T23:00:00Z', '+02:00', '9999-12-31T23:00:00Z'], // the year 10000
  ];
  for (const [time, offset, local] of cases) {
    assert.equal(inOffset(time, offset), local, `${time} in ${offset}`);
    if (local !== time) assert.equal(parseDateTime(local), parseDateTime(time), `${local} is ${time}`);
  }
});

test('a date is after an event only when it is after the event’s day everywhere (its day at +14:00)', () => {
  const cases: [string, string, number | null][] = [
    ['2026-01-01', '2025-12-31T18:30:00Z', 0], // 02:30 on 1 January in Shanghai
    ['2026-01-01', '2025-12-31T09:59:59.999Z', 1], // still 31 December everywhere
    ['2026-01-01', '2025-12-31T10:00:00Z', 0], // midnight in Kiribati
    ['2025-12-31', '2025-12-31T18:30:00Z', -1],
    ['2025-12-31', '2025-12-31T09:59:59.999z', 0],
    ['2026-01-02', '2026-01-01T02:30:00+08:00', 1],
    // A date-time is an instant, compared as such; what does not parse is null.
    ['2026-01-01T02:30:00+08:00', '2025-12-31T18:30:00Z', 0],
    ['2026-01-01T02:30:01+08:00', '2025-12-31T18:30:00Z', 1],
    ['2026-02-30', '2026-01-01T00:00:00Z', null],
    ['2026-01-01', 'soon', null],
  ];
  for (const [value, eventTime, expected] of cases)
    assert.equal(compareWithEventTimeAnywhere(value, eventTime), expected, `${value} vs ${eventTime}`);
  // Every hour of a year, each date from the day before to two days after, in UTC and at +08:00: the event's day
  // at +14:00 decides.
  for (let hour = 0; hour < 366 * 24; hour++) {
    const at = Date.UTC(2027, 11, 1) + hour * 3_600_000 + (hour % 7) * 61_000;
    const latest = new Date(at + 14 * 3_600_000).toISOString().slice(0, 10);
    const inShanghai = `${new Date(at + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
    for (const days of [-1, 0, 1, 2]) {
      const date = new Date(at + days * 86_400_000).toISOString().slice(0, 10);
      const expected = Math.sign(date.localeCompare(latest));
      for (const time of [new Date(at).toISOString(), inShanghai])
        assert.equal(compareWithEventTimeAnywhere(date, time), expected, `${date} vs ${time}`);
    }
  }
});
