// A row of an imported file as the event POST /v1/events takes, or why it cannot be one before the registry is
// asked: no robot ID or one whose check characters are wrong, no time or one that is not a date, a required field
// left empty. Every event gets a stable eventId (eventIdOf), so that importing a file again records nothing twice.
// Pure, so that Node's test runner checks it.
import { checkRobotId } from '../robot-id.js';
import { payloadOf, type FieldSpec } from '../schema-form/model.js';
import type { Line, TableRow } from './formats.js';
import type { Message } from './message.js';
import { targetOfPath } from './targets.js';

export type WireEvent = {
  eventId: string;
  type: string;
  robotId: string;
  eventTime: string;
  payload: Record<string, unknown>;
};

/** Why a row is not sent: the field at fault (a column's header, or the event's dotted path) and the reason. */
export interface Refusal {
  field: string;
  reason: Message;
}

export interface Refused {
  row: number;
  refusal: Refusal;
}
/** A row's event before its eventId is settled (eventIdOf); an NDJSON line's as the line has it. */
export interface Drafted {
  row: number;
  event: Partial<WireEvent>;
}
/** A row of the file, ready: the event to send, or its refusal. */
export type Prepared = { row: number; event: WireEvent } | Refused;

/** How a table's columns become events: each column's target id (null: ignored), and the chosen event type. */
export interface Mapping {
  columns: (string | null)[];
  /** The type of every row, unless a column mapped to `type` names another. */
  type: string;
  /** The payload fields of that type (schema-form/model.ts: describeFields of its payload schema). */
  fields: FieldSpec[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as the registry wants it (RFC 3339 in UTC) from what a person writes: a date and time with an offset
 * or Z, or without one (the person's local time), `T` or a space between, `/` or `-` in the date; a date alone is
 * its local midnight. Undefined for anything else, a day that does not exist (30 February) included.
 */
export function instantOf(text: string): string | undefined {
  const match =
    /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      text.trim(),
    );
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as number[];
  if (hour! > 23 || minute! > 59 || second! > 59) return undefined;
  const ms = Math.floor(Number(`0${fraction || '.0'}`) * 1000);
  const calendar = new Date(Date.UTC(year!, month! - 1, day!));
  if (calendar.getUTCMonth() !== month! - 1 || calendar.getUTCDate() !== day) return undefined;
  if (zone === undefined) return new Date(year!, month! - 1, day!, hour, minute, second, ms).toISOString();
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const iso = `${y}-${pad(month!)}-${pad(day!)}T${pad(hour!)}:${pad(minute!)}:${pad(second!)}${fraction}${offset}`;
  return new Date(iso).toISOString();
}

/** A cell as the value its payload field holds: numbers and yes/no for such fields, trimmed text otherwise. */
function valueOf(spec: FieldSpec, text: string): unknown {
  const value = text.trim();
  if (spec.kind === 'number' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (spec.kind === 'boolean') {
    if (/^(true|yes|1)$/i.test(value)) return true;
    if (/^(false|no|0)$/i.test(value)) return false;
  }
  // A date field takes YYYY-MM-DD; spreadsheets in some locales write YYYY/MM/DD.
  if (spec.kind === 'text' && spec.format === 'date')
    return value.replace(/^(\d{4})\/(\d{2})\/(\d{2})$/, '$1-$2-$3');
  return value;
}

type Values = Record<string | number, unknown>;

/**
 * Puts `value` at `path` under `holder[key]` (whose field is `spec`), as a report form would hold it for payloadOf
 * (schema-form/model.ts): objects as objects, lists as arrays of their items, a map (materialsKg) as key and value
 * pairs.
 */
function put(
  holder: Values,
  key: string | number,
  spec: FieldSpec,
  path: (string | number)[],
  value: unknown,
) {
  const [next, ...rest] = path;
  if (next === undefined) holder[key] = value;
  else if (spec.kind === 'object')
    put(
      (holder[key] ??= {}) as Values,
      next,
      spec.fields.find((f) => f.name === next)!,
      rest,
      value,
    );
  else if (spec.kind === 'array') put((holder[key] ??= []) as Values, next, spec.item, rest, value);
  else if (spec.kind === 'map') ((holder[key] ??= []) as unknown[]).push({ key: String(next), value });
}

/** Lists in order without the gaps of items no column filled (components.0 and .2 but no .1). */
function closeGaps(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter(() => true).map(closeGaps);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closeGaps(v)]));
  return value;
}

