/**
 * A document's EPCIS events read together as lifecycle events, for what one event alone cannot say:
 * - an AssociationEvent or AggregationEvent whose `robotid:partOf` names another event of the document carries that
 *   event's parts (what export writes): they join its payload (a manufacture's or recycling's components, a
 *   repair's replaced parts, old and new paired by their order);
 * - parts fitted (ADD) and removed (DELETE) on their own, with the robot as parentID: a repair that replaced them,
 *   one `serviced` (kind repair) per robot and eventTime, each removed part paired with a fitted one in order;
 * - an event with an errorDeclaration: a `corrected` event of the event it repeats (its eventID, else its event
 *   hash, which leaves the declaration out), with the correction's own id from `robotid:correctionID`;
 * - every other event by fromEpcis.
 * Each event is recorded (parts events with the event they join) or rejected with its own reason.
 */
import { createHash } from 'node:crypto';
import { normaliseCbv } from './cbv.js';
import {
  eventIdOf,
  extensionName,
  fromEpcis,
  robotNamed,
  canonicalRobotId,
  type EpcisEventFacts,
  type NativeEvent,
  type NotMapped,
  type ReadingContext,
} from './from-epcis.js';
import { ERROR_REASONS, inboundRuleFor, type EpcisAction, type EpcisEventType } from './mapping.js';
import { partsOfEvent, type Part } from './parts-in-epcis.js';
import { storedEventIdOf } from './uris.js';

export interface DocumentReading {
  /** The native events in document order, each with the index of the EPCIS event it comes from. */
  events: { index: number; event: NativeEvent }[];
  /** The events not read, in document order. */
  rejected: { index: number; reason: NotMapped }[];
}

/** Parts fitted or removed, as one EPCIS event gave them. */
interface PartsChange {
  index: number;
  robotId: string;
  action: 'ADD' | 'DELETE';
  parts: Part[];
}

/** A parts event naming the event it belongs to (robotid:partOf): read, or why not. */
interface PartsOf {
  index: number;
  change: PartsChange | { reason: NotMapped };
}

const PARTS_EVENTS: readonly string[] = ['AssociationEvent', 'AggregationEvent'];

/** The lifecycle events `list` means; `contextOf(i)`: how to read event i (the prefixes its @context binds). */
export function fromEpcisEvents(
  list: readonly EpcisEventFacts[],
  contextOf: (index: number) => ReadingContext,
): DocumentReading {
  const read: ({ event: NativeEvent } | { reason: NotMapped } | undefined)[] = [];
  const partsOf = new Map<number, PartsOf[]>(); // by the index of the event they join
  const onTheirOwn: PartsChange[] = [];
  const byEventId = new Map<string, number>(); // events as they happened, by eventID
  const declared = new Set<string>(); // the eventIDs of events declared erroneous
  list.forEach((e, i) => {
    if (typeof e.eventID !== 'string') return;
    if (e.errorDeclaration !== undefined) declared.add(e.eventID);
    else if (!byEventId.has(e.eventID)) byEventId.set(e.eventID, i);
  });
  list.forEach((event, index) => {
    const context = contextOf(index);
    const ext = extensionName(context.prefixes);
    const partOf = event[ext('partOf')];
    if (event.errorDeclaration !== undefined) {
      // The parts of an event declared erroneous go with its declaration; alone they correct nothing.
      if (partOf === undefined) read[index] = correctionOf(event, context);
      else if (typeof partOf !== 'string' || !declared.has(partOf))
        read[index] = { reason: partsWithoutEvent(ext('partOf'), partOf, 'declared erroneous in') };
      return;
    }
    if (!PARTS_EVENTS.includes(event.type)) {
      const one = fromEpcis(event, context);
      read[index] = one.ok ? { event: one.event } : { reason: one.reason };
      return;
    }
    const change = partsChangeOf(event, index, context);
    if (partOf === undefined) {
      if ('reason' in change) read[index] = change;
      else onTheirOwn.push(change);
      return;
    }
    const target = typeof partOf === 'string' ? byEventId.get(partOf) : undefined;
    if (target === undefined || target === index)
      read[index] = { reason: partsWithoutEvent(ext('partOf'), partOf, 'in') };
    else if (partsOf.has(target)) partsOf.get(target)!.push({ index, change });
    else partsOf.set(target, [{ index, change }]);
  });
  for (const [target, changes] of partsOf) joinParts(read, target, changes, contextOf);
  for (const group of byRobotAndTime(onTheirOwn, list)) {
    const repair = repairOf(group, list, contextOf);
    // Recorded as one event, at the first's place; refused, each event of the group says why.
    if ('event' in repair) read[group[0]!.index] = repair;
    else for (const c of group) read[c.index] = repair;
  }
  const reading: DocumentReading = { events: [], rejected: [] };
  read.forEach((r, index) => {
    if (r && 'event' in r) reading.events.push({ index, event: r.event });
    else if (r) reading.rejected.push({ index, reason: r.reason });
  });
  return reading;
}

