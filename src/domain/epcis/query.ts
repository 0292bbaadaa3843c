/**
 * The EPCIS 2.0 query (the REST binding's GET /events parameters) as the registry understands it: which exported
 * events match, and which lifecycle event types can give a match at all (so that the store reads only those).
 * Matches are exact (no EPC patterns); a robot is matched by any of its names (identifiers.ts).
 */
import { parseRobotId } from '../id/index.js';
import { EVENT_TYPES, type EventType } from '../lifecycle/events.js';
import { normaliseCbv } from './cbv.js';
import type { EpcisJson } from './export.js';
import { robotIdTextOf } from './identifiers.js';
import { OUTBOUND } from './mapping.js';

export interface EpcisQuery {
  eventTypes?: string[];
  /** Times as ms since the epoch (the parameters may carry any offset). */
  eventTimeFrom?: number;
  eventTimeBefore?: number;
  recordTimeFrom?: number;
  recordTimeBefore?: number;
  actions?: string[];
  bizSteps?: string[];
  dispositions?: string[];
  /** MATCH_epc: epcList or childEPCs. */
  epcs?: string[];
  /** MATCH_anyEPC: epcList, childEPCs or parentID. */
  anyEpcs?: string[];
  parentIds?: string[];
  bizLocations?: string[];
  readPoints?: string[];
  eventIds?: string[];
  /** EXISTS_errorDeclaration. */
  errorDeclared?: boolean;
}

/**
 * The key an EPC is compared by: a robot, in any of its names, by its canonical ID; anything else as written.
 * `publicBaseUrl` tells the registry's own robot addresses from others'.
 */
export function epcKey(uri: string, publicBaseUrl: string): string {
  const text = robotIdTextOf(uri, publicBaseUrl);
  if (text === undefined) return uri;
  try {
    return `robot:${parseRobotId(text).canonical}`;
  } catch {
    return uri;
  }
}

/** The canonical IDs of the robots among `uris`; the rest (parts, other keys) in `others`. */
export function robotsNamed(uris: readonly string[], publicBaseUrl: string) {
  const robots: string[] = [];
  const others: string[] = [];
  for (const uri of uris) {
    const key = epcKey(uri, publicBaseUrl);
    if (key.startsWith('robot:')) robots.push(key.slice(6));
    else others.push(uri);
  }
  return { robots, others };
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]).filter((x) => typeof x === 'string') : []);
const idOf = (v: unknown) => str((v as { id?: unknown } | undefined)?.id);

/** Does this exported event match every parameter given? */
export function matchesQuery(e: EpcisJson, q: EpcisQuery, publicBaseUrl: string): boolean {
  const inSet = (values: string[] | undefined, value: string | undefined) =>
    values === undefined || (value !== undefined && values.includes(value));
  const time = (v: unknown) => Date.parse(str(v) ?? '');
  const epcs = (values: string[] | undefined, candidates: unknown[]) => {
    if (values === undefined) return true;
    const wanted = new Set(values.map((v) => epcKey(v, publicBaseUrl)));
    return candidates.some((c) => typeof c === 'string' && wanted.has(epcKey(c, publicBaseUrl)));
  };
  const eventTime = time(e.eventTime);
  const recordTime = time(e.recordTime);
  const own = [...list(e.epcList), ...list(e.childEPCs)];
  return (
    inSet(q.eventTypes, str(e.type)) &&
    (q.eventTimeFrom === undefined || eventTime >= q.eventTimeFrom) &&
    (q.eventTimeBefore === undefined || eventTime < q.eventTimeBefore) &&
    (q.recordTimeFrom === undefined || recordTime >= q.recordTimeFrom) &&
    (q.recordTimeBefore === undefined || recordTime < q.recordTimeBefore) &&
    inSet(q.actions, str(e.action)) &&
    inSet(
      q.bizSteps?.map((s) => normaliseCbv('bizStep', s)),
      str(e.bizStep),
    ) &&
    inSet(
      q.dispositions?.map((d) => normaliseCbv('disposition', d)),
      str(e.disposition),
    ) &&
    epcs(q.epcs, own) &&
    epcs(q.anyEpcs, [...own, e.parentID]) &&
    epcs(q.parentIds, [e.parentID]) &&
    inSet(q.bizLocations, idOf(e.bizLocation)) &&
    inSet(q.readPoints, idOf(e.readPoint)) &&
    inSet(q.eventIds, str(e.eventID)) &&
    (q.errorDeclared === undefined || q.errorDeclared === (e.errorDeclaration !== undefined))
  );
}

/** The shapes one lifecycle event type is exported in (corrections: those of every other type). */
interface Shape {
  type: string;
  action: string | null;
  bizSteps: string[];
  dispositions: (string | undefined)[];
  parent: boolean;
}

function shapesOf(type: Exclude<EventType, 'corrected'>): Shape[] {
  const form = OUTBOUND[type];
  const bizSteps = [
    form.bizStep,
    ...Object.values(form.fields).flatMap((p) => (p.to === 'bizStep' ? Object.values(p.values) : [])),
  ];
  const dispositions = [
    form.disposition ?? undefined,
    ...Object.values(form.fields).flatMap((p) => (p.to === 'disposition' ? Object.values(p.values) : [])),
  ];
  return [
    {
      type: 'ObjectEvent',
      action: form.action,
      bizSteps: bizSteps.filter((s): s is string => s !== null),
      dispositions,
      parent: false,
    },
    ...form.parts.map((p) => ({
      type: 'AssociationEvent',
      action: p.action,
      bizSteps: [p.bizStep],
      dispositions: [undefined],
      parent: true,
    })),
  ];
}

/**
 * The lifecycle event types whose exports can match the query's eventType, action, bizStep, disposition,
 * parentID and errorDeclaration parameters; undefined when the query asks nothing of these (every type).
 */
export function lifecycleTypesFor(q: EpcisQuery): EventType[] | undefined {
  if (
    !q.eventTypes &&
    !q.actions &&
    !q.bizSteps &&
    !q.dispositions &&
    !q.parentIds &&
    q.errorDeclared === undefined
  )
    return undefined;
  const bizSteps = q.bizSteps?.map((s) => normaliseCbv('bizStep', s));
  const dispositions = q.dispositions?.map((d) => normaliseCbv('disposition', d));
  const fits = (s: Shape) =>
    (!q.eventTypes || q.eventTypes.includes(s.type)) &&
    (!q.actions || (s.action !== null && q.actions.includes(s.action))) &&
    (!bizSteps || s.bizSteps.some((b) => bizSteps.includes(b))) &&
    (!dispositions || s.dispositions.some((d) => d !== undefined && dispositions.includes(d))) &&
    (!q.parentIds || s.parent);
  const types = EVENT_TYPES.filter(
    (t): t is Exclude<EventType, 'corrected'> => t !== 'corrected' && shapesOf(t).some(fits),
  );
  if (q.errorDeclared === true) return types.length > 0 ? ['corrected'] : [];
  const result: EventType[] = q.errorDeclared === false ? types : [...types, 'corrected'];
  return types.length > 0 ? result : [];
}
