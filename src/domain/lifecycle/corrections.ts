/**
 * Corrections (EPCIS errorDeclaration). An event is never edited: a `corrected` event declares an earlier one
 * erroneous. It is no transition of the table (`applyEvent` refuses it): the robot's status is rebuilt by replaying
 * its history without the corrected event. These are the rules: what may be corrected, by whom, how often, and
 * what the replay must give. The registry reads the history and the reporters' roles; these decide.
 */
import { DomainError } from '../errors.js';
import type { CorrectedPayload, EventType, ReportedEvent, Reporter } from './events.js';
import { replay, type MachineContext, type Outcome } from './machine.js';
import type { RobotStatus } from './status.js';

/** An event of the robot's history: accepted before, or earlier in the same batch. */
export interface PastEvent {
  eventId: string;
  type: EventType;
  orgId: string;
  keyId: string;
  eventTime: string;
  payload: unknown;
}

/** Only the organisation that reported an event, or a regulator, may correct it. */
export const mayCorrect = (target: PastEvent, reporter: Pick<Reporter, 'orgId' | 'roles'>): boolean =>
  target.orgId === reporter.orgId || reporter.roles.has('regulator');

/** The events of a history this reporter could correct now: its own (or any, for a regulator), not corrected yet. */
export function correctableEvents<E extends PastEvent>(
  history: readonly E[],
  reporter: Pick<Reporter, 'orgId' | 'roles'>,
): E[] {
  const voided = new Set(
    history.filter((e) => e.type === 'corrected').map((e) => (e.payload as CorrectedPayload).correctsEventId),
  );
  return history.filter((e) => e.type !== 'corrected' && !voided.has(e.eventId) && mayCorrect(e, reporter));
}

/**
 * The events a correction leaves out of the robot's history: those corrected before and the one it corrects. It
 * is refused when it names no event of this robot, or a correction (`unknown-event`); when the reporter may not
 * correct that event (`not-permitted`, see `mayCorrect`); and when that event was corrected already
 * (`already-corrected`), in this order. `at`: the correction's place in the request (e.g. `/events/3`).
 */
export function voidedByCorrection(
  robotId: string,
  history: readonly PastEvent[],
  correctsEventId: string,
  reporter: Pick<Reporter, 'orgId' | 'roles'>,
  at: string,
): Set<string> {
  const field = `${at}/payload/correctsEventId`;
  const target = history.find((e) => e.eventId === correctsEventId);
  if (!target || target.type === 'corrected') {
    throw new DomainError(
      'invalid',
      'unknown-event',
      `robot ${robotId} has no event ${correctsEventId} to correct`,
      [{ field, message: 'no such event of this robot' }],
    );
  }
  if (!mayCorrect(target, reporter)) {
    throw new DomainError(
      'forbidden',
      'not-permitted',
      'only the organisation that reported an event, or a regulator, may correct it',
      [{ field, message: 'not yours to correct' }],
    );
  }
  const voided = new Set(
    history.filter((e) => e.type === 'corrected').map((e) => (e.payload as CorrectedPayload).correctsEventId),
  );
  if (voided.has(correctsEventId))
    throw new DomainError('conflict', 'already-corrected', `event ${correctsEventId} was corrected already`, [
      { field, message: 'corrected already' },
    ]);
  voided.add(correctsEventId);
  return voided;
}

/** Whether the replay after a correction applies this past event: corrections and what they void are left out. */
export const isReplayed = (event: PastEvent, voided: ReadonlySet<string>): boolean =>
  event.type !== 'corrected' && !voided.has(event.eventId);

/** One step of the replay: a past event and how the state machine is to take it. */
export interface ReplayStep {
  event: ReportedEvent;
  ctx: MachineContext;
}

/**
 * A past event as the replay applies it: reported by its organisation with the roles that organisation holds
 * now (`roles`), and authorised for service (that was checked when the event was accepted).
 */
export function replayStep(
  robotId: string,
  past: PastEvent,
  roles: ReadonlySet<string>,
  now: Date,
): ReplayStep {
  return {
    event: {
      eventId: past.eventId,
      type: past.type,
      robotId,
      eventTime: past.eventTime,
      payload: past.payload,
    } as ReportedEvent,
    ctx: { reporter: { orgId: past.orgId, keyId: past.keyId, roles }, authorisedForService: true, now },
  };
}

/**
 * The robot's status once the correction is accepted: the replay of the rest of its history from its issuance,
 * keeping the latest event time (later reports may still not go back before it) and counting the correction as
 * an event. When an event of the replay no longer holds, the correction is refused (`correction-breaks-history`).
 */
export function statusAfterCorrection(
  status: RobotStatus,
  correctsEventId: string,
  steps: ReplayStep[],
): Outcome {
  const outcome = replay(status.manufacturerId, steps);
  if (!outcome.ok) {
    const broken = steps[outcome.index ?? 0]?.event.eventId;
    return {
      ok: false,
      rejection: {
        ...outcome.rejection,
        code: 'correction-breaks-history',
        message: `without ${correctsEventId}, event ${broken} no longer holds: ${outcome.rejection.message}; correct it first or in the same batch`,
      },
    };
  }
  const lastEventTime = status.lastEventTime;
  return {
    ok: true,
    status: { ...outcome.status, lastEventTime, eventCount: status.eventCount + 1 },
  };
}
