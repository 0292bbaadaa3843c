import { hash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../../lib/canonical-json.js';
import { DomainError, describeIssue } from '../../domain/errors.js';
import { parseRobotId } from '../../domain/id/index.js';
import { utcText } from '../../domain/time.js';
import type { EventType } from '../../domain/lifecycle/events.js';
import { shapeIssues, type IncomingEventShape } from '../event-schemas.js';
import { rejected, rejectedBy, type EventResult } from './results.js';

/**
 * An event whose shape, robot ID and time are valid, with its canonical JSON and hash: ready for the state
 * machine. Flat strings, so that a batch crosses to the writer thread as cheaply as it can (a copied string
 * costs a fraction of a copied object tree).
 */
export interface PreparedEvent {
  index: number;
  eventId: string;
  /** The client chose the event id (so it may have been used before); otherwise the registry made it up now. */
  clientEventId: boolean;
  type: EventType;
  robotId: string;
  eventTime: string;
  /** The payload's canonical JSON (RFC 8785): what is hashed and what is stored. */
  payloadJson: string;
  /** SHA-256 of the canonical JSON of the event without its id, in hex. */
  contentHash: string;
}

/** Each event prepared, or its rejection. */
export type Prepared = { ok: true; prepared: PreparedEvent } | { ok: false; result: EventResult };

/**
 * Everything about a batch that needs no database: shape, ID codec, normalised time, canonical hash. Pure CPU,
 * so it can run beside the writer (on another thread) instead of inside its transaction. `first`: the index of the
 * first of `raw` in its capture (a chunk of a streamed one: its places are the capture's, `/events/<index>`).
 */
export function prepareEvents(raw: unknown[], first = 0): Prepared[] {
  return raw.map((item, i) => prepareEvent(item, first + i));
}

function prepareEvent(raw: unknown, index: number): Prepared {
  const at = `/events/${index}`;
  const clientId = (raw as { eventId?: unknown })?.eventId;
  const eventId = typeof clientId === 'string' ? clientId : null;
  const issues = shapeIssues(raw, at);
  if (issues.length > 0) {
    const problem = {
      kind: 'invalid' as const,
      code: 'invalid-event',
      message: describeIssue(issues[0]!),
      fields: issues,
    };
    return { ok: false, result: rejected(index, eventId, problem) };
  }
  const incoming = raw as IncomingEventShape;
  try {
    const robotId = parseRobotId(incoming.robotId, `${at}/robotId`).canonical;
    const eventTime = utcText(incoming.eventTime);
    const payloadJson = canonicalJson(incoming.payload);
    const prepared: PreparedEvent = {
      index,
      eventId: incoming.eventId ?? `urn:uuid:${randomUUID()}`,
      clientEventId: eventId !== null,
      type: incoming.type,
      robotId,
      eventTime,
      payloadJson,
      contentHash: hash('sha256', canonicalContent(incoming.type, robotId, eventTime, payloadJson), 'hex'),
    };
    return { ok: true, prepared };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { ok: false, result: rejectedBy(error, index, eventId) };
  }
}

/**
 * The canonical JSON of an event's content (everything but its id) from its payload's canonical JSON: the same
 * text as canonicalising `{ type, robotId, eventTime, payload }`, whose members sort as written here, without
 * walking the payload twice.
 */
export function canonicalContent(type: string, robotId: string, eventTime: string, payloadJson: string) {
  const text = JSON.stringify;
  return `{"eventTime":${text(eventTime)},"payload":${payloadJson},"robotId":${text(robotId)},"type":${text(type)}}`;
}
