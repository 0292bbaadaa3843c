/**
 * The registry's own schema of an EPCIS 2.0 EPCISDocument and its five event types, written from the standard's data
 * model (EPCIS 2.0 §7 and its JSON/JSON-LD binding, CBV 2.0). GS1's published JSON Schema is not copied here (it is
 * under GS1's IP policy); the tests hold this one against it, file by file, and name where they differ and why.
 *
 * Where this schema is deliberately wider than GS1's copy:
 * - `persistentDisposition` is allowed on every event type that has a `disposition` (EPCIS 2.0 gives it to all of
 *   them; GS1's copy only to some);
 * - a sensor report's `type` may be any bare GS1 Web Vocabulary measurement type name (that vocabulary grows on its
 *   own: `EffectiveDoseRate`, `Molar_concentration`), not only those GS1's copy lists.
 * Rules that join several fields (an ObjectEvent names its objects; an AggregationEvent that adds or deletes names
 * its parent) are in `eventRuleIssues`, so that each fault has one precise JSON pointer.
 */
import { Type, type TSchema } from 'typebox';
import type { FieldIssue } from '../errors.js';
import {
  BIZ_STEPS,
  BIZ_TRANSACTION_TYPES,
  DISPOSITIONS,
  ERROR_REASONS,
  SENSOR_ALERT_TYPES,
  SENSOR_COMPONENTS,
  SOURCE_DESTINATION_TYPES,
} from './cbv.js';

/** A URI as EPCIS uses them: a scheme, a colon and no spaces (`urn:epc:id:sgtin:…`, `https://id.gs1.org/01/…`, a CURIE). */
const URI_PATTERN = '^[A-Za-z][A-Za-z0-9+.-]*:\\S+$';
const uriOr = (terms: readonly string[]) => `^(?:${terms.join('|')})$|${URI_PATTERN}`;
const MEASUREMENT_TYPE_PATTERN = `^[A-Z][A-Za-z0-9_]*$|${URI_PATTERN}`;
const OFFSET_PATTERN = '^[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00)$';
const UOM_PATTERN = '^[A-Z0-9]{2,3}$';
const HEX_PATTERN = '^(?:[0-9A-Fa-f]{2})*$';

/** What each pattern asks for, in words, for the JSON-pointer errors (a person reads these, not the expression). */
export const EPCIS_PATTERN_MEANINGS: Readonly<Record<string, string>> = {
  [URI_PATTERN]: 'must be a URI (a scheme such as urn: or https:, then no spaces)',
  [uriOr(BIZ_STEPS)]: 'must be a CBV 2.0 bizStep (e.g. shipping) or a URI of your own',
  [uriOr(DISPOSITIONS)]: 'must be a CBV 2.0 disposition (e.g. in_transit) or a URI of your own',
  [uriOr(BIZ_TRANSACTION_TYPES)]:
    'must be a CBV 2.0 business transaction type (e.g. po) or a URI of your own',
  [uriOr(SOURCE_DESTINATION_TYPES)]:
    'must be a CBV 2.0 source/destination type (owning_party, possessing_party, location) or a URI of your own',
  [uriOr(ERROR_REASONS)]:
    'must be a CBV 2.0 error reason (did_not_occur, incorrect_data) or a URI of your own',
  [uriOr(SENSOR_ALERT_TYPES)]: 'must be ALARM_CONDITION, ERROR_CONDITION or a URI',
  [uriOr(SENSOR_COMPONENTS)]: 'must be a GS1 coordinate component (x, latitude, …) or a URI',
  [MEASUREMENT_TYPE_PATTERN]: 'must be a GS1 measurement type (e.g. Temperature) or a URI',
  [OFFSET_PATTERN]: 'must be a time zone offset from -14:00 to +14:00, such as +02:00',
  [UOM_PATTERN]: 'must be a UN/CEFACT unit code of 2 or 3 capitals or digits (e.g. KGM)',
  [HEX_PATTERN]: 'must be hexadecimal digits in pairs',
};

