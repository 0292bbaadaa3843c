import {
  isReplayed,
  replayStep,
  statusAfterCorrection,
  voidedByCorrection,
  type ReplayStep,
} from '../../domain/lifecycle/corrections.js';
import type { ReportedEvent } from '../../domain/lifecycle/events.js';
import type { Outcome } from '../../domain/lifecycle/machine.js';
import type { Batch } from './batch.js';
import type { RobotState } from './robot-states.js';

/**
 * A correction declares an earlier event erroneous: reads the robot's history and the roles of those who reported
 * it, for the rules in src/domain/lifecycle/corrections.ts to rebuild the status without that event.
 */
export async function correct(
  batch: Batch,
  robot: RobotState,
  event: Extract<ReportedEvent, { type: 'corrected' }>,
  now: Date,
  at: string,
): Promise<Outcome> {
  const { robotId } = robot;
  const { correctsEventId } = event.payload;
  const history = [...(await batch.tx.listEvents(robotId)), ...robot.pending];
  const voided = voidedByCorrection(robotId, history, correctsEventId, batch.actor, at);
  const steps: ReplayStep[] = [];
  for (const past of history) {
    if (!isReplayed(past, voided)) continue;
    const roles = (await batch.organisations.of(past.orgId)) ?? new Set<string>();
    steps.push(replayStep(robotId, past, roles, now));
  }
  return statusAfterCorrection(robot.status, correctsEventId, steps);
}
