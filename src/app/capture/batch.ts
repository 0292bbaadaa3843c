import type { RobotStatus } from '../../domain/lifecycle/status.js';
import type { NewEvent, SerialisedPart, Tx } from '../../store/store.js';
import { isoNow, type Actor, type AppContext } from '../context.js';
import { OrganisationRoles } from './organisation-roles.js';
import { PartsInBatch, serialisedPartsFitted } from './parts-in-batch.js';
import type { Prepared } from './prepare.js';
import { ReportedEvents } from './reported-events.js';
import type { EventResult } from './results.js';
import { RobotStates, type RobotState } from './robot-states.js';
import type { LogStamp } from './stamp.js';

/**
 * One capture inside its transaction: what its events have read and what it will write. Its events are checked
 * and taken one by one (take-event.ts), then what was accepted is written (write-accepted.ts). A streamed capture
 * comes in chunks: each is read ahead (readAhead), taken and written in turn, in the one transaction.
 */
export interface Batch {
  readonly ctx: AppContext;
  readonly tx: Tx;
  readonly actor: Actor;
  /** The stamp of the chunk being taken (each chunk of a streamed capture has its own, with one record time). */
  stamp: LogStamp | undefined;
  /** One for the whole batch: the stamp's, else now. */
  readonly recordTime: string;
  readonly reported: ReportedEvents;
  readonly robots: RobotStates;
  readonly organisations: OrganisationRoles;
  readonly parts: PartsInBatch;
  /** The events accepted so far, in order. */
  readonly accepted: NewEvent[];
  /** The robot's status before and after each accepted event (same index as `accepted`). */
  readonly transitions: { before: RobotStatus; after: RobotStatus }[];
  /** Results of events sent twice in this batch, and the accepted event each repeats (its seq is known at write). */
  readonly duplicates: { result: EventResult; of: NewEvent }[];
  /** What is written so far: the seqs of the first accepted events, and how many part changes and duplicates. */
  readonly written: { seqs: number[]; partChanges: number; duplicates: number };
}

/**
 * A batch for these events, with what they will ask for read at once: the robots' snapshots (or, for robots
 * without events yet, their issuance) and where the serialised parts they fit are now. On a database server a
 * round trip per robot and per part would be most of a batch's time.
 */
export async function openBatch(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  stamp: LogStamp | undefined,
  items: Prepared[],
): Promise<Batch> {
  const batch: Batch = {
    ctx,
    tx,
    actor,
    stamp,
    recordTime: stamp?.recordTime ?? isoNow(ctx),
    reported: new ReportedEvents(),
    robots: new RobotStates(tx),
    organisations: new OrganisationRoles(tx),
    parts: new PartsInBatch(tx),
    accepted: [],
    transitions: [],
    duplicates: [],
    written: { seqs: [], partChanges: 0, duplicates: 0 },
  };
  return readAhead(batch, items, stamp);
}

/**
 * Makes the batch ready for these events (the first chunk, or the next of a streamed capture, with its stamp): reads
 * at once what they will ask for that the batch has not read yet.
 */
export async function readAhead(
  batch: Batch,
  items: Prepared[],
  stamp: LogStamp | undefined,
): Promise<Batch> {
  batch.stamp = stamp;
  const ids = new Set<string>();
  const parts: SerialisedPart[] = [];
  for (const item of items) {
    if (!item.ok) continue;
    ids.add(item.prepared.robotId);
    parts.push(...serialisedPartsFitted(batch.reported.of(item.prepared)));
  }
  await batch.robots.prefetch(ids);
  await batch.parts.prefetch(parts);
  return batch;
}

/** Records an accepted event: to be written, and the robot's new status for the batch's next events. */
export function noteAccepted(batch: Batch, robot: RobotState, stored: NewEvent, after: RobotStatus): void {
  batch.accepted.push(stored);
  batch.transitions.push({ before: robot.status, after });
  robot.pending.push(stored);
  robot.status = after;
}
