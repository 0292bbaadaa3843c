/**
 * How each lifecycle event is written in GS1 EPCIS 2.0 with the Core Business Vocabulary (CBV 2.0), and how an
 * EPCIS event is read back as one: the table, as data, beside the transitions table (lifecycle/rules.ts) in spirit.
 * export.ts writes by OUTBOUND; capture reads by INBOUND. CBV values are the bare names EPCIS 2.0 JSON-LD writes
 * ("shipping" = https://ref.gs1.org/cbv/BizStep-shipping); where the CBV has no fitting term the registry writes its
 * own URN (`urn:robotid:…`), as EPCIS allows. Payload fields with no EPCIS field of their own go in the registry's
 * extension namespace: `robotid:<field>` with the prefix bound in `@context` (ROBOTID_CONTEXT).
 */
import type { EventType } from '../lifecycle/events.js';
import { normaliseCbv } from './cbv.js';

export type EpcisEventType =
  'ObjectEvent' | 'AggregationEvent' | 'AssociationEvent' | 'TransformationEvent' | 'TransactionEvent';
export type EpcisAction = 'ADD' | 'OBSERVE' | 'DELETE';
export type PartyType = 'owning_party' | 'possessing_party';

/** The registry's extension namespace: a URN, so that it does not change with the registry's address. */
export const ROBOTID_NS = 'urn:robotid:epcis:';
export const ROBOTID_PREFIX = 'robotid';
/** `robotid:<name>`: an extension field, or a value in the registry's vocabulary. */
export const ext = (name: string) => `${ROBOTID_PREFIX}:${name}`;
/** Extension fields whose values are structured (lists of parts, software, files; materials by weight). */
const JSON_VALUED = ['components', 'software', 'attachments', 'materialsKg'];
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
/**
 * The `@context` every exported document and event carries: GS1's EPCIS 2.0 context, the registry's prefix, and
 * its structured fields as JSON literals (`@json`), so that a JSON-LD processor keeps them whole.
 */
export const ROBOTID_CONTEXT: readonly [string, Record<string, unknown>] = [
  EPCIS_CONTEXT_URL,
  {
    [ROBOTID_PREFIX]: ROBOTID_NS,
    ...Object.fromEntries(JSON_VALUED.map((f) => [ext(f), { '@type': '@json' }])),
  },
];

/** The registry's own business steps and reasons, where the CBV has none. */
export const ROBOTID_BIZ_STEPS = {
  certifying: 'urn:robotid:bizstep:certifying',
  maintaining: 'urn:robotid:bizstep:maintaining',
  updatingSoftware: 'urn:robotid:bizstep:updating_software',
  incidentReporting: 'urn:robotid:bizstep:incident_reporting',
  transferringOwnership: 'urn:robotid:bizstep:transferring_ownership',
  reinstating: 'urn:robotid:bizstep:reinstating',
  recycling: 'urn:robotid:bizstep:recycling',
  reportingLoss: 'urn:robotid:bizstep:reporting_loss',
  reportingTheft: 'urn:robotid:bizstep:reporting_theft',
  recovering: 'urn:robotid:bizstep:recovering',
} as const;
/** bizTransaction types of the registry's own documents. */
export const ROBOTID_BIZ_TRANSACTION_TYPES = {
  stopUseOrder: 'urn:robotid:btt:stop_use_order',
  recall: 'urn:robotid:btt:recall',
} as const;
/** Correction reasons: the CBV's two, and the registry's for the others. */
export const ERROR_REASONS: Readonly<Record<string, string>> = {
  incorrect_data: 'incorrect_data',
  did_not_occur: 'did_not_occur',
  wrong_robot: 'urn:robotid:error:wrong_robot',
  other: 'urn:robotid:error:other',
};

/**
 * Where one payload field goes (uris.ts makes the URIs):
 * - bizLocation / readPoint: `{ id: urn:robotid:region:<code> }`;
 * - sourceList / destinationList: the organisation (`urn:robotid:org:<id>`) once per party type, or a country
 *   (`urn:robotid:country:<CC>`, type location);
 * - bizTransactionList: `urn:robotid:order|recall:<number>` with the type given;
 * - certificationInfo: `urn:robotid:certificate:<number>`;
 * - disposition / bizStep: the value the field's value maps to (overrides the row's);
 * - ilmd: `ilmd["robotid:<field>"]` (instance master data, on the commissioning event only);
 * - extension: `"robotid:<field>"` on the event as it is (JSON);
 * - parts: in the AssociationEvents of the row's PartsRules, not on the robot's own event.
 */
