// A form from a JSON Schema (the event payload schemas of GET /v1/event-types): what fields, of which kinds, with
// which limits, and the payload made back from what was entered. Pure, so that Node's test runner checks it over
// every payload schema the registry has; schema-form.tsx renders it with antd. A new event type gets its form from
// its schema alone.

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  format?: string;
  description?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  maxItems?: number;
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
}

interface Common {
  name: string;
  required: boolean;
  description?: string;
}

export type FieldSpec =
  | (Common & {
      kind: 'text';
      /** Long text: a text area. */
      multiline: boolean;
      /** A date (YYYY-MM-DD) or an instant (sent as ISO 8601 UTC). */
      format?: 'date' | 'date-time';
      /** The id of an organisation (a property named `…OrgId`): picked by name, not typed. */
      refersTo?: 'organisation';
      minLength?: number;
      maxLength?: number;
      pattern?: string;
    })
  | (Common & { kind: 'enum'; values: string[] })
  | (Common & { kind: 'number'; integer: boolean; minimum?: number; maximum?: number })
  | (Common & { kind: 'boolean' })
  | (Common & { kind: 'object'; fields: FieldSpec[] })
  | (Common & { kind: 'array'; item: FieldSpec; maxItems?: number })
  /** An object of free keys (a record such as materials by kilogram): entered as key and value pairs. */
  | (Common & { kind: 'map'; value: FieldSpec })
  /** A shape this renderer does not draw as fields: entered as JSON text. */
  | (Common & { kind: 'json' });

/** Texts longer than this get a text area. */
const MULTILINE_FROM = 500;

/** Properties that hold an organisation's id, by the payload schemas' naming (`toOrgId`). */
const ORGANISATION_ID = /OrgId$/;

const typeOf = (schema: JsonSchema) =>
  Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;

/** The field for one property of a schema. */
export function describeField(schema: JsonSchema, name: string, required: boolean): FieldSpec {
  const common: Common = {
    name,
    required,
    ...(schema.description ? { description: schema.description } : {}),
  };
  const literals = schema.anyOf?.every((s) => s.const !== undefined)
    ? schema.anyOf.map((s) => s.const)
    : undefined;
  const values = schema.enum ?? literals;
  if (values) return { ...common, kind: 'enum', values: values.map(String) };
  switch (typeOf(schema)) {
    case 'string':
      return {
        ...common,
        kind: 'text',
        multiline: (schema.maxLength ?? 0) >= MULTILINE_FROM,
        ...(schema.format === 'date' || schema.format === 'date-time' ? { format: schema.format } : {}),
        ...(ORGANISATION_ID.test(name) ? { refersTo: 'organisation' as const } : {}),
        ...(schema.minLength !== undefined ? { minLength: schema.minLength } : {}),
        ...(schema.maxLength !== undefined ? { maxLength: schema.maxLength } : {}),
        ...(schema.pattern !== undefined ? { pattern: schema.pattern } : {}),
      };
    case 'integer':
    case 'number':
      return {
        ...common,
        kind: 'number',
        integer: typeOf(schema) === 'integer',
        ...(schema.minimum !== undefined ? { minimum: schema.minimum } : {}),
        ...(schema.maximum !== undefined ? { maximum: schema.maximum } : {}),
      };
    case 'boolean':
      return { ...common, kind: 'boolean' };
    case 'object': {
      if (schema.properties) return { ...common, kind: 'object', fields: describeFields(schema) };
      const values = Object.values(schema.patternProperties ?? {});
      const value =
        values.length === 1
          ? values[0]!
          : typeof schema.additionalProperties === 'object'
            ? schema.additionalProperties
            : undefined;
      return value
        ? { ...common, kind: 'map', value: describeField(value, 'value', true) }
        : { ...common, kind: 'json' };
    }
    case 'array':
      return schema.items
        ? {
            ...common,
            kind: 'array',
            item: describeField(schema.items, name, true),
            ...(schema.maxItems !== undefined ? { maxItems: schema.maxItems } : {}),
          }
        : { ...common, kind: 'json' };
    default:
      return { ...common, kind: 'json' };
  }
}

/** The fields of an object schema, required ones first (in the schema's order otherwise). */
export function describeFields(schema: JsonSchema): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([name, s]) =>
    describeField(s, name, required.has(name)),
  );
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
}

const isEmpty = (v: unknown) =>
  v === undefined ||
  v === null ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && v.length === 0);

/**
 * The payload from what the form holds: empty optional fields left out (an empty string is not "no value"),
 * instants as ISO 8601 UTC, JSON text parsed. Required fields stay, even empty, for the registry to name.
 */
export function payloadOf(field: FieldSpec, value: unknown): unknown {
  switch (field.kind) {
    case 'object': {
      const input = (value ?? {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of field.fields) {
        const v = payloadOf(f, input[f.name]);
        if (!isEmpty(v)) out[f.name] = v;
        else if (f.required && f.kind === 'array') out[f.name] = [];
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((v) => payloadOf(field.item, v)) : [];
    case 'map': {
      if (!Array.isArray(value)) return undefined;
      const entries = (value as { key?: string; value?: unknown }[])
        .filter((e) => e?.key?.trim())
        .map((e) => [e.key!.trim(), payloadOf(field.value, e.value)]);
      return entries.length > 0 ? Object.fromEntries(entries) : undefined;
    }
    case 'text':
      if (typeof value !== 'string' || value.trim() === '') return undefined;
      if (field.format === 'date-time') {
        const at = new Date(value);
        return Number.isNaN(at.getTime()) ? value : at.toISOString();
      }
      return value.trim();
    case 'json':
      if (typeof value !== 'string' || value.trim() === '') return undefined;
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    default:
      return value ?? undefined;
  }
}
