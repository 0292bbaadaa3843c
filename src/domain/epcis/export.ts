/**
 * A stored lifecycle event written as EPCIS 2.0 JSON-LD events, by the table in mapping.ts. It writes what it is
 * given and nothing else: the caller passes the event as the access policy lets its reader see it (the native
 * history's entry, payload fields cut), so EPCIS never shows more than the native API would.
 */
import type { EventType } from '../lifecycle/events.js';
import { robotEpc } from './identifiers.js';
import { ERROR_REASONS, OUTBOUND, ROBOTID_CONTEXT, ext, type PartsRule, type Placement } from './mapping.js';
import {
  eventUri,
  organisationUri,
  partUri,
  partsEventUri,
  urn,
  type PartRef,
  type PartsChange,
} from './uris.js';

/** One stored event as its reader may see it (the native history's entry has these fields). */
export interface VisibleEvent {
  eventId: string;
  type: EventType;
  eventTime: string;
  recordTime: string;
  /** The reporting organisation. */
  reportedBy: string;
  payload: unknown;
}

export interface ExportContext {
  publicBaseUrl: string;
  /** The robot: canonical ID (in registry URNs) and printed ID (in its EPC). */
  robotId: string;
  printed: string;
  /** For a correction: the event it corrects, as the reader sees it; absent when the reader does not see it. */
  corrects?: VisibleEvent;
}

/** An EPCIS event as JSON (its schema is GS1's; document-schema.ts holds the registry's own). */
export type EpcisJson = Record<string, unknown>;

/**
 * The EPCIS events one stored event is: its ObjectEvent, then an AssociationEvent per change of parts. A correction
 * is the events of the event it corrects, written again with an errorDeclaration; none when the reader does not
 * see the corrected event.
 */
export function exportEvent(event: VisibleEvent, ctx: ExportContext): EpcisJson[] {
  if (event.type === 'corrected') return declareErrors(event, ctx);
  const form = OUTBOUND[event.type];
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  const id = eventUri(ctx.robotId, event.eventId);
  const epc = robotEpc(ctx.publicBaseUrl, ctx.printed);
  const out: EpcisJson = {
    type: 'ObjectEvent',
    ...times(event),
    eventID: id,
    epcList: [epc],
    action: form.action,
    bizStep: form.bizStep,
    ...(form.disposition === null ? {} : { disposition: form.disposition }),
  };
  if (form.reporter) addParties(out, form.reporter.to, form.reporter.types, event.reportedBy);
  for (const [field, placement] of Object.entries(form.fields)) {
    const value = payload[field];
    if (value !== undefined) place(out, field, value, placement);
  }
  out[ext('reportedBy')] = organisationUri(event.reportedBy);
  const parts = form.parts.flatMap((rule) => partsEvent(rule, payload, event, ctx, epc, id));
  return [out, ...parts];
}

const offsetOf = (time: string): string => {
  const m = /([+-]\d{2}:\d{2})$/.exec(time);
  return m ? m[1]! : '+00:00';
};

function times(event: VisibleEvent) {
  return {
    eventTime: event.eventTime,
    eventTimeZoneOffset: offsetOf(event.eventTime),
    recordTime: event.recordTime,
  };
}

function push(out: EpcisJson, list: string, item: unknown) {
  ((out[list] ??= []) as unknown[]).push(item);
}

function addParties(
  out: EpcisJson,
  list: 'sourceList' | 'destinationList',
  types: readonly string[],
  orgId: string,
) {
  const key = list === 'sourceList' ? 'source' : 'destination';
  for (const type of types) push(out, list, { type, [key]: organisationUri(orgId) });
}

function place(out: EpcisJson, field: string, value: unknown, p: Placement) {
  switch (p.to) {
    case 'bizLocation':
    case 'readPoint':
      out[p.to] = { id: urn('region', String(value)) };
      return;
    case 'sourceList':
    case 'destinationList':
      if (p.uri === 'org') addParties(out, p.to, p.types, String(value));
      else
        push(out, p.to, {
          type: 'location',
          [p.to === 'sourceList' ? 'source' : 'destination']: urn('country', String(value)),
        });
      return;
    case 'bizTransactionList':
      push(out, p.to, { type: p.type, bizTransaction: urn(p.uri, String(value)) });
      return;
    case 'certificationInfo':
      out.certificationInfo = urn('certificate', String(value));
      return;
    case 'disposition':
    case 'bizStep': {
      const mapped = p.values[String(value)];
      if (mapped !== undefined) out[p.to] = mapped;
      return;
    }
    case 'ilmd':
      ((out.ilmd ??= {}) as EpcisJson)[ext(field)] = value;
      return;
    case 'extension':
      out[ext(field)] = value;
      return;
    case 'parts':
      return; // written by partsEvent
  }
}