export type Placement =
  | { to: 'bizLocation' | 'readPoint'; uri: 'region' }
  | { to: 'sourceList' | 'destinationList'; uri: 'org'; types: readonly PartyType[] }
  | { to: 'sourceList' | 'destinationList'; uri: 'country' }
  | { to: 'bizTransactionList'; uri: 'order' | 'recall'; type: string }
  | { to: 'certificationInfo'; uri: 'certificate' }
  | { to: 'disposition' | 'bizStep'; values: Readonly<Record<string, string>> }
  | { to: 'ilmd' | 'extension' | 'parts' };

/**
 * Parts fitted to or removed from the robot: one AssociationEvent per action (parentID the robot; a part with a
 * serial in childEPCs, else by lot or part number in childQuantityList), the parts as reported in
 * `robotid:components`, `robotid:partOf` the eventID of the robot's own event. `path`: where the parts are in the
 * payload (`replaced[].old`: the `old` of each item of `replaced`).
 */
export interface PartsRule {
  path: 'components' | 'replaced[].old' | 'replaced[].new';
  action: 'ADD' | 'DELETE';
  bizStep: string;
}

export interface OutboundForm {
  /** The robot's own event; null: not an event of its own (a correction is an errorDeclaration). */
  eventType: 'ObjectEvent' | null;
  action: EpcisAction | null;
  bizStep: string | null;
  /** The robot's disposition after the event; null: the event does not change it. */
  disposition: string | null;
  /** exact: the CBV term means this; close: the nearest CBV term; none: no CBV term, a registry URN or nothing. */
  fit: 'exact' | 'close' | 'none';
  /** The reporting organisation as a party, where the event moves the robot between parties. */
  reporter: { to: 'sourceList' | 'destinationList'; types: readonly PartyType[] } | null;
  /** Every payload field and where it goes. */
  fields: Readonly<Record<string, Placement>>;
  parts: readonly PartsRule[];
  note?: string;
}

const BOTH: readonly PartyType[] = ['owning_party', 'possessing_party'];
const POSSESSION: readonly PartyType[] = ['possessing_party'];
const NOTE = { note: { to: 'extension' } } as const;

