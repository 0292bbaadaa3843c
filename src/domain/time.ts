/**
 * Time, as the registry reads it. Event times are RFC 3339 date-times (ISO 8601 with seconds and an offset); dates
 * in payloads (productionDate, validUntil, recall criteria) may also be plain dates, which are compared with the
 * event's own calendar date.
 */

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/**
 * The last date-time parsed and its value: an event's time is read several times as its event is checked (its
 * time, then the dates of its payload against it), each time the same string.
 */
let last: { value: string; ms: number | null } = { value: '', ms: null };

/** Milliseconds since the epoch, or null when `value` is not a date-time with offset. */
export function parseDateTime(value: string): number | null {
  if (value === last.value) return last.ms;
  const ms = parseAnew(value);
  last = { value, ms };
  return ms;
}

function parseAnew(value: string): number | null {
  const m = DATE_TIME.exec(value);
  if (m === null) return null;
  if (!validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return null;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return null;
  const ms = Date.parse(/[tz]/.test(value) ? value.toUpperCase() : value);
  return Number.isNaN(ms) ? null : ms;
}

/** A date-time as toISOString writes it: UTC, with milliseconds. */
const UTC_WITH_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A valid date-time (schema-checked: a real instant) as the UTC text the registry stores, YYYY-MM-DDTHH:mm:ss.sssZ.
 * One written so already comes back as it is, unread (most clients write them so; a capture asks this of every event).
 */
export const utcText = (dateTime: string): string =>
  UTC_WITH_MILLIS.test(dateTime) ? dateTime : new Date(dateTime).toISOString();

/** A real calendar date YYYY-MM-DD (2026-02-30 is not). */
export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * Compares a date or date-time with an event time: negative if before, 0 if the same (a date: the same calendar
 * day as written in the event time), positive if after; null if either does not parse.
 */
export function compareWithEventTime(value: string, eventTime: string): number | null {
  const event = parseDateTime(eventTime);
  if (event === null) return null;
  if (isDate(value)) {
    const day = eventTime.slice(0, 10);
    return value < day ? -1 : value > day ? 1 : 0;
  }
  const ms = parseDateTime(value);
  return ms === null ? null : Math.sign(ms - event);
}

/** The easternmost offset in use (+14:00, Kiribati), where each calendar day begins first. */
const EASTERNMOST_HOURS = 14;
const EASTERNMOST_MS = EASTERNMOST_HOURS * 3_600_000;

/**
 * As compareWithEventTime, but a date is compared with the latest date the event's instant has anywhere (its date
 * at +14:00): a date names no zone, and an event at 18:30 UTC is already the next day in Shanghai. Events are kept
 * in UTC, so this reads the same at capture and when a history is replayed.
 */
export function compareWithEventTimeAnywhere(value: string, eventTime: string): number | null {
  if (!isDate(value)) return compareWithEventTime(value, eventTime);
  const event = parseDateTime(eventTime);
  if (event === null) return null;
  // A capture's times are in UTC: a date up to their UTC day is placed without writing out the latest date (the
  // capture's writer asks this of every manufacture, and a Date's ISO text is most of the cost).
  if (eventTime.endsWith('Z') || eventTime.endsWith('z')) {
    const utcDay = eventTime.slice(0, 10);
    if (value < utcDay) return -1;
    if (value === utcDay) return Number(eventTime.slice(11, 13)) < 24 - EASTERNMOST_HOURS ? 0 : -1;
  }
  const latest = new Date(event + EASTERNMOST_MS).toISOString().slice(0, 10);
  return value < latest ? -1 : value > latest ? 1 : 0;
}

const OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/** An offset as minutes east of UTC ('Z' is 0), or null when it is not one. */
function offsetMinutes(offset: string): number | null {
  if (offset === 'Z' || offset === 'z') return 0;
  const m = OFFSET.exec(offset);
  return m === null ? null : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** A date-time's written end: its seconds' fraction, if any, and its offset. */
const FRACTION_AND_OFFSET = /(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * The date-time `time` written in `offset` (±hh:mm): the same instant, its local time where the offset is. What
 * is not a valid date-time, an offset, or a year from 0 to 9999 once moved comes back as it was (its validation
 * says why, not this). The seconds' fraction is kept as written: offsets are whole minutes.
 */
export function inOffset(time: string, offset: string): string {
  const target = offsetMinutes(offset);
  // Already written so, UTC's Z included: as written, without reading it (a capture asks this of every event).
  if (target === null || time.endsWith(offset) || (target === 0 && /[Zz]$/.test(time))) return time;
  const instant = parseDateTime(time);
  const written = FRACTION_AND_OFFSET.exec(time);
  if (instant === null || written === null || offsetMinutes(written[2]!) === target) return time;
  const local = new Date(Math.floor(instant / 1000) * 1000 + target * 60_000).toISOString();
  if (local.length !== 24) return time; // beyond year 9999 (or before 0): six digits and a sign
  return `${local.slice(0, 19)}${written[1] ?? ''}${offset}`;
}
