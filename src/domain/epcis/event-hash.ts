import { hash } from 'node:crypto';
import { invalid } from '../errors.js';
import { canonicalGs1Uri } from './gs1-keys.js';

/**
 * The CBV 2.0 Event Hash ID (CBV 2.0 §8.9): `ni:///sha-256;<hex>?ver=CBV2.0`, the SHA-256 of an event's pre-hash
 * string, so that an event sent without `eventID` still has a stable identity (capture is idempotent by it).
 *
 * The pre-hash string is `eventType=<type>`, then the standard's properties in the canonical order (PROPERTY_ORDER)
 * as `name=value`, lists' entries sorted, nested properties after their parent's name, each property's own user
 * extensions after its standard children; then everything else (the top-level user extensions, ilmd, the
 * bizTransaction/source/destination lists) sorted as strings. recordTime, eventID, errorDeclaration, comments and
 * the type itself are left out. Values are normalised first: timestamps to UTC with milliseconds, numbers without
 * superfluous zeros or signs, CBV URNs to their web vocabulary URIs, bare CBV words to their URIs, every GS1 key
 * (EPC URN or Digital Link on any host) to canonical GS1 Digital Link (gs1-keys.ts), CURIEs to full IRIs and
 * extension names to `{namespace}localName`.
 *
 * Where the standard's text is open, this follows the published reference implementation
 * (RalphTro/epcis-event-hash-generator) and is tested against its examples: the pre-hash strings are equal.
 * Where that implementation works on the whole document (bare words expanded from anywhere in the document), this
 * works on the one event, so an event's identity never depends on its neighbours.
 */

/** A property as the algorithm sees it: a name, a text value (may be empty) and children, in the XML data model. */
interface Node {
  name: string;
  value: string;
  children: Node[];
  /** A bizTransaction/source/destination entry: its type and its value, kept as a pair in the order written. */
  pair?: true;
}

type Order = ReadonlyArray<readonly [string, Order | undefined]>;

const QUANTITY: Order = [
  [
    'quantityElement',
    [
      ['epcClass', undefined],
      ['quantity', undefined],
      ['uom', undefined],
    ],
  ],
];
const SENSOR_METADATA: Order = [
  'time',
  'startTime',
  'endTime',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'bizRules',
].map((name) => [name, undefined] as const);
const SENSOR_REPORT: Order = [
  'type',
  'exception',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'time',
  'microorganism',
  'chemicalSubstance',
  'value',
  'component',
  'stringValue',
  'booleanValue',
  'hexBinaryValue',
  'uriValue',
  'minValue',
  'maxValue',
  'meanValue',
  'sDev',
  'percRank',
  'percValue',
  'uom',
  'coordinateReferenceSystem',
].map((name) => [name, undefined] as const);
const EPCS: Order = [['epc', undefined]];

/**
 * The canonical property order. The three typed lists (bizTransactionList, sourceList, destinationList) have no
 * children the order names: the reference implementation writes them with the remaining properties, sorted as
 * strings (so after sensorElementList), and so do we.
 */
const PROPERTY_ORDER: Order = [
  ['eventTime', undefined],
  ['eventTimeZoneOffset', undefined],
  ['certificationInfo', undefined],
  ['parentID', undefined],
  ['epcList', EPCS],
  ['inputEPCList', EPCS],
  ['childEPCs', EPCS],
  ['quantityList', QUANTITY],
  ['childQuantityList', QUANTITY],
  ['inputQuantityList', QUANTITY],
  ['outputEPCList', EPCS],
  ['outputQuantityList', QUANTITY],
  ['action', undefined],
  ['transformationID', undefined],
  ['bizStep', undefined],
  ['disposition', undefined],
  [
    'persistentDisposition',
    [
      ['set', undefined],
      ['unset', undefined],
    ],
  ],
  ['readPoint', [['id', undefined]]],
  ['bizLocation', [['id', undefined]]],
  ['bizTransactionList', []],
  ['sourceList', []],
  ['destinationList', []],
  [
    'sensorElementList',
    [
      [
        'sensorElement',
        [
          ['sensorMetadata', SENSOR_METADATA],
          ['sensorReport', SENSOR_REPORT],
        ],
      ],
    ],
  ],
];

