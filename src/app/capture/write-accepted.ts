import type { Batch } from './batch.js';
import { recordDerived } from './derived.js';
import type { EventResult } from './results.js';

/**
 * Writes the events accepted since the last write (in order), each robot they touched with its status as the batch
 * has left it, software and component changes; fills in the seq of `results` (the results of the events taken
 * since) and of the duplicates known so far. A capture is written in one go, a streamed one chunk by chunk, in one
 * transaction; what is derived from its events is recorded once all are written (recordDerivedOfBatch).
 */
export async function writeAccepted(batch: Batch, results: EventResult[]): Promise<void> {
  const { tx, written } = batch;
  const fresh = batch.accepted.slice(written.seqs.length);
  if (fresh.length > 0) {
    const seqs = await tx.insertEvents(fresh);
    written.seqs.push(...seqs);
    let next = 0;
    for (const result of results) if (result.outcome === 'accepted') result.seq = seqs[next++];
    await writeRobots(batch, fresh, seqs);
  }
  for (const { result, of } of batch.duplicates.slice(written.duplicates))
    result.seq = written.seqs[batch.accepted.indexOf(of)];
  written.duplicates = batch.duplicates.length;
}

/** Each robot the fresh events touched: its status after them, its software if changed, its component changes. */
async function writeRobots(batch: Batch, fresh: Batch['accepted'], seqs: number[]): Promise<void> {
  const { tx, written } = batch;
  const lastSeq = new Map<string, number>();
  fresh.forEach((e, i) => lastSeq.set(e.robotId, seqs[i]!));
  const touched = [...lastSeq].map(([robotId, seq]) => ({ robot: batch.robots.peek(robotId)!, seq }));
  // Written: from now on they are the robot's stored events (a later chunk of a streamed capture reads them there).
  for (const { robot } of touched) {
    robot.pending = [];
    robot.hadEvents = true;
  }
  await tx.putRobotStatuses(
    touched.map(({ robot, seq }) => ({ robotId: robot.robotId, status: robot.status, lastSeq: seq })),
  );
  const newSoftware = touched.filter(({ robot }) => robot.softwareChanged);
  await tx.putSoftware(
    newSoftware.map(({ robot }) => ({ robotId: robot.robotId, software: robot.status.software })),
  );
  for (const { robot } of newSoftware) robot.softwareChanged = false; // written: a later chunk writes its own
  const changes = batch.parts.changes.slice(written.partChanges);
  await tx.recordComponentChanges(
    changes.map((c) => ({
      robotId: c.robotId,
      seq: written.seqs[c.acceptedIndex]!,
      fitted: c.fitted,
      removed: c.removed,
    })),
  );
  written.partChanges = batch.parts.changes.length;
}

/** What is derived from the batch's events (derived.ts), once they are all written. */
export async function recordDerivedOfBatch(batch: Batch): Promise<void> {
  const { accepted, transitions, written } = batch;
  if (accepted.length === 0) return;
  await recordDerived(
    batch.tx,
    batch.ctx,
    accepted.map((event, i) => ({ event, seq: written.seqs[i]!, ...transitions[i]! })),
  );
}