/** Extension fields: any key with a namespace prefix (`example:myField`, or a full URI), any value. */
const EXTENSIONS = { patternProperties: { ':': {} }, additionalProperties: false } as const;
const Closed = { additionalProperties: false } as const;

const Uri = Type.String({ pattern: URI_PATTERN });
const DateTime = Type.String({ format: 'date-time' });
const Vocab = (terms: readonly string[]) => Type.String({ pattern: uriOr(terms) });
const UriList = Type.Array(Uri);
const Context = Type.Union([
  Type.String(),
  Type.Array(Type.Union([Type.String(), Type.Object({}, { additionalProperties: true })])),
  Type.Object({}, { additionalProperties: true }),
]);

export const QuantityElement = Type.Object(
  {
    epcClass: Uri,
    quantity: Type.Optional(Type.Number({ minimum: 0 })),
    uom: Type.Optional(Type.String({ pattern: UOM_PATTERN })),
  },
  Closed,
);
const QuantityList = Type.Array(QuantityElement);

const Place = Type.Object({ id: Uri }, EXTENSIONS);

const BizTransaction = Type.Object(
  { type: Type.Optional(Vocab(BIZ_TRANSACTION_TYPES)), bizTransaction: Uri },
  EXTENSIONS,
);
const Source = Type.Object({ type: Vocab(SOURCE_DESTINATION_TYPES), source: Uri }, EXTENSIONS);
const Destination = Type.Object({ type: Vocab(SOURCE_DESTINATION_TYPES), destination: Uri }, EXTENSIONS);

const PersistentDisposition = Type.Object(
  {
    set: Type.Optional(Type.Array(Vocab(DISPOSITIONS))),
    unset: Type.Optional(Type.Array(Vocab(DISPOSITIONS))),
  },
  Closed,
);

export const ErrorDeclaration = Type.Object(
  {
    declarationTime: DateTime,
    reason: Type.Optional(Vocab(ERROR_REASONS)),
    correctiveEventIDs: Type.Optional(UriList),
  },
  EXTENSIONS,
);

const SensorMetadata = Type.Object(
  {
    time: Type.Optional(DateTime),
    startTime: Type.Optional(DateTime),
    endTime: Type.Optional(DateTime),
    deviceID: Type.Optional(Uri),
    deviceMetadata: Type.Optional(Uri),
    rawData: Type.Optional(Uri),
    dataProcessingMethod: Type.Optional(Uri),
    bizRules: Type.Optional(Uri),
  },
  EXTENSIONS,
);

const SensorReport = Type.Object(
  {
    type: Type.Optional(Type.String({ pattern: MEASUREMENT_TYPE_PATTERN })),
    exception: Type.Optional(Vocab(SENSOR_ALERT_TYPES)),
    deviceID: Type.Optional(Uri),
    deviceMetadata: Type.Optional(Uri),
    rawData: Type.Optional(Uri),
    dataProcessingMethod: Type.Optional(Uri),
    bizRules: Type.Optional(Uri),
    time: Type.Optional(DateTime),
    microorganism: Type.Optional(Uri),
    chemicalSubstance: Type.Optional(Uri),
    coordinateReferenceSystem: Type.Optional(Uri),
    component: Type.Optional(Vocab(SENSOR_COMPONENTS)),
    value: Type.Optional(Type.Number()),
    minValue: Type.Optional(Type.Number()),
    maxValue: Type.Optional(Type.Number()),
    meanValue: Type.Optional(Type.Number()),
    sDev: Type.Optional(Type.Number()),
    percRank: Type.Optional(Type.Number()),
    percValue: Type.Optional(Type.Number()),
    stringValue: Type.Optional(Type.String()),
    booleanValue: Type.Optional(Type.Boolean()),
    hexBinaryValue: Type.Optional(Type.String({ pattern: HEX_PATTERN })),
    uriValue: Type.Optional(Uri),
    uom: Type.Optional(Type.String({ pattern: UOM_PATTERN })),
  },
  EXTENSIONS,
);