/** Properties that never enter the hash. */
const LEFT_OUT = new Set(['recordTime', 'eventID', 'type', 'errorDeclaration']);
/** Keys that are not data at all: comments (and an XML conversion's text member, which is the value). */
const NOT_DATA = new Set(['#text', 'rdfs:comment', 'comment']);
/** Objects whose members keep the order written (their type before their value, as the pair is read). */
const KEEPS_ORDER = ['bizTransaction', 'source', 'destination'];
const TYPED_LISTS = new Set(['sourceList', 'destinationList', 'bizTransactionList']);

/** Prefixes the EPCIS 2.0 JSON-LD context declares (a document's own @context adds to them for CURIEs). */
const EPCIS_PREFIXES: Record<string, string> = {
  epcis: 'https://ref.gs1.org/epcis/',
  cbv: 'https://ref.gs1.org/cbv/',
  cbvmda: 'urn:epcglobal:cbv:mda:',
  gs1: 'https://gs1.org/voc/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcterms: 'http://purl.org/dc/terms/',
};
const CBV = 'https://ref.gs1.org/cbv/';
const GS1_VOC = 'https://gs1.org/voc/';
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
const CBV_URNS: ReadonlyArray<[string, string]> = [
  ['urn:epcglobal:cbv:bizstep:', `${CBV}BizStep-`],
  ['urn:epcglobal:cbv:disp:', `${CBV}Disp-`],
  ['urn:epcglobal:cbv:btt:', `${CBV}BTT-`],
  ['urn:epcglobal:cbv:sdt:', `${CBV}SDT-`],
  ['urn:epcglobal:cbv:er:', `${CBV}ER-`],
];

/** What an event's hash needs from its document. */
export interface HashContext {
  /** Prefix → namespace IRI, from the document's @context (documentPrefixes). */
  prefixes: Readonly<Record<string, string>>;
  /** Top-level properties to leave out as written (a repository's own annotations), e.g. `ext:captureID`. */
  ignore?: readonly string[];
}

/** The prefixes a document's `@context` declares (objects in its @context list; a lone object is not read). */
export function documentPrefixes(context: unknown): Record<string, string> {
  const prefixes: Record<string, string> = {};
  if (!Array.isArray(context)) return prefixes;
  for (const entry of context) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
    for (const [prefix, iri] of Object.entries(entry as Record<string, unknown>)) {
      if (typeof iri === 'string') prefixes[prefix] = iri;
    }
  }
  return prefixes;
}

/** The pre-hash string of one EPCIS 2.0 event (JSON-LD object). Throws `invalid('epcis_event_hash')` for a non-event. */
export function preHashString(event: unknown, context: HashContext): string {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw invalid('epcis_event_hash', 'an EPCIS event is a JSON object', [
      { field: '/', message: 'is not an object' },
    ]);
  }
  const record = event as Record<string, unknown>;
  if (typeof record.type !== 'string' || record.type === '') {
    throw invalid('epcis_event_hash', 'an EPCIS event names its type', [
      { field: '/type', message: 'is required' },
    ]);
  }
  const reader: Reader = {
    prefixes: context.prefixes,
    words: bareWordsOf(expandedVocabulary(record, context.prefixes)),
  };
  const node = correctStructure(toNode(record, reader, new Set(context.ignore ?? [])));
  return `eventType=${node.name}${inOrder(node.children, PROPERTY_ORDER)}${rest(node.children)}`;
}

