/**
 * EPCIS names every object an event is about in one list: a shipment of twenty robots is one ObjectEvent whose
 * epcList has twenty EPCs. A lifecycle event is about one robot, so such an event is read as one event per EPC,
 * each a copy naming its EPC alone. The copies keep the event's identity: its eventID, or, when it has none, the
 * CBV 2.0 event hash of the event as it was sent (not of a copy), so that a resent document records nothing twice
 * and EQ_eventID finds what the sender computed. Event ids are unique per robot, so the copies do not collide.
 */
import { eventHashId } from './event-hash.js';
import type { EpcisEventFacts } from './from-epcis.js';

/** Where a copy comes from: the event's place in the document and, for a copy, its EPC's place in epcList. */
export interface CopyOrigin {
  index: number;
  epc?: number;
}

export interface OneRobotEach {
  events: EpcisEventFacts[];
  origins: CopyOrigin[];
}

/** The document's events with each ObjectEvent of several EPCs as one copy per EPC, in order. */
export function oneRobotEach(
  list: readonly EpcisEventFacts[],
  prefixesOf: (index: number) => Readonly<Record<string, string>>,
): OneRobotEach {
  const events: EpcisEventFacts[] = [];
  const origins: CopyOrigin[] = [];
  list.forEach((event, index) => {
    const epcs = event.epcList;
    if (event.type !== 'ObjectEvent' || !Array.isArray(epcs) || epcs.length < 2) {
      events.push(event);
      origins.push({ index });
      return;
    }
    const eventID =
      typeof event.eventID === 'string' ? event.eventID : eventHashId(event, { prefixes: prefixesOf(index) });
    epcs.forEach((epc: unknown, k) => {
      events.push({ ...event, eventID, epcList: [epc] });
      origins.push({ index, epc: k });
    });
  });
  return { events, origins };
}

/** A place under a copy (`/epcList/0…`) as the place under the event it was copied from (`/epcList/<k>…`). */
export function placeInOriginal(field: string, origin: CopyOrigin): string {
  if (origin.epc === undefined) return field;
  return field.replace(/^\/epcList\/0(?=\/|$)/, `/epcList/${origin.epc}`);
}