function partsWithoutEvent(field: string, partOf: unknown, where: string): NotMapped {
  return {
    code: 'epcis-parts-without-event',
    message:
      `${field} names ${JSON.stringify(partOf)}, which is no other event ${where} this document: the parts of a ` +
      'lifecycle event are recorded with it, so send them together (parts changed on their own have no partOf)',
    field: `/${field}`,
  };
}

/** The robot an ObjectEvent (epcList) or a parts event (parentID) is about. */
function robotOf(event: EpcisEventFacts, context: ReadingContext): { robotId: string } | NotMapped {
  if (PARTS_EVENTS.includes(event.type)) {
    const parent = event.parentID;
    if (typeof parent !== 'string')
      return {
        code: 'epcis-not-a-robot',
        message: 'parts are fitted to a robot: its EPC as parentID',
        field: '/parentID',
      };
    return robotNamed(parent, '/parentID', context);
  }
  const epcs = (event.epcList as unknown[] | undefined) ?? [];
  if (epcs.length !== 1 || typeof epcs[0] !== 'string')
    return {
      code: 'epcis-not-a-robot',
      message: `the event names ${epcs.length} EPCs in epcList; a lifecycle event is about one robot, named alone`,
      field: '/epcList',
    };
  return robotNamed(epcs[0], '/epcList/0', context);
}

function partsChangeOf(
  event: EpcisEventFacts,
  index: number,
  context: ReadingContext,
): PartsChange | { reason: NotMapped } {
  const ext = extensionName(context.prefixes);
  const rule = inboundRuleFor({
    eventType: event.type as EpcisEventType,
    action: event.action as EpcisAction | undefined,
    bizStep: event.bizStep as string | undefined,
    disposition: undefined,
    evidence: new Set(event[ext('partOf')] === undefined ? [] : ['partOf']),
  });
  if (!rule || event.action === 'OBSERVE')
    return {
      reason: {
        code: 'epcis-no-lifecycle-meaning',
        message:
          `a ${event.type} ${String(event.action)} with bizStep ${String(event.bizStep ?? '(none)')} fits or removes ` +
          'no parts here: parts are fitted (ADD) or removed (DELETE) with bizStep assembling, replacing, repairing, ' +
          'installing, removing or disassembling',
        field: event.action === 'OBSERVE' ? '/action' : '/bizStep',
      },
    };
  const robot = robotOf(event, context);
  if ('code' in robot) return { reason: robot };
  const parts = partsOfEvent(event, ext('components'));
  if (!parts.ok) return { reason: parts.reason };
  return { index, robotId: robot.robotId, action: event.action as 'ADD' | 'DELETE', parts: parts.parts };
}

/**
 * Folds parts events into the event they name, or rejects them with the reason they do not fit it; an event whose
 * parts are rejected is rejected too (recorded with its parts or not at all: a resend is known by its eventID).
 */
function joinParts(
  read: ({ event: NativeEvent } | { reason: NotMapped } | undefined)[],
  target: number,
  parts: PartsOf[],
  contextOf: (index: number) => ReadingContext,
): void {
  const joined = read[target];
  const refused = new Set<number>();
  const refuse = (index: number, message: string, field: string) => {
    read[index] = { reason: { code: 'epcis-parts-without-event', message, field } };
    refused.add(index);
  };
  const changes: PartsChange[] = [];
  for (const { index, change } of parts) {
    if ('reason' in change) {
      read[index] = change;
      refused.add(index);
    } else changes.push(change);
  }
  if (!joined || !('event' in joined)) {
    for (const c of changes)
      refuse(
        c.index,
        `the event its parts belong to (eventList ${target}) is not recorded`,
        partOfField(c, contextOf),
      );
    return;
  }
  const payload = withParts(joined.event, changes, refuse, contextOf);
  read[target] =
    refused.size > 0
      ? {
          reason: {
            code: 'epcis-parts-refused',
            message:
              `its parts (eventList ${[...refused].join(', ')}) were not read, each says why: an event is ` +
              'recorded with its parts or not at all',
            field: '',
          },
        }
      : { event: { ...joined.event, payload } };
}

