/** Each event type's payload fields, read from the schemas the registry checks events against. */
import type { EventType } from '../../domain/lifecycle/events.js';
import { PAYLOAD_SCHEMAS } from '../../domain/lifecycle/payloads.js';
import { table } from './output.js';

/** The parts of a JSON Schema that say what a field takes. */
interface Shape {
  type?: string;
  enum?: readonly string[];
  format?: string;
  description?: string;
  items?: Shape;
  properties?: Record<string, Shape>;
  required?: readonly string[];
  anyOf?: readonly Shape[];
}

export interface PayloadField {
  name: string;
  required: boolean;
  takes: string;
}

const FORMATS: Record<string, string> = {
  date: 'date, YYYY-MM-DD',
  'date-time': 'date and time, ISO 8601 with an offset',
};

/** `{kind, position?, …}`: an object's fields, optional ones marked `?`. */
const members = (shape: Shape) =>
  `{${Object.keys(shape.properties ?? {})
    .map((name) => (shape.required?.includes(name) ? name : `${name}?`))
    .join(', ')}}`;

function takes(shape: Shape): string {
  if (shape.enum) return `one of ${shape.enum.join(', ')}`;
  if (shape.type === 'array') return `list of ${shape.items ? takes(shape.items) : 'values'}`;
  if (shape.type === 'object') return shape.properties ? members(shape) : 'object of names to numbers';
  if (shape.type === 'integer') return 'whole number';
  if (shape.type === 'number') return 'number';
  const format = shape.format ? FORMATS[shape.format] : undefined;
  return format ?? shape.description ?? 'text';
}

export function payloadFields(type: EventType): PayloadField[] {
  const schema = PAYLOAD_SCHEMAS[type] as Shape;
  return Object.entries(schema.properties ?? {}).map(([name, shape]) => ({
    name,
    required: schema.required?.includes(name) ?? false,
    takes: takes(shape),
  }));
}

/** One line per type for `event add --help`: its fields, required ones marked `*`. */
export function payloadSummary(types: readonly EventType[]): string {
  return table(
    ['TYPE', 'PAYLOAD FIELDS (* required)'],
    types.map((t) => [
      t,
      payloadFields(t)
        .map((f) => (f.required ? `${f.name}*` : f.name))
        .join(', ') || '-',
    ]),
  );
}

/** `robotid event types <type>`: each field, whether it is required, and what it takes. */
export function payloadDetail(type: EventType): string {
  const rows = payloadFields(type).map((f) => [f.name, f.required ? 'required' : 'optional', f.takes]);
  return rows.length === 0
    ? `${type}: no payload fields ({})`
    : `${type}\n${table(['FIELD', 'REQUIRED', 'TAKES'], rows)}`;
}
