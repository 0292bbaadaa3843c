/**
 * Time, as the registry reads it. Event times are RFC 3339 date-times (ISO 8601 with seconds and an offset); dates
 * in payloads (productionDate, validUntil, recall criteria) may also be plain dates, which are compared with the
 * event's own calendar date.
 */

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Milliseconds since the epoch, or null when `value` is not a date-time with offset. */
export function parseDateTime(value: string): number | null {
  const m = DATE_TIME.exec(value);
  if (m === null) return null;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  if (m[7] !== undefined && (offsetHours > 23 || offsetMinutes > 59)) return null;
  const ms = Date.parse(value.toUpperCase());
  return Number.isNaN(ms) ? null : ms;
}

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
