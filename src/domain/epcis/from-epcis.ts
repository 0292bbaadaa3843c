/**
 * An EPCIS 2.0 event read as the registry's own lifecycle event (what POST /v1/events takes), or the precise reason
 * it cannot be: its business step has no lifecycle meaning (mapping.ts INBOUND), the robot it names is not one of the
 * registry's, or a fact the lifecycle event needs is missing (named by where EPCIS carries it: mapping.ts OUTBOUND,
 * read backwards). The state machine's verdict comes later, from the capture itself.
 *
 * An event without an eventID is known by its CBV 2.0 Event Hash ID (event-hash.ts), so that a document sent again
 * records nothing twice.
 */
import { parseRobotId } from '../id/robot-id.js';
import { inOffset } from '../time.js';
import type { EventType } from '../lifecycle/events.js';
import { PAYLOAD_SCHEMAS } from '../lifecycle/payloads.js';
import { normaliseCbv } from './cbv.js';
import { eventHashId } from './event-hash.js';
import { robotIdTextOf } from './identifiers.js';
import {
  OUTBOUND,
  ROBOTID_NS,
  ROBOTID_PREFIX,
  inboundRuleFor,
  type EpcisAction,
  type EpcisEventType,
  type Evidence,
  type Placement,
} from './mapping.js';
import { organisationIdOf, storedEventIdOf, urnParts } from './uris.js';

/** An EPCIS event as its schema (document-schema.ts) accepted it. */
export type EpcisEventFacts = Record<string, unknown> & { type: string; eventTime: string };

/** The native event, as IncomingEvent (app/event-schemas.ts) takes it. */
export interface NativeEvent {
  eventId: string;
  type: EventType;
  robotId: string;
  eventTime: string;
  payload: Record<string, unknown>;
}

/** Why an event was not read as a lifecycle event: a code, a sentence and the place in the event (a JSON pointer). */
export interface NotMapped {
  code:
    | 'epcis-no-lifecycle-meaning'
    | 'epcis-not-a-robot'
    | 'epcis-missing-fact'
    | 'epcis-part-unidentified'
    | 'epcis-parts-without-event'
    | 'epcis-parts-refused'
    | 'epcis-read-with-document';
  message: string;
  /** Under the event, e.g. `/bizStep`. */
  field: string;
}

export type FromEpcis = { ok: true; event: NativeEvent } | { ok: false; reason: NotMapped };

export interface ReadingContext {
  /** The registry's address: its robots' EPCs are `<publicBaseUrl>/r/<ID>`. */
  publicBaseUrl: string;
  /** The document's @context prefixes (event-hash.ts documentPrefixes): for the hash, and the registry's own. */
  prefixes: Readonly<Record<string, string>>;
  /**
   * The robot each EPC names, or why it names none, as the store resolved them (app/epcis/robot-epc.ts: the
   * registry's own forms and registered GS1 keys). An EPC not in it is read in the registry's own forms only.
   */
  robots?: ReadonlyMap<string, { robotId: string } | { code: string; reason: string }>;
}

type Party = { type: string; source?: string; destination?: string };
type Transaction = { type?: string; bizTransaction: string };

/** The lifecycle event `event` means, or why it means none here. */
export function fromEpcis(event: EpcisEventFacts, context: ReadingContext): FromEpcis {
  const no = (reason: NotMapped): FromEpcis => ({ ok: false, reason });
  const ext = extensionName(context.prefixes);
  const rule = inboundRuleFor({
    eventType: event.type as EpcisEventType,
    action: event.action as EpcisAction | undefined,
    bizStep: event.bizStep as string | undefined,
    disposition: event.disposition as string | undefined,
    evidence: evidenceOf(event, ext),
  });
  if (!rule) {
    const action = typeof event.action === 'string' ? ` ${event.action}` : '';
    return no({
      code: 'epcis-no-lifecycle-meaning',
      message:
        `a ${event.type}${action} with bizStep ${String(event.bizStep ?? '(none)')} has no lifecycle meaning in ` +
        'this registry (docs/epcis.md lists the business steps it reads)',
      field: event.bizStep === undefined ? '/type' : '/bizStep',
    });
  }
  if (rule.partsOf || rule.lifecycle === 'corrected' || event.type !== 'ObjectEvent') {
    return no({
      code: 'epcis-read-with-document',
      // Capture reads these with their document (from-epcis-document.ts): they join or correct other events.
      message:
        rule.lifecycle === 'corrected'
          ? 'an error declaration (a correction) is read with its document, not alone'
          : `parts fitted or removed (${event.type}) are read with their document, not alone`,
      field: rule.lifecycle === 'corrected' ? '/errorDeclaration' : '/type',
    });
  }
  const epcs = (event.epcList as string[] | undefined) ?? [];
  if (epcs.length !== 1) {
    return no({
      code: 'epcis-not-a-robot',
      message:
        epcs.length === 0
          ? 'the event names no robot: a lifecycle event is about a robot named in epcList'
          : `the event names ${epcs.length} EPCs in epcList; read one robot at a time (capture does: one-robot-each.ts)`,
      field: '/epcList',
    });
  }
  const robot = robotNamed(epcs[0]!, '/epcList/0', context);
  if ('code' in robot) return no(robot);
  const { robotId } = robot;
  const payload: Record<string, unknown> = rule.kind ? { kind: rule.kind } : {};
  const { fields, placements, required } = payloadPlan(rule.lifecycle);
  for (const [name, placement] of placements) {
    if (name in payload) continue;
    const value = read(event, placement, name, ext);
    if (value !== undefined) payload[name] = value;
  }
  if (rule.lifecycle === 'manufactured') {
    // A commissioning event from elsewhere carries no registry ILMD: the production day is the event's own day
    // where it happened (its eventTime's date in its eventTimeZoneOffset); parts come fitted by their own events.
    payload.productionDate ??= localEventTime(event).slice(0, 10);
    payload.software ??= [];
  }
  const missing = required.find((name) => payload[name] === undefined);
  if (missing) return no(missingFact(rule.lifecycle, missing, fields[missing], ext));
  const eventId = eventIdOf(event, robotId, context);
  return { ok: true, event: { eventId, type: rule.lifecycle, robotId, eventTime: event.eventTime, payload } };
}

