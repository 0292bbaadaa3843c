/**
 * What a capture records beside the events themselves, in the same unit of work: safety data derived from the
 * accepted events (incidents, recall tracking) and the notices announcing them. Each recorder gets every event
 * the capture accepted, in order, with the robot's status before and after it; most look only at a few types, so
 * a recorder must return at once when nothing concerns it (this runs on every capture).
 */
import type { RobotStatus } from '../../domain/lifecycle/status.js';
import type { NewEvent, Tx } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { trackRecalls } from '../recalls/tracking.js';
import { announceStopUse } from '../recalls/stop-use.js';
import { recordIncidents } from '../incidents/record.js';

export interface CommittedEvent {
  event: NewEvent;
  seq: number;
  before: RobotStatus;
  after: RobotStatus;
}

export type DerivedRecorder = (tx: Tx, ctx: AppContext, committed: CommittedEvent[]) => Promise<void>;

/** Run in this order after the events are written; a recorder that throws undoes the capture. */
const RECORDERS: DerivedRecorder[] = [trackRecalls, announceStopUse, recordIncidents];

export async function recordDerived(tx: Tx, ctx: AppContext, committed: CommittedEvent[]): Promise<void> {
  for (const record of RECORDERS) await record(tx, ctx, committed);
}
