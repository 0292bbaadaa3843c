import { hash } from 'node:crypto';
import { invalid } from '../errors.js';
import { flatPreHashString } from './event-hash-flat.js';
import { canonicalPropertyValue, canonicalValue, compareText, numberText } from './event-hash-values.js';
import {
  bareWordsOf,
  expandWord,
  expandedVocabulary,
  readText,
  withNamespace,
  type HashContext,
  type Reader,
} from './event-hash-words.js';

export type { HashContext } from './event-hash-words.js';

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
  const record = asEvent(event);
  return flatPreHashString(record, context) ?? generalPreHashString(record, context);
}

/** The general algorithm alone, for any event (preHashString takes a flat event's shortcut; tests compare the two). */
export function generalPreHashString(event: unknown, context: HashContext): string {
  const record = asEvent(event);
  const reader: Reader = {
    prefixes: context.prefixes,
    words: bareWordsOf(expandedVocabulary(record, context.prefixes)),
  };
  const node = correctStructure(toNode(record, reader, new Set(context.ignore ?? [])));
  return `eventType=${node.name}${inOrder(node.children, PROPERTY_ORDER)}${rest(node.children)}`;
}

function asEvent(event: unknown): Record<string, unknown> {
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
  return record;
}

/** The CBV 2.0 Event Hash ID of one event. */
export const eventHashId = (event: unknown, context: HashContext): string =>
  `ni:///sha-256;${hash('sha256', preHashString(event, context), 'hex')}?ver=CBV2.0`;

// ---- JSON to the XML data model ----

const NOTHING_IGNORED: ReadonlySet<string> = new Set();

function keepsOrder(record: Record<string, unknown>): boolean {
  for (const key of KEEPS_ORDER) if (key in record) return true;
  return false;
}

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
  if (typeof value === 'string') return readText(value, reader);
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
  if (text !== '') text = `=${canonicalPropertyValue(node.name, text)}`;
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
