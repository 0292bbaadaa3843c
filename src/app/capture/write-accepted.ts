import type { Batch } from './batch.js';
import { recordDerived } from './derived.js';
import type { EventResult } from './results.js';

/**
 * Writes the accepted events (in order), each touched robot's new status, software and component changes, and what
 * is derived from the events (derived.ts); fills in the seq of the results that have one.
 */
export async function writeAccepted(batch: Batch, results: EventResult[]): Promise<void> {
  const { tx, accepted } = batch;
  if (accepted.length === 0) return;
  const seqs = await tx.insertEvents(accepted);
  const lastSeq = new Map<string, number>();
  accepted.forEach((e, i) => lastSeq.set(e.robotId, seqs[i]!));
  let next = 0;
  for (const result of results) if (result.outcome === 'accepted') result.seq = seqs[next++];
  for (const { result, of } of batch.duplicates) result.seq = seqs[accepted.indexOf(of)];
  const touched = [...lastSeq].map(([robotId, seq]) => ({ robot: batch.robots.peek(robotId)!, seq }));
  await tx.putRobotStatuses(
    touched.map(({ robot, seq }) => ({ robotId: robot.robotId, status: robot.status, lastSeq: seq })),
  );
  await tx.putSoftware(
    touched
      .filter(({ robot }) => robot.softwareChanged)
      .map(({ robot }) => ({ robotId: robot.robotId, software: robot.status.software })),
  );
  await tx.recordComponentChanges(
    batch.parts.changes.map((c) => ({
      robotId: c.robotId,
      seq: seqs[c.acceptedIndex]!,
      fitted: c.fitted,
      removed: c.removed,
    })),
  );
  await recordDerived(
    tx,
    batch.ctx,
    accepted.map((event, i) => ({ event, seq: seqs[i]!, ...batch.transitions[i]! })),
  );
}
