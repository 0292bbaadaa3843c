// Where a column of an imported table can go (docs/console.md#bulk-import): the event's robot ID, type, time and
// eventId, or a field of the payload of the chosen event type, named by its dotted path. The payload fields come
// from the same description of the payload schema (GET /v1/event-types) as the report forms (schema-form/model.ts),
// so a new event type is importable without console code. Pure, so that Node's test runner checks it.
import type { FieldSpec } from '../schema-form/model.js';
import type { Translate } from './message.js';

export const ENVELOPE = ['robotId', 'type', 'eventTime', 'eventId'] as const;
export type EnvelopeField = (typeof ENVELOPE)[number];

export type Target =
  | { id: EnvelopeField; kind: 'envelope'; required: boolean }
  /** A payload field: `path` inside the payload (array indexes as numbers, map keys as text); `id` is `payload.<dotted path>`. */
  | { id: string; kind: 'payload'; path: (string | number)[]; spec: FieldSpec; required: boolean };

const envelope = (id: EnvelopeField): Target => ({
  id,
  kind: 'envelope',
  required: id === 'robotId' || id === 'eventTime',
});

const payloadTarget = (path: (string | number)[], spec: FieldSpec, required: boolean): Target => ({
  id: `payload.${path.join('.')}`,
  kind: 'payload',
  path,
  spec,
  required,
});

/**
 * The fields a column can be mapped to, in the order of the form: the envelope, then each payload field that holds
 * one value. A list's fields are offered for its first item (index 0); later items and the keys of a map (say
 * materialsKg.steel) are reached by naming the column with their dotted path. Required: the field and every object
 * around it is required (a list's items are not: a list may be empty).
 */
export function importTargets(fields: FieldSpec[]): Target[] {
  const leaves = (specs: FieldSpec[], at: (string | number)[], required: boolean): Target[] =>
    specs.flatMap((spec) => {
      const path = [...at, spec.name];
      if (spec.kind === 'object') return leaves(spec.fields, path, required && spec.required);
      if (spec.kind === 'array')
        return spec.item.kind === 'object'
          ? leaves(spec.item.fields, [...path, 0], false)
          : [payloadTarget([...path, 0], spec.item, false)];
      if (spec.kind === 'map') return [];
      return [payloadTarget(path, spec, required && spec.required)];
    });
  return [...ENVELOPE.map(envelope), ...leaves(fields, [], true)];
}

/** The target a dotted path names (`eventTime`, `payload.components.1.serial`, `materialsKg.steel`), if any. */
export function targetOfPath(fields: FieldSpec[], dotted: string): Target | undefined {
  const parts = dotted.trim().split('.');
  const top = ENVELOPE.find((e) => e === parts[0]);
  if (top && parts.length === 1) return envelope(top);
  const inPayload = parts[0] === 'payload' ? parts.slice(1) : parts;
  const path: (string | number)[] = [];
  let specs: FieldSpec[] | undefined = fields;
  let spec: FieldSpec | undefined;
  let required = true;
  for (let i = 0; i < inPayload.length; i++) {
    const part = inPayload[i]!;
    if (spec?.kind === 'array') {
      if (!/^(0|[1-9][0-9]*)$/.test(part)) return undefined;
      path.push(Number(part));
      spec = spec.item;
      required = false;
    } else if (spec?.kind === 'map') {
      if (part === '') return undefined;
      path.push(part);
      spec = spec.value;
    } else {
      spec = specs?.find((f) => f.name === part);
      if (!spec) return undefined;
      path.push(part);
      required = required && spec.required;
    }
    specs = spec.kind === 'object' ? spec.fields : undefined;
  }
  if (!spec || spec.kind === 'object' || spec.kind === 'array' || spec.kind === 'map') return undefined;
  return payloadTarget(path, spec, required);
}

/** A name as a header might write it: case, spaces and punctuation aside. */
const normal = (name: string) => name.toLowerCase().replace(/[\s_\-.·:：()（）]/g, '');

/** Names that lead to targets; a name two targets share leads to neither. */
class Names {
  private readonly ids = new Map<string, string | null>();
  add(name: string, id: string) {
    const key = normal(name);
    if (key !== '') this.ids.set(key, this.ids.has(key) && this.ids.get(key) !== id ? null : id);
  }
  find(name: string) {
    return this.ids.get(normal(name)) ?? undefined;
  }
}

/**
 * The target proposed for each header (null: none), each target for one header at most. A header is taken for, in
 * this order: the target whose dotted path it is; the target it names in full (`names(target)`: its labels in every
 * language of the console and other usual names; its path without list indexes); the one payload field whose own
 * name it is (`fieldNames(name)`: the field's labels; its name), so that "Serial" finds components.0.serial.
 */
export function proposeMapping(
  headers: string[],
  fields: FieldSpec[],
  names: (target: Target) => string[],
  fieldNames: (name: string) => string[],
): (string | null)[] {
  const full = new Names();
  const short = new Names();
  for (const target of importTargets(fields)) {
    for (const name of names(target)) full.add(name, target.id);
    if (target.kind !== 'payload') continue;
    full.add(target.path.filter((p) => typeof p === 'string').join('.'), target.id);
    const own = String(target.path.at(-1));
    for (const name of [own, ...fieldNames(own)]) short.add(name, target.id);
  }
  const taken = new Set<string>();
  const take = (id: string | undefined) => (id === undefined || taken.has(id) ? null : (taken.add(id), id));
  const exact = headers.map((h) => take(targetOfPath(fields, h)?.id));
  return exact.map((id, i) => id ?? take(full.find(headers[i]!)) ?? take(short.find(headers[i]!)));
}

/** The console's words for the envelope's fields (literal keys: test/console/i18n.test.ts finds them). */
const ENVELOPE_LABELS: Record<EnvelopeField, string> = {
  robotId: 'import.targets.robotId',
  type: 'import.targets.type',
  eventTime: 'import.targets.eventTime',
  eventId: 'import.targets.eventId',
};

/** Other names a file may give the envelope's fields. */
const ENVELOPE_NAMES: Record<EnvelopeField, string[]> = {
  robotId: ['robot', 'robot id', 'id'],
  type: ['event type', 'event'],
  eventTime: ['occurredAt', 'occurred at', 'time', 'date', 'when'],
  eventId: ['event id'],
};

/** A target in words: "Robot ID"; "Components 1 · Part number" (the console's field labels, a list's items from 1). */
export function targetLabel(target: Target, t: Translate): string {
  if (target.kind === 'envelope') return t(ENVELOPE_LABELS[target.id]);
  return target.path.reduce<string>((words, part) => {
    if (typeof part === 'number') return `${words} ${part + 1}`;
    const label = t(`fields.${part}`, { defaultValue: part });
    return words === '' ? label : `${words} · ${label}`;
  }, '');
}

/**
 * The names proposeMapping recognises, in every language of the console (`languages`: a translate function each):
 * a target's labels and usual names, a field's labels.
 */
export const namesIn = (languages: Translate[]) => ({
  names: (target: Target) => [
    ...languages.map((t) => targetLabel(target, t)),
    ...(target.kind === 'envelope' ? ENVELOPE_NAMES[target.id] : []),
  ],
  fieldNames: (name: string) => languages.map((t) => t(`fields.${name}`, { defaultValue: name })),
});
