/** A robot's offline proof bundle: its events, their salts and inclusion proofs, its heads, one signed checkpoint. */
import { DomainError } from '../../domain/errors.js';
import { BUNDLE_FORMAT, bundleHeads, type BundleEvent, type ProofBundle } from '../../log/bundle.js';
import { parseCheckpoint } from '../../log/checkpoint.js';
import { headsRootOf, mapKey, provenHead, verifyMapProof } from '../../log/heads-map.js';
import { commitment, recordText } from '../../log/leaf.js';
import type { Reader, StoredEvent } from '../../store/store.js';
import type { AppContext, Caller } from '../context.js';
import { readHistory } from '../robots.js';
import { checkpointCovering, checkpointNote } from './checkpoints.js';
import { robotHeadsProof } from './heads.js';
import { inclusionProofAt } from './tree.js';

/** Tries before giving up when events or checkpoints keep arriving between the reads a bundle needs. */
const ATTEMPTS = 3;

/**
 * For whoever may read the robot's history. Every event of the robot is in it, so that it proves the history
 * complete; the events the caller does not see whole (a record cut down could not be checked against its
 * commitment) only as their public leaf, so a service provider's bundle shows the service events, and that a
 * sale happened in between, not the sale. The checkpoint is the latest (signed now if the robot's last event is
 * newer), whose heads map is the one stored.
 */
export async function robotBundle(ctx: AppContext, caller: Caller, robotId: string): Promise<ProofBundle> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const bundle = await tryBundle(ctx, caller, robotId, attempt === ATTEMPTS);
    if (bundle) return bundle;
  }
  throw new DomainError(
    'unavailable',
    'log-busy',
    'the robot’s history kept changing while it was read: try again',
  );
}

/**
 * A bundle, or null when the history, the checkpoint and the heads map read were not of one moment. `onPrimary`:
 * read under the writers' lock, where no checkpoint can be signed meanwhile and no replica lags.
 */
async function tryBundle(
  ctx: AppContext,
  caller: Caller,
  robotId: string,
  onPrimary: boolean,
): Promise<ProofBundle | null> {
  const { id, events, whole } = await readHistory(ctx, caller, robotId);
  const lastLeaf = events.length > 0 ? events[events.length - 1]!.seq : 0;
  const covering = await checkpointCovering(ctx, lastLeaf);
  const size = covering.size;
  const read = <T>(f: (r: Reader) => Promise<T>) => (onPrimary ? ctx.store.write(f) : ctx.store.read(f));
  const { proofs, heads, latest } = await read(async (r) => ({
    latest: await r.latestCheckpoint(),
    heads: await robotHeadsProof(r, id.canonical),
    proofs: await Promise.all(events.map((e) => inclusionProofAt(r, e.seq - 1, size))),
  }));
  const root = headsRootOf(
    parseCheckpoint(covering.note.slice(0, covering.note.indexOf('\n\n') + 1)).extensions,
  );
  if (latest?.size !== size || !root) return null;
  try {
    verifyMapProof(root, mapKey(id.canonical), heads);
  } catch {
    return null; // a checkpoint was signed between the reads: its map is not the checkpoint's
  }
  if ((provenHead(mapKey(id.canonical), heads)?.count ?? 0) !== events.length) return null;
  const shown = new Set(whole.map((e) => e.seq));
  return {
    format: BUNDLE_FORMAT,
    robotId: id.canonical,
    checkpoint: (await checkpointNote(ctx, size)) ?? covering.note,
    events: events.map((e, i) => bundleEvent(e, shown.has(e.seq), proofs[i]!)),
    heads: bundleHeads(id.canonical, heads),
  };
}

function bundleEvent(e: StoredEvent, whole: boolean, proof: Buffer[]): BundleEvent {
  const common = { leafIndex: e.seq - 1, leaf: e.leaf, proof: proof.map((h) => h.toString('base64')) };
  return whole
    ? { ...common, record: recordText(e), salt: e.salt.toString('base64') }
    : { ...common, commitment: commitment(e.salt, recordText(e)).toString('base64') };
}