/** The event's payload with the parts changes in it; `refuse` those that do not fit it. */
function withParts(
  event: NativeEvent,
  changes: PartsChange[],
  refuse: (index: number, message: string, field: string) => void,
  contextOf: (index: number) => ReadingContext,
): Record<string, unknown> {
  const payload = { ...event.payload };
  const wrong = changes.filter((c) => canonicalRobotId(c.robotId) !== canonicalRobotId(event.robotId));
  for (const c of wrong)
    refuse(
      c.index,
      `parentID names another robot than the event its parts belong to (${event.robotId})`,
      '/parentID',
    );
  if (wrong.length > 0) return payload;
  const added = changes.filter((c) => c.action === 'ADD').flatMap((c) => c.parts);
  const removed = changes.filter((c) => c.action === 'DELETE').flatMap((c) => c.parts);
  if (event.type === 'serviced') {
    if (added.length === removed.length) {
      if (added.length > 0) payload.replaced = removed.map((old, i) => ({ old, new: added[i] }));
    } else
      for (const c of changes)
        refuse(
          c.index,
          `a repair replaces each part removed by one fitted: ${removed.length} removed, ${added.length} fitted`,
          '/action',
        );
  } else if (event.type === 'manufactured' || event.type === 'recycled') {
    const action = event.type === 'manufactured' ? 'ADD' : 'DELETE';
    for (const c of changes.filter((x) => x.action !== action))
      refuse(c.index, `a ${event.type} event ${action === 'ADD' ? 'fits' : 'removes'} parts only`, '/action');
    payload.components = [
      ...((payload.components as Part[] | undefined) ?? []),
      ...(action === 'ADD' ? added : removed),
    ];
  } else
    for (const c of changes)
      refuse(c.index, `a ${event.type} event fits or removes no parts`, partOfField(c, contextOf));
  return payload;
}

const partOfField = (c: PartsChange, contextOf: (index: number) => ReadingContext) =>
  `/${extensionName(contextOf(c.index).prefixes)('partOf')}`;

/** Parts changed on their own, grouped by robot and eventTime (one repair each), in document order. */
function byRobotAndTime(changes: PartsChange[], list: readonly EpcisEventFacts[]): PartsChange[][] {
  const groups = new Map<string, PartsChange[]>();
  for (const c of changes) {
    const key = `${canonicalRobotId(c.robotId)}\u0000${Date.parse(list[c.index]!.eventTime)}`;
    if (groups.has(key)) groups.get(key)!.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()];
}

/** A repair that replaced parts: each part removed with the part fitted in its place (by their order). */
function repairOf(
  group: PartsChange[],
  list: readonly EpcisEventFacts[],
  contextOf: (index: number) => ReadingContext,
): { event: NativeEvent } | { reason: NotMapped } {
  const first = group[0]!;
  const added = group.filter((c) => c.action === 'ADD').flatMap((c) => c.parts);
  const removed = group.filter((c) => c.action === 'DELETE').flatMap((c) => c.parts);
  if (added.length !== removed.length)
    return {
      reason: {
        code: 'epcis-missing-fact',
        message:
          `${removed.length} parts removed and ${added.length} fitted on robot ${first.robotId} at ` +
          `${list[first.index]!.eventTime}: the registry records parts changed after manufacture as a repair that ` +
          'replaces each part removed (DELETE) by one fitted (ADD), so send both with the same eventTime',
        field: '/action',
      },
    };
  const source = list[first.index]!;
  return {
    event: {
      eventId: eventIdOf(source, first.robotId, contextOf(first.index)),
      type: 'serviced',
      robotId: first.robotId,
      eventTime: source.eventTime,
      payload: { kind: 'repair', replaced: removed.map((old, i) => ({ old, new: added[i] })) },
    },
  };
}

/** The correction an error declaration makes: of the event it repeats, for the reason it gives. */
function correctionOf(
  event: EpcisEventFacts,
  context: ReadingContext,
): { event: NativeEvent } | { reason: NotMapped } {
  const robot = robotOf(event, context);
  if ('code' in robot) return { reason: robot };
  const ext = extensionName(context.prefixes);
  const declaration = event.errorDeclaration as Record<string, unknown>;
  const robotId = canonicalRobotId(robot.robotId);
  const correctsEventId = eventIdOf(event, robot.robotId, context);
  const own = declaration[ext('correctionID')];
  const explanation = declaration[ext('explanation')];
  const payload: Record<string, unknown> = { correctsEventId, reason: reasonOf(declaration.reason) };
  if (explanation !== undefined) payload.explanation = explanation;
  return {
    event: {
      // Without its own id, a correction is known by what it corrects: an event is corrected once.
      eventId: typeof own === 'string' ? storedEventIdOf(own, robotId) : correctionIdOf(correctsEventId),
      type: 'corrected',
      robotId: robot.robotId,
      eventTime: String(declaration.declarationTime),
      payload,
    },
  };
}

/** The registry's reason for a CBV error reason (ERROR_REASONS backwards); `other` for one it does not know. */
function reasonOf(reason: unknown): string {
  if (typeof reason !== 'string') return 'other';
  const term = normaliseCbv('errorReason', reason);
  return Object.entries(ERROR_REASONS).find(([, v]) => v === term)?.[0] ?? 'other';
}

/** A correction's id when its declaration gives none: derived from the event it corrects, so a resend is a duplicate. */
const correctionIdOf = (correctsEventId: string): string =>
  `ni:///sha-256;${createHash('sha256').update(`corrected\u0000${correctsEventId}`).digest('hex')}`;
