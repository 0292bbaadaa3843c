import { canonicalPropertyValue, compareText } from './event-hash-values.js';
import {
  bareWordsOf,
  expandWord,
  readText,
  vocabularyIri,
  type HashContext,
  type Reader,
} from './event-hash-words.js';

/**
 * The pre-hash string of a flat event, what most systems send (type, times, EPCs or a parent and its children,
 * action, bizStep, disposition, readPoint and bizLocation ids, all of them text), written straight in the canonical
 * order: the general algorithm (event-hash.ts) first builds the event's XML data model, sorts and reshapes it, which
 * is most of a capture's hashing. Undefined for any other event, which the general algorithm reads. Where the two
 * both read an event they write the same text (test/domain/epcis-event-hash-flat.test.ts holds them to it).
 *
 * A document's events mostly differ in their EPCs, times and parents alone: what the rest of an event writes (its
 * type, offset, action, steps and places, and the vocabulary words its steps make) is worked out once per distinct
 * set of those values (a template, TEMPLATES) and reused; only the values that differ are read event by event.
 */
export function flatPreHashString(record: Record<string, unknown>, context: HashContext): string | undefined {
  if (context.ignore !== undefined && context.ignore.length > 0) return undefined;
  const template = templateOf(record, context.prefixes);
  if (template === undefined) return undefined;
  const { prefixes } = context;
  const { reader } = template;
  for (const name of UNWRITTEN) {
    const value = record[name];
    if (value !== undefined && !plainText(value, name, '', prefixes)) return undefined;
  }
  let out = template.head;
  const time = record.eventTime;
  if (time !== undefined) {
    if (!plainText(time, 'eventTime', '', prefixes)) return undefined;
    out += propertyText('eventTime', time, reader);
  }
  out += template.offset;
  const parent = record.parentID;
  if (parent !== undefined) {
    if (!plainText(parent, 'parentID', '', prefixes)) return undefined;
    out += propertyText('parentID', parent, reader);
  }
  for (const name of EPC_LISTS) {
    const list = record[name];
    if (list === undefined) continue;
    const epcs: string[] = [];
    for (const epc of list as unknown[]) {
      if (!plainText(epc, name, '', prefixes)) return undefined;
      const written = valueText('epc', epc, reader);
      if (written !== '') epcs.push(`epc${written}`);
    }
    if (epcs.length > 0) out += name + epcs.sort(compareText).join('');
  }
  return out + template.tail;
}

/** A property's value as the general algorithm writes it after its name: read, trimmed, normalised ('' if empty). */
function valueText(name: string, value: string, reader: Reader): string {
  const written = readText(value, reader).trim();
  return written === '' ? '' : `=${canonicalPropertyValue(name, written)}`;
}

/** `name=value`, or nothing when the value writes nothing. */
function propertyText(name: string, value: string, reader: Reader): string {
  const written = valueText(name, value, reader);
  return written === '' ? '' : name + written;
}

/** What a set of the event's other values writes: before its eventTime, between it and parentID, after the EPCs. */
interface Template {
  /** Its members' names and values (a place's: its id), in the order the event has them. */
  names: string[];
  values: string[];
  reader: Reader;
  head: string;
  offset: string;
  tail: string;
}

type Kind = 'text' | 'place';

/** The properties a template holds, each in the canonical order (CBV 2.0 §8.9.2) of its part, and their shapes. */
const TAIL: ReadonlyArray<readonly [string, Kind]> = [
  ['action', 'text'],
  ['bizStep', 'text'],
  ['disposition', 'text'],
  ['readPoint', 'place'],
  ['bizLocation', 'place'],
];
const KIND_OF: ReadonlyMap<string, Kind> = new Map([
  ['type', 'text'],
  ['eventTimeZoneOffset', 'text'],
  ...TAIL,
]);
/** The properties read event by event: the EPC lists (between parentID and action in the order), and the rest. */
const EPC_LISTS = ['epcList', 'childEPCs'];
const PER_EVENT = new Set([...EPC_LISTS, 'eventTime', 'parentID']);
/** Members a flat event may have that the hash leaves out (plain text all the same). */
const UNWRITTEN = ['eventID', 'recordTime'];
/** The flat properties whose bare words are vocabulary terms. */
const VOCABULARY_TYPED = new Set(['bizStep', 'disposition']);

/**
 * Visits the event's template members in the order it has them, each as its name and text (a place: its id); false
 * when a visit says so or the event is not flat in shape: a member of another name, text that is no text, a place
 * with more than its id, EPCs that are no list.
 */