const SensorElement = Type.Object(
  { sensorMetadata: Type.Optional(SensorMetadata), sensorReport: Type.Array(SensorReport, { minItems: 1 }) },
  EXTENSIONS,
);

/** Instance/lot master data: only namespaced fields (EPCIS 2.0 §7.3.6: ILMD is all extension). */
const Ilmd = Type.Object({}, EXTENSIONS);

export const ACTIONS = ['ADD', 'OBSERVE', 'DELETE'] as const;
const Action = Type.Unsafe<(typeof ACTIONS)[number]>({ type: 'string', enum: [...ACTIONS] });

/** Every event type has these (EPCIS 2.0 §7.4.1, EPCISEvent). */
const common = (type: string) => ({
  '@context': Type.Optional(Context),
  type: Type.Literal(type),
  eventTime: DateTime,
  eventTimeZoneOffset: Type.String({ pattern: OFFSET_PATTERN }),
  recordTime: Type.Optional(DateTime),
  eventID: Type.Optional(Uri),
  errorDeclaration: Type.Optional(ErrorDeclaration),
  certificationInfo: Type.Optional(Type.Union([Uri, UriList])),
});

/** The where, why and sensor dimensions most events share. */
const context = {
  bizStep: Type.Optional(Vocab(BIZ_STEPS)),
  disposition: Type.Optional(Vocab(DISPOSITIONS)),
  persistentDisposition: Type.Optional(PersistentDisposition),
  readPoint: Type.Optional(Place),
  bizLocation: Type.Optional(Place),
  bizTransactionList: Type.Optional(Type.Array(BizTransaction)),
  sourceList: Type.Optional(Type.Array(Source)),
  destinationList: Type.Optional(Type.Array(Destination)),
  sensorElementList: Type.Optional(Type.Array(SensorElement)),
};

export const ObjectEvent = Type.Object(
  {
    ...common('ObjectEvent'),
    action: Action,
    epcList: Type.Optional(UriList),
    quantityList: Type.Optional(QuantityList),
    ...context,
    ilmd: Type.Optional(Ilmd),
  },
  { ...EXTENSIONS, $id: 'EpcisObjectEvent' },
);

/** AggregationEvent and AssociationEvent: a parent and its children. */
const parentAndChildren = {
  parentID: Type.Optional(Uri),
  childEPCs: Type.Optional(UriList),
  childQuantityList: Type.Optional(QuantityList),
};

export const AggregationEvent = Type.Object(
  { ...common('AggregationEvent'), action: Action, ...parentAndChildren, ...context },
  { ...EXTENSIONS, $id: 'EpcisAggregationEvent' },
);

export const AssociationEvent = Type.Object(
  { ...common('AssociationEvent'), action: Action, ...parentAndChildren, parentID: Uri, ...context },
  { ...EXTENSIONS, $id: 'EpcisAssociationEvent' },
);

export const TransactionEvent = Type.Object(
  {
    ...common('TransactionEvent'),
    action: Action,
    parentID: Type.Optional(Uri),
    epcList: Type.Optional(UriList),
    quantityList: Type.Optional(QuantityList),
    ...context,
    bizTransactionList: Type.Array(BizTransaction, { minItems: 1 }),
  },
  { ...EXTENSIONS, $id: 'EpcisTransactionEvent' },
);

export const TransformationEvent = Type.Object(
  {
    ...common('TransformationEvent'),
    inputEPCList: Type.Optional(UriList),
    inputQuantityList: Type.Optional(QuantityList),
    outputEPCList: Type.Optional(UriList),
    outputQuantityList: Type.Optional(QuantityList),
    transformationID: Type.Optional(Uri),
    ...context,
    ilmd: Type.Optional(Ilmd),
  },
  { ...EXTENSIONS, $id: 'EpcisTransformationEvent' },
);