/** The CBV 2.0 Event Hash ID of one event. */
export const eventHashId = (event: unknown, context: HashContext): string =>
  `ni:///sha-256;${hash('sha256', preHashString(event, context), 'hex')}?ver=CBV2.0`;

// ---- bare CBV words (JSON-LD expansion of the EPCIS context's type-scoped vocabularies) ----

const PREFIX_NAME = /^[A-Za-z][\w.-]*$/;
const BARE_WORD = /^[A-Za-z0-9_]+$/;

/**
 * The CBV and GS1 vocabulary IRIs the event's JSON-LD expansion holds: its vocabulary-typed values expanded, and
 * every value already written as such an IRI.
 */
function expandedVocabulary(
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
    if (iri.startsWith(CBV) || iri.startsWith(GS1_VOC)) found.add(iri);
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
function bareWordsOf(expanded: readonly string[]): ReadonlyMap<string, string | null> {
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

/**
 * A pure function of a string, remembering its answers for the texts met again (vocabulary IRIs, a document's
 * eventTime); forgets them all when `size` are kept, so unique texts (EPCs) cost no more than a map entry.
 */
function memoised<T>(f: (text: string) => T, size = 4096): (text: string) => T {
  const known = new Map<string, T>();
  return function remembered(text) {
    let answer = known.get(text);
    if (answer === undefined) {
      if (known.size >= size) known.clear();
      answer = f(text);
      known.set(text, answer);
    }
    return answer;
  };
}

// ---- JSON to the XML data model ----

/** `prefix:rest` with a declared prefix: a key becomes `{namespace}rest`, a value `namespacerest`. */
function withNamespace(text: string, prefixes: Readonly<Record<string, string>>, asValue: boolean): string {
  const colon = text.indexOf(':');
  if (colon < 0) return text;
  const namespace = prefixes[text.slice(0, colon)];
  if (namespace === undefined) return text;
  return asValue ? namespace + text.slice(colon + 1) : `{${namespace}}${text.slice(colon + 1)}`;
}

/** How the event's text is read: its document's prefixes, and its bare vocabulary words (bareWords). */
interface Reader {
  prefixes: Readonly<Record<string, string>>;
  words: ReadonlyMap<string, string | null>;
}

const NOTHING_IGNORED: ReadonlySet<string> = new Set();

function keepsOrder(record: Record<string, unknown>): boolean {
  for (const key of KEEPS_ORDER) if (key in record) return true;
  return false;
}

/** A string value with its bare vocabulary word expanded. */
const expandWord = (text: string, reader: Reader) => reader.words.get(text) ?? text;

function toNode(value: unknown, reader: Reader, ignore: ReadonlySet<string>): Node {
  if (Array.isArray(value)) {
    const children = value.map((item) => toNode(item, reader, NOTHING_IGNORED));
    const keepsOrder = value.some(
      (item) => typeof item === 'string' && KEEPS_ORDER.includes(expandWord(item, reader)),
    );
    if (!keepsOrder) children.sort(compareNodes);
    return { name: '', value: '', children };
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const node: Node = {
      name: typeof record.type === 'string' ? expandWord(record.type, reader) : '',
      value: typeof record['#text'] === 'string' ? expandWord(record['#text'], reader) : '',
      children: [],
    };
    for (const rawKey in record) {
      const member = record[rawKey];
      if (NOT_DATA.has(rawKey) || ignore.has(rawKey) || rawKey.startsWith('@xmlns')) continue;
      // toNode's nodes are new: named here rather than copied
      const child = toNode(member, reader, NOTHING_IGNORED);
      const key = withNamespace(rawKey, reader.prefixes, false);
      if (Array.isArray(member)) {
        for (const item of child.children) {
          item.name = key;
          node.children.push(item);
        }
      } else {
        child.name = key;
        node.children.push(child);
      }
    }
    if (!keepsOrder(record)) node.children.sort(compareNodes);
    return node;
  }
  return { name: '', value: scalarText(value, reader), children: [] };
}

function scalarText(value: unknown, reader: Reader): string {
  if (typeof value === 'string') return withNamespace(expandWord(value, reader), reader.prefixes, true);
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False'; // as the reference writes JSON booleans
  return 'None';
}

/**
 * JSON and XML differ in shape: JSON's `epcList: [..]` is XML's `<epcList><epc>..</epc></epcList>`, JSON's
 * quantityList entries are XML's quantityElement, and so on. The hash is defined on the XML shape.
 */
function correctStructure(node: Node): Node {
  const children = node.children;
  if (children.length === 0) return { name: xmlName(node), value: node.value, children: [] }; // most nodes
  const lists = new Map<string, Node[]>();
  for (const element of children.filter((child) => !child.pair && child.name.endsWith('List'))) {
    const entries = lists.get(element.name) ?? [];
    entries.push({ ...element, name: element.name.slice(0, -4) });
    lists.set(element.name, entries);
    children.splice(children.indexOf(element), 1);
  }
  for (const [name, entries] of lists) {
    if (TYPED_LISTS.has(name)) {
      // the entry's first two members, as written: its type and its value
      const pairs = entries.map((entry): Node => ({
        name: '',
        value: '',
        children: entry.children.slice(0, 2),
        pair: true,
      }));
      children.push({ name, value: '', children: pairs });
    } else {
      children.push({ name, value: '', children: entries });
    }
  }
  const childEpcs = children.filter((child) => child.name === 'childEPCs');
  if (childEpcs.length > 0) {
    for (const epc of childEpcs) children.splice(children.indexOf(epc), 1);
    children.push({
      name: 'childEPCs',
      value: '',
      children: childEpcs.map((epc) => ({ name: 'epc', value: epc.value, children: [] })),
    });
  }
  const corrected = children.map((child) => (TYPED_LISTS.has(child.name) ? child : correctStructure(child)));
  return { name: xmlName(node), value: node.value, children: corrected };
}

function xmlName(node: Node): string {
  if (node.name === 'inputEPC' || node.name === 'outputEPC') return 'epc';
  if (['inputQuantity', 'outputQuantity', 'childQuantity'].includes(node.name)) return 'quantityElement';
  if (node.name === 'quantity' && node.children.length > 0) return 'quantityElement';
  return node.name;
}

// ---- the pre-hash string ----

/** The named properties in order, consuming what they write; a property's own extensions after it. */
function inOrder(children: Node[], order: Order): string {
  let text = '';
  const extensions = userExtensions(children);
  const present = new Set<string>();
  for (const child of children) present.add(child.name);
  for (const [name, childOrder] of order) {
    if (!present.has(name)) continue;
    const texts: string[] = [];
    // the children of that name, each written, and taken out when it has no children of its own
    for (let i = 0; i < children.length;) {
      const child = children[i]!;
      if (child.name !== name) {
        i++;
        continue;
      }
      const written = propertyText(child, childOrder);
      if (written !== '') texts.push(written);
      if (child.children.length === 0) children.splice(i, 1);
      else i++;
    }
    texts.sort(compareText);
    if (texts.length > 0) text += texts.join('');
  }
  if (extensions.length > 0) text += generic(extensions);
  return text;
}

function propertyText(node: Node, order: Order | undefined): string {
  const nested = order !== undefined && order.length > 0 ? inOrder(node.children, order) : '';
  let text = node.value.trim();
  if (text !== '') {
    const lower = node.name.toLowerCase();
    text = `=${lower.includes('time') && !lower.includes('offset') ? canonicalTimestamp(text) : canonicalValue(text)}`;
  }
  return text !== '' || nested !== '' ? node.name + text + nested : '';
}

/**
 * The user extensions among a nested property's children (`{namespace/}name`), taken out to be written after its
 * standard children. Not at the event's own level (those go with the rest, sorted).
 */
function userExtensions(children: Node[]): Node[] {
  if (children.length <= 1) return [];
  if (children.some((c) => !c.pair && (c.name.includes('eventTime') || c.name.includes('action')))) return [];
  const extensions = children.filter((c) => !c.pair && c.name.includes('{') && c.name.includes('/}'));
  for (const extension of extensions) children.splice(children.indexOf(extension), 1);
  return extensions;
}

/** What the order does not name, `name=value` with children after, sorted as strings (typed lists' entries aside). */
function generic(children: Node[]): string {
  const texts = children.map((child) => {
    if (child.pair) return generic(child.children);
    const value = child.value.trim();
    return child.name + (value === '' ? '' : `=${canonicalValue(value)}`) + generic(child.children);
  });
  if (children.length > 1 && !children.some((c) => !c.pair && KEEPS_ORDER.includes(c.name)))
    texts.sort(compareText);
  return texts.join('');
}

const rest = (children: Node[]) => generic(children.filter((child) => !LEFT_OUT.has(child.name)));

// ---- values ----

function canonicalValue(text: string): string {
  let value = text;
  if (value.includes('urn:epcglobal:cbv:'))
    for (const [urn, iri] of CBV_URNS) value = value.replaceAll(urn, iri);
  value = canonicalNumber(value) ?? value;
  const mayBeKey = value.includes('.') && (value.startsWith('urn:epc:') || value.startsWith('http'));
  return (mayBeKey ? canonicalKey(value) : undefined) ?? value;
}

/** A GS1 key's canonical form: worth remembering (a document names the same places and classes again and again). */
const canonicalKey = memoised((text: string) => canonicalGs1Uri(text) ?? null);

const DECIMAL = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;

/** A decimal number's shortest form (`+012.50` → `12.5`, `1.0` → `1`), or undefined for text that is none. */
function canonicalNumber(text: string): string | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text.replaceAll('_', ''));
  return Number.isFinite(value) ? numberText(value) : undefined;
}

