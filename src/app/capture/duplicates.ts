import { DomainError } from '../../domain/errors.js';
import type { NewEvent, StoredEvent } from '../../store/store.js';
import type { Batch } from './batch.js';
import type { EventResult } from './results.js';

export const eventIdReused = (eventId: string, at: string) =>
  new DomainError(
    'conflict',
    'event-id-reused',
    `event id ${eventId} was used before for different content`,
    [{ field: `${at}/eventId`, message: 'already used with other content' }],
  );

/**
 * The robot's event with this id: accepted earlier in this batch, else before it; null when none. A robot the batch
 * read without events (RobotState.hadEvents) is not asked for (most of a batch of new robots' first events).
 */
export async function findEarlier(
  batch: Batch,
  robotId: string,
  eventId: string,
): Promise<NewEvent | StoredEvent | null> {
  const robot = batch.robots.peek(robotId);
  const inBatch = robot?.pending.find((e) => e.eventId === eventId);
  if (inBatch) return inBatch;
  return robot && !robot.hadEvents ? null : await batch.tx.findEvent(robotId, eventId);
}

/** The same event sent again answers as the first time; the same id with other content is a conflict. */
export function duplicateOf(
  batch: Batch,
  earlier: NewEvent | StoredEvent,
  contentHash: Buffer,
  index: number,
  at: string,
): EventResult {
  if (!earlier.contentHash.equals(contentHash)) throw eventIdReused(earlier.eventId, at);
  const result: EventResult = {
    index,
    eventId: earlier.eventId,
    outcome: 'duplicate',
    recordTime: earlier.recordTime,
    late: earlier.late,
  };
  if ('seq' in earlier) result.seq = earlier.seq;
  else batch.duplicates.push({ result, of: earlier }); // its seq is known at write
  return result;
}
