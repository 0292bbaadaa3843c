import { CBV, GS1_VOC, memoised } from './event-hash-values.js';

/**
 * How the CBV 2.0 Event Hash (event-hash.ts) reads an event's text as JSON-LD would: CURIEs with the document's
 * prefixes, and bare CBV words as the vocabulary IRIs the EPCIS context's type-scoped vocabularies make of them.
 */

/** What an event's hash needs from its document. */
export interface HashContext {
  /** Prefix → namespace IRI, from the document's @context (documentPrefixes). */
  prefixes: Readonly<Record<string, string>>;
  /** Top-level properties to leave out as written (a repository's own annotations), e.g. `ext:captureID`. */
  ignore?: readonly string[];
}

/** Prefixes the EPCIS 2.0 JSON-LD context declares (a document's own @context adds to them for CURIEs). */
export const EPCIS_PREFIXES: Record<string, string> = {
  epcis: 'https://ref.gs1.org/epcis/',
  cbv: 'https://ref.gs1.org/cbv/',
  cbvmda: 'urn:epcglobal:cbv:mda:',
  gs1: 'https://gs1.org/voc/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcterms: 'http://purl.org/dc/terms/',
};
/** Where a bare word is a vocabulary term, and the IRI it stands for (the EPCIS context's type-scoped @vocab). */
const VOCABULARY: Record<string, string> = {
  bizStep: `${CBV}BizStep-`,
  disposition: `${CBV}Disp-`,
  set: `${CBV}Disp-`,
  unset: `${CBV}Disp-`,
  'bizTransactionList/type': `${CBV}BTT-`,
  'sourceList/type': `${CBV}SDT-`,
  'destinationList/type': `${CBV}SDT-`,
  reason: `${CBV}ER-`,
  'sensorReport/type': GS1_VOC,
  exception: GS1_VOC,
  component: `${CBV}Comp-`,
};

// ---- bare CBV words (JSON-LD expansion of the EPCIS context's type-scoped vocabularies) ----

const PREFIX_NAME = /^[A-Za-z][\w.-]*$/;
const BARE_WORD = /^[A-Za-z0-9_]+$/;

/**
 * The CBV and GS1 vocabulary IRIs the event's JSON-LD expansion holds: its vocabulary-typed values expanded, and
 * every value already written as such an IRI.
 */
export function expandedVocabulary(
  event: Record<string, unknown>,
  prefixes: Readonly<Record<string, string>>,
): string[] {
  const found = new Set<string>();
  visitVocabulary(event, '', '', prefixes, found);
  return [...found];
}

/** A list entry's `type` is a vocabulary term by its list (VOCABULARY's `<list>/type`). */
const TYPE_VOCABULARY_IN = new Map(
  Object.entries(VOCABULARY).flatMap(([key, iri]) =>
    key.endsWith('/type') ? [[key.slice(0, -'/type'.length), iri] as const] : [],
  ),
);

function visitVocabulary(
  value: unknown,
  key: string,
  parentKey: string,
  prefixes: Readonly<Record<string, string>>,
  found: Set<string>,
): void {
  if (typeof value === 'string') {
    const iri = vocabularyIri(value, key, parentKey, prefixes);
    if (iri !== undefined) found.add(iri);
  } else if (Array.isArray(value)) {
    for (const item of value) visitVocabulary(item, key, parentKey, prefixes, found);
  } else if (value !== null && typeof value === 'object') {
    // list entries are named after their list (sensorElementList's sensorReport, sourceList's entries); for-in, not
    // Object.entries: the same keys in the same order (parsed JSON has no inherited ones), without an array per object
    const record = value as Record<string, unknown>;
    for (const k in record) visitVocabulary(record[k], k, key, prefixes, found);
  }
}

/**
 * The CBV or GS1 vocabulary IRI a string value under `key` (in an object under `parentKey`) expands to: a CURIE, a
 * bare word of a vocabulary-typed property, or such an IRI as written; undefined when it is none.
 */
export function vocabularyIri(
  value: string,
  key: string,
  parentKey: string,
  prefixes: Readonly<Record<string, string>>,
): string | undefined {
  let iri = value;
  const colon = value.indexOf(':');
  if (colon > 0) {
    const prefix = value.slice(0, colon);
    const namespace = key.includes(':') ? undefined : (prefixes[prefix] ?? EPCIS_PREFIXES[prefix]);
    if (namespace !== undefined && PREFIX_NAME.test(prefix)) iri = namespace + value.slice(colon + 1);
  } else if (colon < 0) {
    const vocabulary = key === 'type' ? TYPE_VOCABULARY_IN.get(parentKey) : VOCABULARY[key];
    if (vocabulary !== undefined && BARE_WORD.test(value)) iri = vocabulary + value;
  }
  return iri.startsWith(CBV) || iri.startsWith(GS1_VOC) ? iri : undefined;
}

/**
 * Every string value that names exactly one expanded vocabulary IRI by its last word (after a `-` or `/`) stands
 * for that IRI: the words, each with its IRI, or null when it names several.
 */
function bareWords(expanded: readonly string[]): Map<string, string | null> {
  const words = new Map<string, string | null>();
  for (const iri of expanded) {
    for (const word of lastWordsOf(iri)) words.set(word, words.has(word) ? null : iri);
  }
  return words;
}

/** bareWords, for the same few sets of IRIs that come in every event of a document (never changed once made). */
const WORDS_OF_SETS = new Map<string, ReadonlyMap<string, string | null>>();
export function bareWordsOf(expanded: readonly string[]): ReadonlyMap<string, string | null> {
  const key = JSON.stringify(expanded);
  let words = WORDS_OF_SETS.get(key);
  if (words === undefined) {
    if (WORDS_OF_SETS.size >= 1024) WORDS_OF_SETS.clear();
    words = bareWords(expanded);
    WORDS_OF_SETS.set(key, words);
  }
  return words;
}

/** An IRI's distinct tails after each `-` or `/`; the same few vocabulary IRIs come in every event. */
const lastWordsOf = memoised((iri: string): readonly string[] => {
  const seen = new Set<string>();
  for (let i = 0; i < iri.length; i++) {
    if (iri[i] === '-' || iri[i] === '/') seen.add(iri.slice(i + 1));
  }
  return [...seen];
});

/** `prefix:rest` with a declared prefix: a key becomes `{namespace}rest`, a value `namespacerest`. */
export function withNamespace(
  text: string,
  prefixes: Readonly<Record<string, string>>,
  asValue: boolean,
): string {
  const colon = text.indexOf(':');
  if (colon < 0) return text;
  const namespace = prefixes[text.slice(0, colon)];
  if (namespace === undefined) return text;
  return asValue ? namespace + text.slice(colon + 1) : `{${namespace}}${text.slice(colon + 1)}`;
}

/** How the event's text is read: its document's prefixes, and its bare vocabulary words (bareWords). */
export interface Reader {
  prefixes: Readonly<Record<string, string>>;
  words: ReadonlyMap<string, string | null>;
}

/** A text value as the event means it: its bare vocabulary word expanded, its CURIE written out. */
export const readText = (text: string, reader: Reader) =>
  withNamespace(expandWord(text, reader), reader.prefixes, true);

/** A string value with its bare vocabulary word expanded. */
export const expandWord = (text: string, reader: Reader) => reader.words.get(text) ?? text;
