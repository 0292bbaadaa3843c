/**
 * Who may see what: THE access policy, in one table. Every field of every record the registry returns is given a
 * data class here; every relation a caller can have to a robot is given the classes it may see. Anything not in
 * these tables is seen by nobody but a regulator (deny by default): a new field must be classified to be shown.
 * docs/access.md explains the choices; test/domain/access-matrix.test.ts checks every role × field × own/other.
 */
import type { EventType } from '../lifecycle/events.js';

/**
 * - public: what a QR scan shows (identity, maker, model, production month, state, certification status, stop-use);
 * - technical: components, firmware, service history, dismantling data, certificate details (legitimate interest);
 * - custody: the chain of custody (who held, sold, bought, shipped, exported; lost, stolen, decommissioned);
 * - supply: the bill of materials' commercial side (suppliers, lots, plant, issuance): the manufacturer's secret;
 * - usage: where and how the robot is used (site, region, incident details): the operator's data;
 * - personal: a person's name and contact details; never in a record view (separate encrypted store).
 */
export const DATA_CLASSES = ['public', 'technical', 'custody', 'supply', 'usage', 'personal'] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

/** What a caller is to one robot, most privileged first (the first that holds is the caller's relation). */
export const RELATIONS = [
  'regulator',
  'manufacturer',
  'operator',
  'custodian',
  'authorised',
  'public',
] as const;
export type Relation = (typeof RELATIONS)[number];

/**
 * The policy table: the classes each relation sees. `operator` sees `usage` only from its own tenure on (the event
 * that made it the operator); earlier owners' usage is theirs. `personal` is in no row: personal data is read only
 * through the personal-data store, by a regulator with a purpose, or by the person.
 */
export const POLICY: Record<Relation, readonly DataClass[]> = {
  regulator: ['public', 'technical', 'custody', 'supply', 'usage'],
  manufacturer: ['public', 'technical', 'custody', 'supply', 'usage'],
  operator: ['public', 'technical', 'custody', 'supply', 'usage'],
  custodian: ['public', 'technical', 'custody'],
  authorised: ['public', 'technical'],
  public: ['public'],
};

/** A field's class, or for a nested object its fields' classes; `[fields]` for an array of such objects. */
export type FieldTable = { readonly [field: string]: DataClass | FieldTable | readonly [FieldTable] };

const COMPONENT: FieldTable = {
  kind: 'technical',
  position: 'technical',
  partNumber: 'technical',
  serial: 'technical',
  manufacturer: 'supply',
  lot: 'supply',
};
const SOFTWARE: FieldTable = { target: 'technical', version: 'technical' };

/** The robot record (GET /v1/robots/{id}, /r/{id}, exports). */
export const ROBOT_FIELDS: FieldTable = {
  id: 'public',
  printed: 'public',
  display: 'public',
  url: 'public',
  jurisdiction: 'public',
  serial: 'public',
  state: 'public',
  issuedAt: 'public',
  productionMonth: 'public',
  manufacturer: { id: 'public', name: 'public', country: 'public', enterpriseCode: 'public' },
  model: { code: 'public', name: 'public', category: 'public', capabilityLevel: 'public' },
  certification: {
    status: 'public',
    standard: 'public',
    validUntil: 'public',
    certificateNumber: 'technical',
    certifierId: 'technical',
  },
  stopUse: 'public',
  // Every part of a robot's recall entries is public (campaign text and the robot's remedy state).
  recalls: 'public',
  productionDate: 'technical',
  components: [COMPONENT],
  software: [SOFTWARE],
  eventCount: 'technical',
  lastEventTime: 'technical',
  issuanceId: 'supply',
  custodianId: 'custody',
  operatorId: 'custody',
  inTransitTo: 'custody',
  site: { siteType: 'usage', region: 'usage' },
  // The manufacturer's own serialisation (its GS1 company prefix and numbering), like the issuance.
  gs1Key: 'supply',
};

/** A component named in an incident report: as a fitted one (the lot is the manufacturer's supply data). */
const INCIDENT_COMPONENT: FieldTable = {
  kind: 'technical',
  partNumber: 'technical',
  serial: 'technical',
  lot: 'supply',
};
/** A file about an incident, by hash: what was filed (its name too) is the operator's, like the description. */
const ATTACHMENT: FieldTable = { sha256: 'usage', mediaType: 'usage', name: 'usage', size: 'usage' };

const TRANSFER: FieldTable = { toOrgId: 'custody' };
const CUSTODY_NOTE: FieldTable = { note: 'custody' };
const CROSS_BORDER: FieldTable = { country: 'custody', counterparty: 'custody' };

/**
 * Each event type's class (who sees that the event exists: its type, times and reporter) and its payload's fields.
 * A correction takes the class of the event it corrects.
 */
