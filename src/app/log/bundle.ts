/** A robot's offline proof bundle: its events, their salts and inclusion proofs, and one signed checkpoint. */
import { BUNDLE_FORMAT, type ProofBundle } from '../../log/bundle.js';
import { recordText } from '../../log/leaf.js';
import type { AppContext, Caller } from '../context.js';
import { readHistory } from '../robots.js';
import { checkpointCovering, checkpointNote } from './checkpoints.js';
import { inclusionProofAt } from './tree.js';

/**
 * For whoever may read the robot's history: the events the caller sees whole (a record cut down could not be
 * checked against its commitment), so a service provider's bundle holds the service events, not the sale. The
 * checkpoint covers every event (checkpointCovering).
 */
export async function robotBundle(ctx: AppContext, caller: Caller, robotId: string): Promise<ProofBundle> {
  const { id, whole: events } = await readHistory(ctx, caller, robotId);
  const lastLeaf = events.length > 0 ? events[events.length - 1]!.seq : 0;
  const covering = await checkpointCovering(ctx, lastLeaf);
  const size = covering.size;
  const proofs = await ctx.store.read((r) =>
    Promise.all(events.map((e) => inclusionProofAt(r, e.seq - 1, size))),
  );
  return {
    format: BUNDLE_FORMAT,
    robotId: id.canonical,
    checkpoint: (await checkpointNote(ctx, size)) ?? covering.note,
    events: events.map((e, i) => ({
      leafIndex: e.seq - 1,
      record: recordText(e),
      salt: e.salt.toString('base64'),
      proof: proofs[i]!.map((h) => h.toString('base64')),
    })),
  };
}
