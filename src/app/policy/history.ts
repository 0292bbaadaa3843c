/** A robot's history cut down to what one caller may see: whole events hidden by class, payload fields by field. */
import type { EventType } from '../../domain/lifecycle/events.js';
import type { DataClass, Relation } from '../../domain/policy/table.js';
import { eventClass, payloadTable, redact, seesFor, type Sees } from '../../domain/policy/view.js';
import type { StoredEvent } from '../../store/store.js';
import type { HistoryEntry } from '../robots.js';

const TAKES_OVER = new Set<EventType>(['sold', 'ownership_transferred']);

/** The seq of the event that made `orgId` the operator last; its usage data starts there. */
function tenureStart(events: readonly StoredEvent[], orgId: string): number {
  let start = Number.POSITIVE_INFINITY;
  for (const e of events) {
    if (TAKES_OVER.has(e.type) && (e.payload as { toOrgId?: string }).toOrgId === orgId) start = e.seq;
  }
  return start;
}

/** An operator does not see earlier owners' usage: their sites and incident details are theirs. */
function seesAt(relation: Relation, events: readonly StoredEvent[], orgId: string): (e: StoredEvent) => Sees {
  const sees = seesFor(relation);
  if (relation !== 'operator') return () => sees;
  const start = tenureStart(events, orgId);
  const withoutUsage: Sees = (c) => c !== 'usage' && sees(c);
  return (e) => (e.seq >= start ? sees : withoutUsage);
}

export interface HistoryView {
  entries: HistoryEntry[];
  /** The stored events the caller sees whole (every field): those a proof bundle may carry. */
  whole: StoredEvent[];
  classes: DataClass[];
}

export function historyView(events: readonly StoredEvent[], relation: Relation, orgId: string): HistoryView {
  const typeOf = new Map(events.map((e) => [e.eventId, e.type]));
  const correctedBy = new Map<string, string>();
  const corrects = new Map<string, EventType | undefined>();
  for (const e of events) {
    if (e.type !== 'corrected') continue;
    const target = (e.payload as { correctsEventId: string }).correctsEventId;
    correctedBy.set(target, e.eventId);
    corrects.set(e.eventId, typeOf.get(target));
  }
  const seesEvent = seesAt(relation, events, orgId);
  const seen = new Set<DataClass>();
  const entries: HistoryEntry[] = [];
  const whole: StoredEvent[] = [];
  for (const e of events) {
    const sees = seesEvent(e);
    const cls = eventClass(e.type, corrects.get(e.eventId));
    if (!sees(cls)) continue;
    seen.add(cls);
    const payload = redact(e.payload, payloadTable(e.type), sees, seen) ?? {};
    if (JSON.stringify(payload) === JSON.stringify(e.payload)) whole.push(e);
    entries.push({
      seq: e.seq,
      eventId: e.eventId,
      type: e.type,
      eventTime: e.eventTime,
      recordTime: e.recordTime,
      reportedBy: e.orgId,
      late: e.late,
      payload,
      correctedBy: correctedBy.get(e.eventId) ?? null,
    });
  }
  return { entries, whole, classes: [...seen].sort() };
}