export const EVENT_POLICY: Record<
  Exclude<EventType, 'corrected'>,
  { event: DataClass; payload: FieldTable }
> = {
  manufactured: {
    event: 'technical',
    payload: { productionDate: 'technical', plant: 'supply', components: [COMPONENT], software: [SOFTWARE] },
  },
  certified: {
    event: 'technical',
    payload: {
      standard: 'technical',
      certificateNumber: 'technical',
      result: 'technical',
      validUntil: 'technical',
    },
  },
  shipped: { event: 'custody', payload: TRANSFER },
  received: { event: 'custody', payload: CUSTODY_NOTE },
  sold: { event: 'custody', payload: TRANSFER },
  ownership_transferred: { event: 'custody', payload: TRANSFER },
  activated: { event: 'usage', payload: { siteType: 'usage', region: 'usage' } },
  serviced: {
    event: 'technical',
    payload: {
      kind: 'technical',
      description: 'technical',
      replaced: [{ old: COMPONENT, new: COMPONENT }],
      software: [SOFTWARE],
      recall: 'technical',
    },
  },
  incident_reported: {
    event: 'technical',
    payload: {
      category: 'technical',
      severity: 'technical',
      source: 'technical',
      components: [INCIDENT_COMPONENT],
      description: 'usage',
      injuries: 'usage',
      region: 'usage',
      attachments: [ATTACHMENT],
    },
  },
  suspended: { event: 'public', payload: { orderNumber: 'public', reason: 'public' } },
  reinstated: { event: 'public', payload: { orderNumber: 'public', note: 'public' } },
  decommissioned: { event: 'custody', payload: CUSTODY_NOTE },
  recycled: {
    event: 'technical',
    payload: {
      components: [{ partNumber: 'technical', serial: 'technical', lot: 'supply', outcome: 'technical' }],
      materialsKg: 'technical',
    },
  },
  exported: { event: 'custody', payload: CROSS_BORDER },
  imported: { event: 'custody', payload: CROSS_BORDER },
  reported_lost: { event: 'custody', payload: CUSTODY_NOTE },
  reported_stolen: { event: 'custody', payload: CUSTODY_NOTE },
  recovered: { event: 'custody', payload: CUSTODY_NOTE },
};

/** A correction's own fields; the event-level class is the corrected event's. */
export const CORRECTION_PAYLOAD: FieldTable = {
  correctsEventId: 'public',
  reason: 'public',
  explanation: 'public',
};

/** The fields of a history entry around the payload; they take the event's class. */
export const EVENT_ENVELOPE = [
  'seq',
  'eventId',
  'type',
  'eventTime',
  'recordTime',
  'reportedBy',
  'late',
  'correctedBy',
] as const;

/**
 * An incident (GET /v1/incidents…): whoever may see an incident at all sees its technical side (what, how bad,
 * which parts and firmware, triage); where and how it happened (region, injuries, description, attachments) is
 * usage data, the operator's, as in the event it comes from.
 */
export const INCIDENT_FIELDS: FieldTable = {
  id: 'technical',
  robotId: 'technical',
  eventId: 'technical',
  model: 'technical',
  manufacturerId: 'technical',
  category: 'technical',
  severity: 'technical',
  source: 'technical',
  eventTime: 'technical',
  month: 'technical',
  recordTime: 'technical',
  reportedBy: 'technical',
  state: 'technical',
  rootCause: 'technical',
  withdrawn: 'technical',
  injuries: 'usage',
  region: 'usage',
  description: 'usage',
  attachments: [ATTACHMENT],
  components: [INCIDENT_COMPONENT],
  fitted: [INCIDENT_COMPONENT],
  software: [SOFTWARE],
  triage: [
    {
      at: 'technical',
      orgId: 'technical',
      from: 'technical',
      to: 'technical',
      note: 'technical',
      rootCause: 'technical',
    },
  ],
};

/** Robot search: the class each filter reveals (a filter is allowed only where its class is visible). */
export const SEARCH_FILTERS = {
  enterpriseCode: 'public',
  modelCode: 'public',
  state: 'public',
  certification: 'public',
  producedFrom: 'technical',
  producedTo: 'technical',
  componentPartNumber: 'technical',
  componentSerial: 'technical',
  includeRemoved: 'technical',
  softwareTarget: 'technical',
  softwareVersion: 'technical',
  componentLot: 'supply',
  region: 'usage',
} as const satisfies Record<string, DataClass>;

/** One line of a search's answer. */
export const SUMMARY_FIELDS: FieldTable = {
  id: 'public',
  state: 'public',
  certifiedUntil: 'public',
  productionDate: 'technical',
  region: 'usage',
};
