import { isLate } from '../../domain/lifecycle/deadlines.js';
import type { ReportedEvent } from '../../domain/lifecycle/events.js';
import { saltSource } from '../../log/leaf.js';
import type { NewEvent } from '../../store/store.js';
import type { Batch } from './batch.js';
import type { PreparedEvent } from './prepare.js';
import { stampOf } from './stamp.js';

const nextSalt = saltSource();

/**
 * The record an accepted event is stored as. Its late flag, salt and leaf hash come from the batch's stamp
 * (stamp.ts) when it has one; else the flag and salt are made here and the store computes the commitment.
 */
export function storedEvent(
  batch: Batch,
  prepared: PreparedEvent,
  event: ReportedEvent,
  contentHash: Buffer,
  firstOfRobot: boolean,
): NewEvent {
  const { ctx, actor, recordTime, stamp } = batch;
  return {
    robotId: prepared.robotId,
    eventId: event.eventId,
    type: event.type,
    eventTime: event.eventTime,
    recordTime,
    orgId: actor.orgId,
    keyId: actor.keyId,
    payload: event.payload,
    payloadJson: prepared.payloadJson,
    contentHash,
    firstOfRobot,
    ...(stamp
      ? stampOf(stamp, prepared.index)
      : { late: isLate(ctx.deadlines[event.type], event.eventTime, recordTime), salt: nextSalt() }),
  };
}