export const OUTBOUND: Readonly<Record<EventType, OutboundForm>> = {
  manufactured: {
    eventType: 'ObjectEvent',
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    fit: 'exact',
    reporter: null,
    fields: {
      productionDate: { to: 'ilmd' },
      plant: { to: 'ilmd' },
      software: { to: 'ilmd' },
      components: { to: 'parts' },
    },
    parts: [{ path: 'components', action: 'ADD', bizStep: 'assembling' }],
    note: 'the components are fitted by an AssociationEvent (ADD, assembling) with the robot as parent',
  },
  certified: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'inspecting',
    disposition: 'conformant',
    fit: 'exact',
    reporter: null,
    fields: {
      certificateNumber: { to: 'certificationInfo', uri: 'certificate' },
      result: { to: 'disposition', values: { pass: 'conformant', fail: 'non_conformant' } },
      standard: { to: 'extension' },
      validUntil: { to: 'extension' },
    },
    parts: [],
    note: 'inspecting with certificationInfo; without it, inspecting is a service of kind inspection',
  },
  shipped: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    fit: 'exact',
    reporter: { to: 'sourceList', types: POSSESSION },
    fields: { toOrgId: { to: 'destinationList', uri: 'org', types: POSSESSION } },
    parts: [],
  },
  received: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'in_progress',
    fit: 'exact',
    reporter: { to: 'destinationList', types: POSSESSION },
    fields: NOTE,
    parts: [],
  },
  sold: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'retail_selling',
    disposition: 'retail_sold',
    fit: 'close',
    reporter: { to: 'sourceList', types: BOTH },
    fields: { toOrgId: { to: 'destinationList', uri: 'org', types: BOTH } },
    parts: [],
    note: 'retail_selling is a sale to the end user; a sale to an operator is the same act',
  },
  activated: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'installing',
    disposition: 'active',
    fit: 'close',
    reporter: null,
    fields: { region: { to: 'bizLocation', uri: 'region' }, siteType: { to: 'extension' } },
    parts: [],
    note: 'CBV installing is putting an object into a composite one; there is no step for putting a product into service',
  },
  serviced: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'repairing',
    disposition: 'active',
    fit: 'close',
    reporter: null,
    fields: {
      kind: {
        to: 'bizStep',
        values: {
          repair: 'repairing',
          maintenance: ROBOTID_BIZ_STEPS.maintaining,
          inspection: 'inspecting',
          firmware_update: ROBOTID_BIZ_STEPS.updatingSoftware,
        },
      },
      recall: { to: 'bizTransactionList', uri: 'recall', type: ROBOTID_BIZ_TRANSACTION_TYPES.recall },
      description: { to: 'extension' },
      replaced: { to: 'parts' },
      software: { to: 'extension' },
    },
    parts: [
      { path: 'replaced[].old', action: 'DELETE', bizStep: 'replacing' },
      { path: 'replaced[].new', action: 'ADD', bizStep: 'replacing' },
    ],
  },
  incident_reported: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: ROBOTID_BIZ_STEPS.incidentReporting,
    disposition: null,
    fit: 'none',
    reporter: null,
    fields: {
      region: { to: 'readPoint', uri: 'region' },
      category: { to: 'extension' },
      severity: { to: 'extension' },
      description: { to: 'extension' },
      injuries: { to: 'extension' },
      components: { to: 'extension' },
      attachments: { to: 'extension' },
      source: { to: 'extension' },
    },
    parts: [],
    note: 'no CBV step for an incident',
  },
  ownership_transferred: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: ROBOTID_BIZ_STEPS.transferringOwnership,
    disposition: null,
    fit: 'none',
    reporter: { to: 'sourceList', types: BOTH },
    fields: { toOrgId: { to: 'destinationList', uri: 'org', types: BOTH } },
    parts: [],
    note: 'the change of owner is in sourceList / destinationList (owning_party)',
  },
  suspended: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'holding',
    disposition: 'recalled',
    fit: 'close',
    reporter: null,
    fields: {
      orderNumber: {
        to: 'bizTransactionList',
        uri: 'order',
        type: ROBOTID_BIZ_TRANSACTION_TYPES.stopUseOrder,
      },
      reason: { to: 'extension' },
    },
    parts: [],
    note: 'a stop-use order is a recall of one robot',
  },
  reinstated: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: ROBOTID_BIZ_STEPS.reinstating,
    disposition: 'active',
    fit: 'none',
    reporter: null,
    fields: {
      orderNumber: {
        to: 'bizTransactionList',
        uri: 'order',
        type: ROBOTID_BIZ_TRANSACTION_TYPES.stopUseOrder,
      },
      ...NOTE,
    },
    parts: [],
  },
  decommissioned: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'decommissioning',
    disposition: 'inactive',
    fit: 'exact',
    reporter: null,
    fields: NOTE,
    parts: [],
    note: 'OBSERVE, not DELETE: the robot still has events (shipment to the recycler, recycling) after it',
  },
  recycled: {
    eventType: 'ObjectEvent',
    action: 'DELETE',
    bizStep: 'disassembling',
    disposition: 'destroyed',
    fit: 'close',
    reporter: null,
    fields: { components: { to: 'parts' }, materialsKg: { to: 'extension' } },
    parts: [{ path: 'components', action: 'DELETE', bizStep: 'disassembling' }],
    note: 'CBV has no "recycling"; the outcome of each part (reused, recycled, disposed) is in robotid:components',
  },
  exported: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    fit: 'close',
    reporter: { to: 'sourceList', types: POSSESSION },
    fields: { country: { to: 'destinationList', uri: 'country' }, counterparty: { to: 'extension' } },
    parts: [],
    note: 'CBV has no export step: a shipment whose destination is a country (type location)',
  },
  imported: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'in_progress',
    fit: 'close',
    reporter: { to: 'destinationList', types: POSSESSION },
    fields: { country: { to: 'sourceList', uri: 'country' }, counterparty: { to: 'extension' } },
    parts: [],
    note: 'CBV has no import step: a receipt whose source is a country (type location)',
  },
  reported_lost: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: ROBOTID_BIZ_STEPS.reportingLoss,
    disposition: 'unknown',
    fit: 'none',
    reporter: null,
    fields: NOTE,
    parts: [],
    note: 'CBV has no loss step; disposition unknown is the nearest',
  },
  reported_stolen: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: ROBOTID_BIZ_STEPS.reportingTheft,
    disposition: 'stolen',
    fit: 'close',
    reporter: null,
    fields: NOTE,
    parts: [],
    note: 'the disposition matches; CBV has no step for reporting a theft',
  },
  recovered: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: ROBOTID_BIZ_STEPS.recovering,
    disposition: 'active',
    fit: 'none',
    reporter: null,
    fields: NOTE,
    parts: [],
  },
  corrected: {
    eventType: null,
    action: null,
    bizStep: null,
    disposition: null,
    fit: 'close',
    reporter: null,
    fields: {
      correctsEventId: { to: 'extension' },
      reason: { to: 'extension' },
      explanation: { to: 'extension' },
    },
    parts: [],
    note:
      'the corrected event written again with an errorDeclaration: declarationTime the correction’s eventTime, reason ' +
      'by ERROR_REASONS, and robotid:correctionID (the correction’s own eventID) and robotid:explanation in it',
  },
};