/** A number as the reference writes it: integers in full, others in their shortest form (`1e-05` below 1e-4). */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return BigInt(value).toString();
  if (Math.abs(value) >= 1e-4) return String(value);
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A timestamp in UTC at millisecond precision (`2020-03-04T11:00:30+01:00` → `2020-03-04T10:00:30.000Z`); finer
 * fractions round half to even on the microsecond, as the reference does. A timestamp without offset is read as UTC
 * (EPCIS requires one). Text that is no timestamp stays as it is.
 */
const canonicalTimestamp = memoised((text: string): string => {
  const m = TIMESTAMP.exec(text);
  if (!m) return text;
  const micros = Number((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  let millis = Math.floor(micros / 1000);
  const below = micros % 1000;
  if (below > 500 || (below === 500 && millis % 2 === 1)) millis += 1;
  let offsetMinutes = 0;
  const zone = m[8]?.toUpperCase();
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes =
      (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0')) * (zone[0] === '-' ? -1 : 1);
  }
  const date = new Date(0);
  date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  date.setUTCHours(Number(m[4]), Number(m[5]) - offsetMinutes, Number(m[6] ?? '0'), millis);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
});

// ---- ordering: by Unicode code point, as the reference's string comparison does (not UTF-16 code units) ----

const codePointKey = (unit: number) =>
  unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit;

function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointKey(x) - codePointKey(y);
  }
  return a.length - b.length;
}

function compareNodes(a: Node, b: Node): number {
  const byName = compareText(a.name, b.name);
  if (byName !== 0) return byName;
  const byValue = compareText(a.value, b.value);
  if (byValue !== 0) return byValue;
  const n = Math.min(a.children.length, b.children.length);
  for (let i = 0; i < n; i++) {
    const byChild = compareNodes(a.children[i]!, b.children[i]!);
    if (byChild !== 0) return byChild;
  }
  return a.children.length - b.children.length;
}