const refuse = (row: number, field: string, reason: Message): Refused => ({
  row,
  refusal: { field, reason },
});

/** A robot ID's refusal, or its printed form (the registry takes any; one form keeps the eventId stable). */
function robotIdOf(text: string): { printed: string } | { reason: Message } {
  const check = checkRobotId(text);
  if (check.status === 'valid') return { printed: check.printed };
  if (check.status === 'empty') return { reason: { key: 'import.reasons.missing' } };
  if (check.status === 'wrong-check') return { reason: { key: 'robotId.wrongCheck' } };
  return { reason: { key: 'import.reasons.notRobotId' } };
}

/** A table row as an event (its eventId still to come: eventIdOf), or the first reason it cannot be one. */
export function eventOfRow(source: TableRow, headers: string[], mapping: Mapping): Drafted | Refused {
  const { row, cells } = source;
  if (source.problem) return refuse(row, '', source.problem);
  const targets = mapping.columns.map((id) => (id === null ? undefined : targetOfPath(mapping.fields, id)));
  /** The cell of the column mapped to `id`, and the name to give it in a refusal. */
  const cellOf = (id: string) => {
    const i = targets.findIndex((t) => t?.id === id);
    return i < 0 ? { header: id, text: '' } : { header: headers[i]!, text: cells[i]!.trim() };
  };

  const robot = cellOf('robotId');
  const robotId = robotIdOf(robot.text);
  if ('reason' in robotId) return refuse(row, robot.header, robotId.reason);
  const time = cellOf('eventTime');
  const eventTime = instantOf(time.text);
  if (!eventTime)
    return refuse(row, time.header, {
      key: time.text ? 'import.reasons.notATime' : 'import.reasons.missing',
    });
  const missing = targets.findIndex((t, i) => t?.kind === 'payload' && t.required && cells[i]!.trim() === '');
  if (missing >= 0) return refuse(row, headers[missing]!, { key: 'import.reasons.missing' });

  const form: Values = {};
  const payloadSpec: FieldSpec = { kind: 'object', name: 'payload', required: true, fields: mapping.fields };
  targets.forEach((t, i) => {
    if (t?.kind === 'payload' && cells[i]!.trim() !== '')
      put(form, 'payload', payloadSpec, t.path, valueOf(t.spec, cells[i]!));
  });
  const payload = payloadOf(payloadSpec, closeGaps(form.payload)) as Record<string, unknown>;
  const eventId = cellOf('eventId').text;
  const type = cellOf('type').text || mapping.type;
  return {
    row,
    event: { type, robotId: robotId.printed, eventTime, payload, ...(eventId ? { eventId } : {}) },
  };
}

/** An NDJSON line as the event it holds, sent as written but for the robot ID's printed form. */
export function eventOfLine(line: Line): Drafted | Refused {
  if (!line.value) return refuse(line.row, '', line.problem ?? { key: 'import.reasons.notAnEvent' });
  const robotId = robotIdOf(typeof line.value.robotId === 'string' ? line.value.robotId : '');
  if ('reason' in robotId) return refuse(line.row, 'robotId', robotId.reason);
  return { row: line.row, event: { ...line.value, robotId: robotId.printed } };
}

/** JSON with every object's members in code-unit order, so that equal content is equal text. */
const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : typeof value === 'object' && value !== null
      ? `{${Object.keys(value)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((value as Values)[k])}`)
          .join(',')}}`
      : JSON.stringify(value);

/**
 * The event's own eventId, or one derived from its content: `import-` and the first 32 hex digits of the SHA-256
 * of its type, robot ID, time and payload (canonical JSON). The same row imported again, from this file or from a
 * corrected copy of it, is then a `duplicate`, never a second event.
 */
export async function eventIdOf(event: Partial<WireEvent>): Promise<string> {
  if (typeof event.eventId === 'string' && event.eventId !== '') return event.eventId;
  const { type, robotId, eventTime, payload } = event;
  const content = new TextEncoder().encode(canonical({ type, robotId, eventTime, payload }));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', content));
  return `import-${Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Every row ready to send or refused, in the file's order. */
export async function settleEventIds(rows: (Drafted | Refused)[]): Promise<Prepared[]> {
  return Promise.all(
    rows.map(async (r) =>
      'refusal' in r
        ? r
        : { row: r.row, event: { ...r.event, eventId: await eventIdOf(r.event) } as WireEvent },
    ),
  );
}