/** What an inbound event must also carry for a rule to apply. */
export type Evidence =
  | 'errorDeclaration'
  | 'bizLocation'
  | 'certificationInfo'
  /** a `urn:robotid:country:` entry in destinationList (exported) or sourceList (imported) */
  | 'countryDestination'
  | 'countrySource'
  /** `robotid:partOf`: the parts of another event of the same document */
  | 'partOf';

/**
 * One way an EPCIS event means a lifecycle event. The FIRST rule that matches applies (eventType, action and
 * bizStep each among those listed; disposition too when listed; every `requires` present); none: the event has no
 * lifecycle meaning and is rejected on its own, naming its bizStep. `kind`: a service's kind.
 */
export interface InboundRule {
  eventTypes: readonly EpcisEventType[];
  actions: readonly EpcisAction[];
  /** Any bizStep when empty. */
  bizSteps: readonly string[];
  dispositions?: readonly string[];
  requires?: readonly Evidence[];
  lifecycle: EventType;
  kind?: 'maintenance' | 'repair' | 'inspection' | 'firmware_update';
  /** The parts of the lifecycle event another EPCIS event of the document carries (robotid:partOf). */
  partsOf?: true;
}

const ALL_TYPES: readonly EpcisEventType[] = [
  'ObjectEvent',
  'AggregationEvent',
  'AssociationEvent',
  'TransformationEvent',
  'TransactionEvent',
];
const OBJECT: readonly EpcisEventType[] = ['ObjectEvent'];
const PARTS: readonly EpcisEventType[] = ['AssociationEvent', 'AggregationEvent'];
const ANY: readonly EpcisAction[] = ['ADD', 'OBSERVE', 'DELETE'];
const SEEN: readonly EpcisAction[] = ['OBSERVE'];