export const EVENT_SCHEMAS = {
  ObjectEvent,
  AggregationEvent,
  AssociationEvent,
  TransactionEvent,
  TransformationEvent,
} as const satisfies Record<string, TSchema>;

export type EpcisEventType = keyof typeof EVENT_SCHEMAS;
export const EPCIS_EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as EpcisEventType[];

/** An event of the document before its own schema has been applied: only its type is known to be a string. */
export const AnyEvent = Type.Object(
  { type: Type.Unsafe<EpcisEventType>({ type: 'string', enum: EPCIS_EVENT_TYPES }) },
  { additionalProperties: true },
);

/**
 * The document around the events (EPCIS 2.0 JSON binding): its JSON-LD context, the optional header with master
 * data, and the body's eventList. `sender`, `receiver` and `instanceIdentifier` are the binding's light stand-in for
 * a Standard Business Document Header; `id` is JSON-LD's @id. Each event is then checked against its own type's
 * schema, so that its faults are named under its own index.
 */
export const EpcisDocumentEnvelope = Type.Object(
  {
    '@context': Context,
    type: Type.Literal('EPCISDocument'),
    schemaVersion: Type.String({ minLength: 1 }),
    creationDate: DateTime,
    id: Type.Optional(Uri),
    sender: Type.Optional(Type.String()),
    receiver: Type.Optional(Type.String()),
    instanceIdentifier: Type.Optional(Type.String()),
    epcisHeader: Type.Optional(Type.Object({}, { additionalProperties: true })),
    epcisBody: Type.Object({ eventList: Type.Array(AnyEvent) }, EXTENSIONS),
  },
  { ...EXTENSIONS, $id: 'EPCISDocumentEnvelope' },
);

/**
 * The whole document as one schema, for the API description (the route checks envelope and events in turn). Its
 * events refer to each type's own component by $id (the HTTP edge registers EPCIS_SCHEMAS), so that a generated
 * client gets one type per event type.
 */
export const EpcisDocument = Type.Object(
  {
    ...EpcisDocumentEnvelope.properties,
    epcisBody: Type.Object(
      {
        eventList: Type.Array(Type.Union(EPCIS_EVENT_TYPES.map((type) => Type.Ref(`Epcis${type}`)))),
      },
      EXTENSIONS,
    ),
  },
  { ...EXTENSIONS, $id: 'EPCISDocument' },
);

/** The schemas the API description names: the five event types and the document made of them. */
export const EPCIS_SCHEMAS = [...Object.values(EVENT_SCHEMAS), EpcisDocument];

/**
 * The standard's rules that join fields, for an event its type's schema accepted; pointers under `at`
 * (`/epcisBody/eventList/3`).
 */
export function eventRuleIssues(event: Record<string, unknown>, at: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const has = (key: string) => event[key] !== undefined;
  if (
    event.type === 'ObjectEvent' &&
    !['epcList', 'quantityList', 'sensorElementList', 'readPoint'].some(has)
  ) {
    issues.push({
      field: `${at}/epcList`,
      message:
        'an ObjectEvent names what it is about: epcList or quantityList (or, for a reading of no object, ' +
        'sensorElementList or readPoint)',
    });
  }
  if (event.type === 'AggregationEvent' && event.action !== 'OBSERVE' && !has('parentID')) {
    issues.push({ field: `${at}/parentID`, message: `is required when action is ${String(event.action)}` });
  }
  if (event.type === 'TransformationEvent') {
    const inputs = ['inputEPCList', 'inputQuantityList'].some(has);
    const outputs = ['outputEPCList', 'outputQuantityList'].some(has);
    if (!inputs && !outputs && !has('transformationID')) {
      issues.push({
        field: `${at}/inputEPCList`,
        message: 'a TransformationEvent names its inputs, its outputs or a transformationID',
      });
    }
  }
  return issues;
}