/**
 * The event's time at the place it happened: in its own eventTimeZoneOffset (a system that writes its times in UTC
 * still says what the local time was there), whose date is the local day.
 */
const localEventTime = (event: EpcisEventFacts): string =>
  typeof event.eventTimeZoneOffset === 'string'
    ? inOffset(event.eventTime, event.eventTimeZoneOffset)
    : event.eventTime;

/** Where each payload field of a lifecycle event is read from, and which it requires: the same for every event. */
function payloadPlan(lifecycle: EventType) {
  let plan = PAYLOAD_PLANS.get(lifecycle);
  if (plan === undefined) {
    const fields = OUTBOUND[lifecycle].fields;
    const required = (PAYLOAD_SCHEMAS[lifecycle] as { required?: string[] }).required ?? [];
    plan = { fields, placements: Object.entries(fields), required };
    PAYLOAD_PLANS.set(lifecycle, plan);
  }
  return plan;
}

const PAYLOAD_PLANS = new Map<
  EventType,
  {
    fields: (typeof OUTBOUND)[EventType]['fields'];
    placements: [string, Placement][];
    required: readonly string[];
  }
>();

/** The robot an EPC names (`field`: where the EPC is), or why it names none here. */
export function robotNamed(
  epc: string,
  field: string,
  context: ReadingContext,
): { robotId: string } | NotMapped {
  const resolved = context.robots?.get(epc);
  if (resolved && 'code' in resolved) {
    return { code: 'epcis-not-a-robot', message: `${resolved.reason} (${resolved.code})`, field };
  }
  const robotId = resolved ? resolved.robotId : robotIdTextOf(epc, context.publicBaseUrl);
  if (robotId !== undefined) return { robotId };
  return {
    code: 'epcis-not-a-robot',
    message:
      `${epc} is not a robot of this registry, which names its robots ${context.publicBaseUrl}/r/<ID> ` +
      'or urn:robotid:robot:<ID>',
    field,
  };
}

/**
 * The id the event is stored under: its eventID as the registry wrote it from a stored id (uris.ts
 * storedEventIdOf), else its CBV 2.0 Event Hash ID.
 */
export function eventIdOf(event: EpcisEventFacts, robotId: string, context: ReadingContext): string {
  if (typeof event.eventID !== 'string') return eventHashId(event, { prefixes: context.prefixes });
  return storedEventIdOf(event.eventID, canonicalRobotId(robotId));
}

/** The canonical form of a robot ID text (the registry's event URNs name robots by it); the text when invalid. */
export function canonicalRobotId(text: string): string {
  try {
    return parseRobotId(text).canonical;
  } catch {
    return text;
  }
}

/** `robotid:<name>`, with the prefix the document binds to the registry's namespace (`robotid` if none does). */
export function extensionName(prefixes: Readonly<Record<string, string>>): (name: string) => string {
  let ext = EXTENSION_NAMES.get(prefixes); // a document's events share its prefixes
  if (ext === undefined) {
    const prefix = Object.entries(prefixes).find(([, iri]) => iri === ROBOTID_NS)?.[0] ?? ROBOTID_PREFIX;
    ext = (name) => `${prefix}:${name}`;
    EXTENSION_NAMES.set(prefixes, ext);
  }
  return ext;
}