export const INBOUND: readonly InboundRule[] = [
  // An error declaration corrects the event it repeats, whatever that event was.
  {
    eventTypes: ALL_TYPES,
    actions: ANY,
    bizSteps: [],
    requires: ['errorDeclaration'],
    lifecycle: 'corrected',
  },
  // The parts of an event the document also carries (what export writes for fitted and removed components).
  {
    eventTypes: PARTS,
    actions: ['ADD'],
    bizSteps: ['assembling'],
    requires: ['partOf'],
    lifecycle: 'manufactured',
    partsOf: true,
  },
  {
    eventTypes: PARTS,
    actions: ['ADD', 'DELETE'],
    bizSteps: ['replacing'],
    requires: ['partOf'],
    lifecycle: 'serviced',
    partsOf: true,
  },
  {
    eventTypes: PARTS,
    actions: ['DELETE'],
    bizSteps: ['disassembling'],
    requires: ['partOf'],
    lifecycle: 'recycled',
    partsOf: true,
  },
  // Parts fitted or removed on their own: a repair of the robot (parentID) that replaced them.
  {
    eventTypes: PARTS,
    actions: ['ADD', 'DELETE'],
    bizSteps: ['replacing', 'repairing', 'installing', 'removing', 'assembling', 'disassembling'],
    lifecycle: 'serviced',
    kind: 'repair',
  },
  { eventTypes: OBJECT, actions: ['ADD'], bizSteps: ['commissioning'], lifecycle: 'manufactured' },
  // Commissioning an object already made, at a site: putting it into service.
  {
    eventTypes: OBJECT,
    actions: SEEN,
    bizSteps: ['commissioning'],
    requires: ['bizLocation'],
    lifecycle: 'activated',
  },
  { eventTypes: OBJECT, actions: SEEN, bizSteps: ['installing'], lifecycle: 'activated' },
  {
    eventTypes: OBJECT,
    actions: SEEN,
    bizSteps: ['inspecting', ROBOTID_BIZ_STEPS.certifying],
    requires: ['certificationInfo'],
    lifecycle: 'certified',
  },
  { eventTypes: OBJECT, actions: SEEN, bizSteps: ['inspecting'], lifecycle: 'serviced', kind: 'inspection' },
  {
    eventTypes: OBJECT,
    actions: SEEN,
    bizSteps: ['shipping', 'departing'],
    requires: ['countryDestination'],
    lifecycle: 'exported',
  },
  { eventTypes: OBJECT, actions: SEEN, bizSteps: ['shipping', 'departing'], lifecycle: 'shipped' },
  {
    eventTypes: OBJECT,
    actions: SEEN,
    bizSteps: ['receiving', 'arriving', 'accepting'],
    requires: ['countrySource'],
    lifecycle: 'imported',
  },
  {
    eventTypes: OBJECT,
    actions: SEEN,
    bizSteps: ['receiving', 'arriving', 'accepting'],
    lifecycle: 'received',
  },
  { eventTypes: OBJECT, actions: SEEN, bizSteps: ['retail_selling'], lifecycle: 'sold' },
  {
    eventTypes: OBJECT,
    actions: SEEN,
    bizSteps: [ROBOTID_BIZ_STEPS.transferringOwnership],
    lifecycle: 'ownership_transferred',
  },
  { eventTypes: OBJECT, actions: SEEN, bizSteps: ['repairing'], lifecycle: 'serviced', kind: 'repair' },
  {
    eventTypes: OBJECT,
    actions: SEEN,
    bizSteps: [ROBOTID_BIZ_STEPS.maintaining],
    lifecycle: 'serviced',
    kind: 'maintenance',
  },
  {
    eventTypes: OBJECT,
    actions: SEEN,
    bizSteps: [ROBOTID_BIZ_STEPS.updatingSoftware],
    lifecycle: 'serviced',
    kind: 'firmware_update',
  },
  {
    eventTypes: OBJECT,
    actions: SEEN,
    bizSteps: [ROBOTID_BIZ_STEPS.incidentReporting],
    lifecycle: 'incident_reported',
  },
  {
    eventTypes: OBJECT,
    actions: SEEN,
    bizSteps: ['holding'],
    dispositions: ['recalled'],
    lifecycle: 'suspended',
  },
  { eventTypes: OBJECT, actions: SEEN, bizSteps: [ROBOTID_BIZ_STEPS.reinstating], lifecycle: 'reinstated' },
  {
    eventTypes: OBJECT,
    actions: ['OBSERVE', 'DELETE'],
    bizSteps: ['decommissioning'],
    lifecycle: 'decommissioned',
  },
  {
    eventTypes: OBJECT,
    actions: ['OBSERVE', 'DELETE'],
    bizSteps: ['destroying', 'disassembling', ROBOTID_BIZ_STEPS.recycling],
    lifecycle: 'recycled',
  },
  {
    eventTypes: OBJECT,
    actions: SEEN,
    bizSteps: [ROBOTID_BIZ_STEPS.reportingLoss],
    lifecycle: 'reported_lost',
  },
  {
    eventTypes: OBJECT,
    actions: SEEN,
    bizSteps: [ROBOTID_BIZ_STEPS.reportingTheft],
    lifecycle: 'reported_stolen',
  },
  { eventTypes: OBJECT, actions: SEEN, bizSteps: [ROBOTID_BIZ_STEPS.recovering], lifecycle: 'recovered' },
];

/** What an inbound event shows for the rules: its kind, and the evidence it carries (the caller reads these). */
export interface InboundFacts {
  eventType: EpcisEventType;
  action: EpcisAction | undefined;
  bizStep: string | undefined;
  disposition: string | undefined;
  evidence: ReadonlySet<Evidence>;
}

/** The rules for an event type and action, in INBOUND's order: worked out once for each pair met. */
const RULES_BY_TYPE_AND_ACTION = new Map<string, readonly InboundRule[]>();

function inboundRulesOf(eventType: EpcisEventType, action: EpcisAction): readonly InboundRule[] {
  const key = `${eventType} ${action}`;
  let rules = RULES_BY_TYPE_AND_ACTION.get(key);
  if (rules === undefined) {
    rules = INBOUND.filter((r) => r.eventTypes.includes(eventType) && r.actions.includes(action));
    if (RULES_BY_TYPE_AND_ACTION.size < 64) RULES_BY_TYPE_AND_ACTION.set(key, rules);
  }
  return rules;
}

/** The first rule that applies, or undefined: the event has no lifecycle meaning. */
export function inboundRuleFor(facts: InboundFacts): InboundRule | undefined {
  if (facts.action === undefined) return undefined;
  const bizStep = facts.bizStep === undefined ? undefined : normaliseCbv('bizStep', facts.bizStep);
  const disposition =
    facts.disposition === undefined ? undefined : normaliseCbv('disposition', facts.disposition);
  return inboundRulesOf(facts.eventType, facts.action).find(
    (r) =>
      (r.bizSteps.length === 0 || (bizStep !== undefined && r.bizSteps.includes(bizStep))) &&
      (!r.dispositions || (disposition !== undefined && r.dispositions.includes(disposition))) &&
      (r.requires ?? []).every((e) => facts.evidence.has(e)),
  );
}