function eachTemplateMember(
  record: Record<string, unknown>,
  visit: (name: string, value: string) => boolean,
): boolean {
  for (const name in record) {
    const value = record[name];
    const kind = KIND_OF.get(name);
    if (kind === 'text') {
      if (typeof value !== 'string' || !visit(name, value)) return false;
    } else if (kind === 'place') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
      const place = value as Record<string, unknown>;
      for (const member in place) if (member !== 'id') return false;
      if (typeof place.id !== 'string' || !visit(name, place.id)) return false;
    } else if (EPC_LISTS.includes(name)) {
      if (!Array.isArray(value)) return false;
    } else if (!PER_EVENT.has(name) && !UNWRITTEN.includes(name)) {
      return false;
    }
  }
  return true;
}

/**
 * The event's template members as one text (name, length and value of each, as written: no two sets of members
 * give the same text, whatever their values hold), or undefined when the event is not flat in shape.
 */
function templateKey(record: Record<string, unknown>): string | undefined {
  let key = '';
  const flat = eachTemplateMember(record, (name, value) => {
    key += `${name}:${value.length}:${value}`;
    return true;
  });
  return flat ? key : undefined;
}

/**
 * Templates by the document's prefixes (what CURIEs mean): the last one taken (the next event mostly has the same
 * members, found without a key), and by template key, null for a key whose values are not plain (a vocabulary IRI
 * outside bizStep and disposition). A few hundred kept at most per set of prefixes: a document's events share a
 * handful.
 */
const TEMPLATES = new WeakMap<Readonly<Record<string, string>>, Templates>();
const TEMPLATES_AT_MOST = 256;

interface Templates {
  last?: Template;
  byKey: Map<string, Template | null>;
}

function templateOf(
  record: Record<string, unknown>,
  prefixes: Readonly<Record<string, string>>,
): Template | undefined {
  let templates = TEMPLATES.get(prefixes);
  if (templates === undefined) TEMPLATES.set(prefixes, (templates = { byKey: new Map() }));
  const { last, byKey } = templates;
  if (last !== undefined && sameMembers(record, last)) return last;
  const key = templateKey(record);
  if (key === undefined) return undefined;
  let template = byKey.get(key);
  if (template === undefined) {
    if (byKey.size >= TEMPLATES_AT_MOST) byKey.clear();
    template = newTemplate(record, prefixes) ?? null;
    byKey.set(key, template);
  }
  if (template === null) return undefined;
  templates.last = template;
  return template;
}

/** Whether the event is flat in shape and its template members are the template's, in the same order. */
function sameMembers(record: Record<string, unknown>, { names, values }: Template): boolean {
  let i = 0;
  const same = eachTemplateMember(record, (name, value) => name === names[i] && value === values[i++]);
  return same && i === names.length;
}

/** The template of the event's members (all text, places as their ids: templateKey checked them). */
function newTemplate(record: Record<string, unknown>, prefixes: Readonly<Record<string, string>>) {
  const vocabulary = templateVocabulary(record, prefixes);
  if (vocabulary === undefined) return undefined;
  const reader: Reader = { prefixes, words: bareWordsOf(vocabulary) };
  const text = (name: string) => {
    const value = record[name];
    if (value === undefined) return '';
    if (KIND_OF.get(name) === 'text') return propertyText(name, value as string, reader);
    const written = valueText('id', (value as { id: string }).id, reader);
    return written === '' ? '' : `${name}id${written}`;
  };
  const names: string[] = [];
  const values: string[] = [];
  eachTemplateMember(record, (name, value) => {
    names.push(name);
    values.push(value);
    return true;
  });
  return {
    names,
    values,
    reader,
    head: `eventType=${expandWord(record.type as string, reader)}`,
    offset: text('eventTimeZoneOffset'),
    tail: TAIL.map(([name]) => text(name)).join(''),
  };
}

/**
 * The vocabulary IRIs of the template's members (bizStep's and disposition's), or undefined when another of them
 * names one (it would make words of the event's other values, which only the general algorithm follows).
 */
function templateVocabulary(
  record: Record<string, unknown>,
  prefixes: Readonly<Record<string, string>>,
): string[] | undefined {
  const found: string[] = [];
  for (const name in record) {
    const kind = KIND_OF.get(name);
    if (kind === undefined) continue;
    const value = record[name];
    if (VOCABULARY_TYPED.has(name)) {
      const iri = vocabularyIri(value as string, name, '', prefixes);
      if (iri !== undefined && !found.includes(iri)) found.push(iri);
    } else if (kind === 'place') {
      if (!plainText((value as { id: string }).id, 'id', name, prefixes)) return undefined;
    } else if (!plainText(value, name, '', prefixes)) {
      return undefined;
    }
  }
  return found;
}

/** A text that names no vocabulary IRI. */
const plainText = (
  value: unknown,
  key: string,
  parentKey: string,
  prefixes: Readonly<Record<string, string>>,
): value is string =>
  typeof value === 'string' && vocabularyIri(value, key, parentKey, prefixes) === undefined;
