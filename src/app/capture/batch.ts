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
 * and taken one by one (take-event.ts), then what was accepted is written (write-accepted.ts).
 */
export interface Batch {
  readonly ctx: AppContext;
  readonly tx: Tx;
  readonly actor: Actor;
  readonly stamp: LogStamp | undefined;
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
  };
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
