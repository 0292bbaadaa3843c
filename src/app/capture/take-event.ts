import { DomainError } from '../../domain/errors.js';
import { assertCounterparty, hasCounterparty } from '../../domain/lifecycle/counterparties.js';
import type { Reporter } from '../../domain/lifecycle/events.js';
import { applyEvent, type MachineContext } from '../../domain/lifecycle/machine.js';
import { needsServiceAuthorisation } from '../../domain/lifecycle/rules.js';
import { sameSoftware, type Rejection } from '../../domain/lifecycle/status.js';
import { assertRecallAllowsReinstatement } from '../recalls/stop-use.js';
import { noteAccepted, type Batch } from './batch.js';
import { correct } from './correction.js';
import { duplicateOf, eventIdReused, findEarlier } from './duplicates.js';
import type { Prepared, PreparedEvent } from './prepare.js';
import { rejectedBy, type EventResult } from './results.js';
import type { RobotState } from './robot-states.js';
import { storedEvent } from './stored-event.js';

/** Checks one event of the batch against the robot as the batch left it, and accepts it or says why not. */
export async function takeEvent(batch: Batch, item: Prepared): Promise<EventResult> {
  if (!item.ok) return item.result;
  const { index, eventId } = item.prepared;
  try {
    return await takeValid(batch, item.prepared, `/events/${index}`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return rejectedBy(error, index, eventId);
  }
}

/** The checks in their order (the first refusal is the answer), then the acceptance. */
async function takeValid(batch: Batch, prepared: PreparedEvent, at: string): Promise<EventResult> {
  const { index, robotId } = prepared;
  const { actor } = batch;
  const event = batch.reported.of(prepared);
  const contentHash = Buffer.from(prepared.contentHash, 'hex');
  // An id the registry made up now cannot have been used before; only a client's own id needs the lookup.
  const earlier = prepared.clientEventId ? await findEarlier(batch, robotId, event.eventId) : null;
  if (earlier && earlier.orgId === actor.orgId) return duplicateOf(batch, earlier, contentHash, index, at);

  const known = batch.robots.peek(robotId);
  const robot = known !== undefined ? known : await batch.robots.load(robotId);
  if (!robot)
    throw new DomainError('not_found', 'robot-not-found', `no robot ${robotId} has been issued`, [
      { field: `${at}/robotId`, message: 'not issued' },
    ]);
  // Most events need neither lookup: the checks below are asked for only when they apply (no promise to await).
  if (hasCounterparty(event))
    assertCounterparty(event, await batch.organisations.of(event.payload.toOrgId), at);
  const reporter: Reporter = { orgId: actor.orgId, keyId: actor.keyId, roles: actor.roles };
  const authorisedForService = needsServiceAuthorisation(event.type, robot.status, actor.orgId)
    ? await authorisedThenAndNow(batch, robot, event.eventTime)
    : false;
  const machine: MachineContext = { reporter, authorisedForService, now: batch.ctx.now() };
  const outcome =
    event.type === 'corrected'
      ? await correct(batch, robot, event, machine.now, at)
      : applyEvent(robot.status, event, machine);
  if (!outcome.ok) throw fromRejection(outcome.rejection, at);
  // Another organisation's event id is named only to a caller who may write this robot (and so read its
  // history): one who may not hears what an unused id would get, so that ids cannot be probed.
  if (earlier) throw eventIdReused(earlier.eventId, at);
  if (event.type === 'reinstated')
    await assertRecallAllowsReinstatement(
      batch.tx,
      robotId,
      event.payload.orderNumber,
      `${at}/payload/orderNumber`,
    );

  // A robot read without events, none of them accepted in this batch yet: its leaf links to none (no lookup).
  const firstOfRobot = !robot.hadEvents && robot.pending.length === 0;
  const stored = storedEvent(batch, prepared, event, contentHash, firstOfRobot);
  const after = outcome.status;
  // Set before the parts are checked, as it always was: a refusal there leaves it set, which costs at most a
  // rewrite of the software the robot has. The same software again (none before and after, mostly) is none to write.
  if (!sameSoftware(after.software, robot.status.software)) robot.softwareChanged = true;
  const parts = batch.parts.track(
    robotId,
    robot.status.components,
    after.components,
    batch.accepted.length,
    at,
  );
  if (parts) await parts;
  noteAccepted(batch, robot, stored, after);
  return {
    index,
    eventId: event.eventId,
    outcome: 'accepted',
    recordTime: batch.recordTime,
    late: stored.late,
  };
}

/** Whether the robot's custodian authorised the reporter then (at the event time) and now (at the record time). */
async function authorisedThenAndNow(batch: Batch, robot: RobotState, eventTime: string): Promise<boolean> {
  const custodian = robot.status.custodianId;
  const at = (t: string) => batch.tx.isAuthorisedForService(robot.robotId, batch.actor.orgId, custodian, t);
  return (await at(eventTime)) && (await at(batch.recordTime));
}

/** A state machine's rejection as the error of the event at `at`. */
function fromRejection(r: Rejection, at: string): DomainError {
  const field = r.field ? `${at}${r.field}` : at;
  return new DomainError(r.kind, r.code, r.message, [{ field, message: r.message }], {
    state: r.state,
    allowed: r.allowed,
  });
}
