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
 */
export function flatPreHashString(record: Record<string, unknown>, context: HashContext): string | undefined {
  if (context.ignore !== undefined && context.ignore.length > 0) return undefined;
  const vocabulary = flatVocabulary(record, context.prefixes);
  if (vocabulary === undefined) return undefined;
  const reader: Reader = { prefixes: context.prefixes, words: bareWordsOf(vocabulary) };
  /** A property's value as the general algorithm writes it after its name: read, trimmed, normalised ('' if empty). */
  const text = (name: string, value: string) => {
    const written = readText(value, reader).trim();
    return written === '' ? '' : `=${canonicalPropertyValue(name, written)}`;
  };
  let out = `eventType=${expandWord(record.type as string, reader)}`;
  for (const [name, kind] of ORDER) {
    const value = record[name];
    if (value === undefined) continue;
    if (kind === 'epcs') {
      const epcs: string[] = [];
      for (const epc of value as string[]) {
        const written = text('epc', epc);
        if (written !== '') epcs.push(`epc${written}`);
      }
      if (epcs.length > 0) out += name + epcs.sort(compareText).join('');
    } else {
      const written =
        kind === 'place' ? text('id', (value as { id: string }).id) : text(name, value as string);
      if (written !== '') out += kind === 'place' ? `${name}id${written}` : name + written;
    }
  }
  return out;
}

type Kind = 'text' | 'epcs' | 'place';

/** The flat properties in the canonical order (CBV 2.0 §8.9.2), and the shape of each. */
const ORDER: ReadonlyArray<readonly [string, Kind]> = [
  ['eventTime', 'text'],
  ['eventTimeZoneOffset', 'text'],
  ['parentID', 'text'],
  ['epcList', 'epcs'],
  ['childEPCs', 'epcs'],
  ['action', 'text'],
  ['bizStep', 'text'],
  ['disposition', 'text'],
  ['readPoint', 'place'],
  ['bizLocation', 'place'],
];
const KIND_OF: ReadonlyMap<string, Kind> = new Map(ORDER);
/** Members a flat event may have that the hash leaves out (their text all the same). */
const LEFT_OUT = new Set(['type', 'eventID', 'recordTime']);
/** The flat properties whose bare words are vocabulary terms. */
const VOCABULARY_TYPED = new Set(['bizStep', 'disposition']);

/**
 * The vocabulary IRIs of a flat event (bizStep's and disposition's), or undefined when the event is not flat: a
 * member of another name or shape, or a vocabulary IRI anywhere else (it would make words of the event's other
 * values, which only the general algorithm follows).
 */
function flatVocabulary(
  record: Record<string, unknown>,
  prefixes: Readonly<Record<string, string>>,
): string[] | undefined {
  const found: string[] = [];
  for (const key in record) {
    const value = record[key];
    const kind = KIND_OF.get(key);
    if (kind === 'epcs') {
      if (!Array.isArray(value)) return undefined;
      for (const epc of value) if (!plainText(epc, key, '', prefixes)) return undefined;
    } else if (kind === 'place') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      const place = value as Record<string, unknown>;
      for (const member in place) if (member !== 'id') return undefined;
      if (!plainText(place.id, 'id', key, prefixes)) return undefined;
    } else if (VOCABULARY_TYPED.has(key)) {
      if (typeof value !== 'string') return undefined;
      const iri = vocabularyIri(value, key, '', prefixes);
      if (iri !== undefined && !found.includes(iri)) found.push(iri);
    } else if (kind === undefined && !LEFT_OUT.has(key)) {
      return undefined;
    } else if (!plainText(value, key, '', prefixes)) {
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
