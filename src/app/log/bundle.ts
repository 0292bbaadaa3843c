/** A robot's offline proof bundle: its events, their salts and inclusion proofs, and one signed checkpoint. */
import { BUNDLE_FORMAT, type ProofBundle } from '../../log/bundle.js';
import { recordText } from '../../log/leaf.js';
import type { AppContext, Caller } from '../context.js';
import { readHistory } from '../robots.js';
import { checkpointNote, signCheckpoint } from './checkpoints.js';
import { inclusionProofAt } from './tree.js';

/**
 * For whoever may read the robot's history: the events the caller sees whole (a record cut down could not be
 * checked against its commitment), so a service provider's bundle holds the service events, not the sale. The checkpoint is the latest, signed now
 * if the robot's last event came after it, so that every event is covered.
 */
export async function robotBundle(ctx: AppContext, caller: Caller, robotId: string): Promise<ProofBundle> {
  const { id, whole: events } = await readHistory(ctx, caller, robotId);
  const lastLeaf = events.length > 0 ? events[events.length - 1]!.seq : 0;
  let checkpoint = await ctx.store.read((r) => r.latestCheckpoint());
  if (!checkpoint || checkpoint.size < lastLeaf) checkpoint = await signCheckpoint(ctx);
  const size = checkpoint.size;
  const proofs = await ctx.store.read((r) =>
    Promise.all(events.map((e) => inclusionProofAt(r, e.seq - 1, size))),
  );
  return {
    format: BUNDLE_FORMAT,
    robotId: id.canonical,
    checkpoint: (await checkpointNote(ctx, size))!,
    events: events.map((e, i) => ({
      leafIndex: e.seq - 1,
      record: recordText(e),
      salt: e.salt.toString('base64'),
      proof: proofs[i]!.map((h) => h.toString('base64')),
    })),
  };
}