const EXTENSION_NAMES = new WeakMap<Readonly<Record<string, string>>, (name: string) => string>();

function evidenceOf(event: EpcisEventFacts, ext: (name: string) => string): Set<Evidence> {
  const evidence = new Set<Evidence>();
  for (const key of ['errorDeclaration', 'bizLocation', 'certificationInfo'] as const) {
    if (event[key] !== undefined) evidence.add(key);
  }
  const countryIn = (list: unknown, key: 'source' | 'destination') =>
    ((list as Party[] | undefined) ?? []).some((p) => urnParts(p[key] ?? '', 'country') !== undefined);
  if (countryIn(event.destinationList, 'destination')) evidence.add('countryDestination');
  if (countryIn(event.sourceList, 'source')) evidence.add('countrySource');
  if (event[ext('partOf')] !== undefined) evidence.add('partOf');
  return evidence;
}

/** A payload field's value, read from where OUTBOUND writes it; undefined when the event does not carry it. */
function read(event: EpcisEventFacts, p: Placement, name: string, ext: (n: string) => string): unknown {
  switch (p.to) {
    case 'bizLocation':
    case 'readPoint':
      return urnParts((event[p.to] as { id?: string } | undefined)?.id ?? '', 'region')?.[0];
    case 'sourceList':
    case 'destinationList': {
      const key = p.to === 'sourceList' ? 'source' : 'destination';
      const parties = (event[p.to] as Party[] | undefined) ?? [];
      for (const party of parties) {
        const uri = party[key] ?? '';
        if ('types' in p) {
          const type = normaliseCbv('sourceDestType', party.type);
          const org = organisationIdOf(uri);
          if (org !== undefined && (p.types as readonly string[]).includes(type)) return org;
        } else {
          const country = urnParts(uri, 'country')?.[0];
          if (country !== undefined) return country;
        }
      }
      return undefined;
    }
    case 'bizTransactionList': {
      const transactions = (event.bizTransactionList as Transaction[] | undefined) ?? [];
      for (const t of transactions) {
        const number = urnParts(t.bizTransaction, p.uri)?.[0];
        if (number !== undefined && (t.type === undefined || t.type === p.type)) return number;
      }
      return undefined;
    }
    case 'certificationInfo': {
      const info = event.certificationInfo;
      for (const uri of Array.isArray(info) ? (info as string[]) : typeof info === 'string' ? [info] : []) {
        const number = urnParts(uri, 'certificate')?.[0];
        if (number !== undefined) return number;
      }
      return undefined;
    }
    case 'disposition':
    case 'bizStep': {
      const written = event[p.to];
      if (typeof written !== 'string') return undefined;
      const vocabulary = p.to === 'bizStep' ? 'bizStep' : 'disposition';
      const value = normaliseCbv(vocabulary, written);
      return Object.entries(p.values).find(([, v]) => normaliseCbv(vocabulary, v) === value)?.[0];
    }
    case 'ilmd':
      return (event.ilmd as Record<string, unknown> | undefined)?.[ext(name)];
    case 'extension':
      return event[ext(name)];
    case 'parts':
      return name === 'components' ? [] : undefined; // fitted by events of their own (robotid:partOf)
  }
}

/** Where EPCIS carries a fact the lifecycle event needs, said as the reason it is missing. */
function missingFact(
  lifecycle: EventType,
  name: string,
  p: Placement | undefined,
  ext: (n: string) => string,
) {
  const needs = `a ${lifecycle} event needs its ${name}`;
  const at = (field: string, where: string): NotMapped => ({
    code: 'epcis-missing-fact',
    message: `${needs}: ${where}`,
    field,
  });
  if (!p) return at('', 'the event does not carry it');
  switch (p.to) {
    case 'bizLocation':
    case 'readPoint':
      return at(`/${p.to}`, `${p.to}.id urn:robotid:region:<code>`);
    case 'sourceList':
    case 'destinationList':
      return 'types' in p
        ? at(`/${p.to}`, `an entry of type ${p.types.join(' or ')} naming urn:robotid:org:<organisation id>`)
        : at(`/${p.to}`, 'an entry naming urn:robotid:country:<CC>');
    case 'bizTransactionList':
      return at('/bizTransactionList', `an entry of type ${p.type} naming urn:robotid:${p.uri}:<number>`);
    case 'certificationInfo':
      return at('/certificationInfo', 'urn:robotid:certificate:<number>');
    case 'disposition':
    case 'bizStep':
      return at(`/${p.to}`, `one of ${Object.values(p.values).join(', ')}`);
    case 'ilmd':
      return at('/ilmd', `ilmd["${ext(name)}"]`);
    case 'extension':
    case 'parts':
      return at(`/${ext(name)}`, `the extension field "${ext(name)}"`);
  }
}
