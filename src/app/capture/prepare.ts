import { hash, randomUUID } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import { DomainError } from '../../domain/errors.js';
import { parseRobotId } from '../../domain/id/index.js';
import type { ReportedEvent } from '../../domain/lifecycle/events.js';
import { shapeIssues, type IncomingEventShape } from '../event-schemas.js';
import { rejected, rejectedBy, type EventResult } from './results.js';

/** An event whose shape, robot ID and time are valid, with its content hash: ready for the state machine. */
export interface PreparedEvent {
  index: number;
  event: ReportedEvent;
  /** The client chose the event id (so it may have been used before); otherwise the registry made it up now. */
  clientEventId: boolean;
  contentHash: Buffer;
}

/** Each event prepared, or its rejection. */
export type Prepared = { ok: true; prepared: PreparedEvent } | { ok: false; result: EventResult };

/**
 * Everything about a batch that needs no database: shape, ID codec, normalised time, canonical hash. Pure CPU,
 * so it can run beside the writer (on another thread) instead of inside its transaction.
 */
export function prepareEvents(raw: unknown[]): Prepared[] {
  return raw.map((item, index) => prepareEvent(item, index));
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
      message: issues[0]!.message,
      fields: issues,
    };
    return { ok: false, result: rejected(index, eventId, problem) };
  }
  const incoming = raw as IncomingEventShape;
  try {
    const event = {
      eventId: incoming.eventId ?? `urn:uuid:${randomUUID()}`,
      type: incoming.type,
      robotId: parseRobotId(incoming.robotId, `${at}/robotId`).canonical,
      eventTime: new Date(incoming.eventTime).toISOString(),
      payload: incoming.payload,
    } as ReportedEvent;
    const prepared = { index, event, clientEventId: eventId !== null, contentHash: hashContent(event) };
    return { ok: true, prepared };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { ok: false, result: rejectedBy(error, index, eventId) };
  }
}

// The package is CommonJS (`module.exports = fn`) but its types declare a default export.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/** SHA-256 of the event's canonical JSON (RFC 8785): the same event, however its JSON was laid out. */
export function hashContent(event: ReportedEvent): Buffer {
  const { eventId: _ignored, ...content } = event;
  return hash('sha256', canonicalize(content)!, 'buffer');
}
