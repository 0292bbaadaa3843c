/**
 * The URIs the registry writes into EPCIS for what is not a robot (identifiers.ts names robots): events,
 * organisations, places, orders, certificates and parts. All are URNs under `urn:robotid:` so that they do not
 * change with the registry's address; each part after the kind is percent-encoded (RFC 8141 allows it), so any
 * text the registry holds makes a valid URI and reads back exactly.
 */

export type UrnKind =
  'org' | 'region' | 'country' | 'order' | 'recall' | 'certificate' | 'event' | 'part' | 'lot' | 'part-class';

export const urn = (kind: UrnKind, ...parts: string[]): string =>
  `urn:robotid:${kind}:${parts.map(encodeURIComponent).join(':')}`;

/** The decoded parts of a registry URN of this kind, or undefined when the URI is not one (or not `arity` parts). */
export function urnParts(uri: string, kind: UrnKind, arity = 1): string[] | undefined {
  const prefix = `urn:robotid:${kind}:`;
  if (uri.slice(0, prefix.length).toLowerCase() !== prefix) return undefined;
  const parts = uri.slice(prefix.length).split(':');
  if (parts.length !== arity || parts.some((p) => p === '')) return undefined;
  try {
    return parts.map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** An organisation as EPCIS names it (parties in sourceList/destinationList): its registry id, as the API shows it. */
export const organisationUri = (orgId: string) => urn('org', orgId);
export const organisationIdOf = (uri: string) => urnParts(uri, 'org')?.[0];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * A stored event's EPCIS eventID: `urn:uuid:` for a UUID; the id itself when it is already a URI (an event captured
 * through EPCIS keeps the eventID it came with, e.g. its event hash); else a URN with the robot, because a client's
 * event ids are unique per robot only.
 */
export function eventUri(robotId: string, eventId: string): string {
  if (UUID.test(eventId)) return `urn:uuid:${eventId}`;
  if (HAS_SCHEME.test(eventId)) return eventId;
  return urn('event', robotId, eventId);
}

/** The parts fitted or removed by a stored event, an AssociationEvent of their own: its eventID. */
export const partsEventUri = (robotId: string, eventId: string, change: PartsChange): string =>
  `${urn('event', robotId, eventId)}:${change}`;
export type PartsChange = 'fitted' | 'removed';

/**
 * The stored (robot, event id) pairs an eventID may name: exactly one for the registry's URN (the parts events of
 * a stored event name it too); for anything else the id as given and, for `urn:uuid:`, the bare UUID (eventUri
 * wrote either as the same URI).
 */
export function eventIdsOf(uri: string): { robotId?: string; eventId: string }[] {
  const own = urnParts(uri, 'event', 2);
  if (own) return [{ robotId: own[0], eventId: own[1]! }];
  const parts = urnParts(uri, 'event', 3);
  if (parts && (parts[2] === 'fitted' || parts[2] === 'removed'))
    return [{ robotId: parts[0], eventId: parts[1]! }];
  const ids = [{ eventId: uri }];
  if (/^urn:uuid:/i.test(uri) && UUID.test(uri.slice(9))) ids.push({ eventId: uri.slice(9) });
  return ids;
}

/** A part as EPCIS names it: an instance by part number and serial, else its lot (a class), else its part number. */
export interface PartRef {
  partNumber: string;
  serial?: string;
  lot?: string;
}
export type PartUri = { epc: string } | { epcClass: string };

export function partUri(p: PartRef): PartUri {
  if (p.serial !== undefined) return { epc: urn('part', p.partNumber, p.serial) };
  if (p.lot !== undefined) return { epcClass: urn('lot', p.partNumber, p.lot) };
  return { epcClass: urn('part-class', p.partNumber) };
}

/** The part a registry part URI names; undefined for any other URI (a GS1 key is resolved elsewhere). */
export function partOf(uri: string): PartRef | undefined {
  const serial = urnParts(uri, 'part', 2);
  if (serial) return { partNumber: serial[0]!, serial: serial[1]! };
  const lot = urnParts(uri, 'lot', 2);
  if (lot) return { partNumber: lot[0]!, lot: lot[1]! };
  const cls = urnParts(uri, 'part-class');
  return cls ? { partNumber: cls[0]! } : undefined;
}

/**
 * The id under which an EPCIS eventID about `robotId` (canonical) is stored: the client's id when it is the
 * registry's URN of this robot's event, else the URI itself (as the registry's own ids, `urn:uuid:…`, are). So an
 * exported event captured again is stored under the id it had and exported again under the same eventID; only a
 * client's bare UUID comes back as its `urn:uuid:` (eventUri writes both alike).
 */
export function storedEventIdOf(uri: string, robotId: string): string {
  const own = urnParts(uri, 'event', 2);
  return own && own[0] === robotId ? own[1]! : uri;
}