/** The parts at `rule.path` of the payload, as reported (fields the reader may not see are not there). */
function partsAt(rule: PartsRule, payload: Record<string, unknown>): Record<string, unknown>[] {
  if (rule.path === 'components') return (payload.components as Record<string, unknown>[] | undefined) ?? [];
  const side = rule.path === 'replaced[].old' ? 'old' : 'new';
  const replaced = (payload.replaced as Record<string, Record<string, unknown>>[] | undefined) ?? [];
  return replaced.map((r) => r[side]).filter((p): p is Record<string, unknown> => p !== undefined);
}

function partsEvent(
  rule: PartsRule,
  payload: Record<string, unknown>,
  event: VisibleEvent,
  ctx: ExportContext,
  parentID: string,
  partOf: string,
): EpcisJson[] {
  const parts = partsAt(rule, payload).filter((p) => typeof p.partNumber === 'string');
  if (parts.length === 0) return [];
  const childEPCs: string[] = [];
  const classes = new Map<string, number>();
  for (const part of parts) {
    const uri = partUri(part as unknown as PartRef);
    if ('epc' in uri) {
      if (!childEPCs.includes(uri.epc)) childEPCs.push(uri.epc);
    } else classes.set(uri.epcClass, (classes.get(uri.epcClass) ?? 0) + 1);
  }
  const change: PartsChange = rule.action === 'ADD' ? 'fitted' : 'removed';
  return [
    {
      type: 'AssociationEvent',
      ...times(event),
      eventID: partsEventUri(ctx.robotId, event.eventId, change),
      parentID,
      ...(childEPCs.length > 0 ? { childEPCs } : {}),
      ...(classes.size > 0
        ? { childQuantityList: [...classes].map(([epcClass, quantity]) => ({ epcClass, quantity })) }
        : {}),
      action: rule.action,
      bizStep: rule.bizStep,
      [ext('components')]: parts,
      [ext('partOf')]: partOf,
      [ext('reportedBy')]: organisationUri(event.reportedBy),
    },
  ];
}

/** The corrected event's EPCIS events again, each declared erroneous by the correction. */
function declareErrors(correction: VisibleEvent, ctx: ExportContext): EpcisJson[] {
  if (!ctx.corrects) return [];
  const payload = (correction.payload ?? {}) as { reason?: string; explanation?: string };
  const declaration: EpcisJson = {
    declarationTime: correction.eventTime,
    ...(payload.reason === undefined ? {} : { reason: ERROR_REASONS[payload.reason] }),
    [ext('correctionID')]: eventUri(ctx.robotId, correction.eventId),
    [ext('reportedBy')]: organisationUri(correction.reportedBy),
    ...(payload.explanation === undefined ? {} : { [ext('explanation')]: payload.explanation }),
  };
  return exportEvent(ctx.corrects, { ...ctx, corrects: undefined }).map((e) => ({
    ...e,
    errorDeclaration: declaration,
  }));
}

/** A standalone event (the binding's single-event form) carries the context a document would give it. */
export const withContext = (event: EpcisJson): EpcisJson => ({ '@context': ROBOTID_CONTEXT, ...event });

export interface DocumentOptions {
  creationDate: string;
  /** The document's own URI, when it has one. */
  id?: string;
}

export function epcisDocument(events: readonly EpcisJson[], o: DocumentOptions): EpcisJson {
  return {
    '@context': ROBOTID_CONTEXT,
    type: 'EPCISDocument',
    ...(o.id === undefined ? {} : { id: o.id }),
    schemaVersion: '2.0',
    creationDate: o.creationDate,
    epcisBody: { eventList: events },
  };
}

/** A query's answer (GS1 EPCIS 2.0 REST binding): the events under queryResults, named by the query. */
export function epcisQueryDocument(
  events: readonly EpcisJson[],
  o: DocumentOptions & { queryName: string; subscriptionID?: string },
): EpcisJson {
  return {
    '@context': ROBOTID_CONTEXT,
    type: 'EPCISQueryDocument',
    ...(o.id === undefined ? {} : { id: o.id }),
    schemaVersion: '2.0',
    creationDate: o.creationDate,
    epcisBody: {
      queryResults: {
        queryName: o.queryName,
        ...(o.subscriptionID === undefined ? {} : { subscriptionID: o.subscriptionID }),
        resultsBody: { eventList: events },
      },
    },
  };
}
