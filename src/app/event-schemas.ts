/**
 * The shape of every lifecycle event and its payload (domain/lifecycle/payloads.ts), by type, compiled once. Checked
 * per event inside a batch (not by the route), so that in "proceed" mode one malformed event rejects only itself.
 */
import { Type } from 'typebox';
import type { ValidateFunction } from 'ajv';
import { describeIssue, invalid, type FieldIssue } from '../domain/errors.js';
import { EVENT_TYPES, type EventType } from '../domain/lifecycle/events.js';
import { Closed, DateTime, Enum, PAYLOAD_SCHEMAS } from '../domain/lifecycle/payloads.js';
import { fieldIssues, strictAjv } from './validation.js';

/** One event as a client sends it; `robotId` may be in any of the ID's three forms. */
export const IncomingEvent = Type.Object(
  {
    eventId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$' })),
    type: Enum(EVENT_TYPES),
    robotId: Type.String({ minLength: 1, maxLength: 64 }),
    eventTime: DateTime,
    payload: Type.Object({}, { additionalProperties: true }),
  },
  { ...Closed, $id: 'IncomingEvent' },
);

export interface IncomingEventShape {
  eventId?: string;
  type: EventType;
  robotId: string;
  eventTime: string;
  payload: Record<string, unknown>;
}

const checkEnvelope = strictAjv.compile(IncomingEvent);
const checkPayload = Object.fromEntries(
  EVENT_TYPES.map((t) => [t, strictAjv.compile(PAYLOAD_SCHEMAS[t])]),
) as Record<EventType, ValidateFunction>;

/** The event's shape faults (envelope, then the payload for its type), named under `prefix` (e.g. `/events/3`). */
export function shapeIssues(raw: unknown, prefix: string): FieldIssue[] {
  if (!checkEnvelope(raw)) return fieldIssues(checkEnvelope.errors ?? [], prefix);
  const event = raw as IncomingEventShape;
  const payloadCheck = checkPayload[event.type];
  return payloadCheck(event.payload) ? [] : fieldIssues(payloadCheck.errors ?? [], `${prefix}/payload`);
}

export function assertEventShape(raw: unknown, prefix: string): IncomingEventShape {
  const issues = shapeIssues(raw, prefix);
  if (issues.length > 0) throw invalid('invalid-event', describeIssue(issues[0]!), issues);
  return raw as IncomingEventShape;
}
