/**
 * Signing checkpoints. The registry signs a new tree head only after proving, from the stored tree, that it
 * extends the last one it signed: whatever happened to the database, it never signs two inconsistent checkpoints.
 */
import { DomainError } from '../../domain/errors.js';
import { formatCheckpoint, parseCheckpoint, type Checkpoint } from '../../log/checkpoint.js';
import { headsLine, headsRootOf } from '../../log/heads-map.js';
import { openNote, parseVerifierKey, signNote } from '../../log/note.js';
import { ProofError, verifyConsistency } from '../../log/verify.js';
import type { CheckpointRecord, Reader, Tx } from '../../store/store.js';
import { isoNow, type AppContext } from '../context.js';
import { repeatEvery } from '../../lib/repeat.js';
import { advanceHeads } from './heads.js';
import { consistencyProofAt, rootAt } from './tree.js';

/** Throws unless the stored tree of `size` leaves (root `root`) is consistent with the signed checkpoint. */
async function assertExtends(reader: Reader, signed: CheckpointRecord, size: number, root: Buffer) {
  if (signed.size === 0) return;
  try {
    if (size < signed.size)
      throw new ProofError('malformed', `the log shrank from ${signed.size} to ${size} leaves`);
    const proof = await consistencyProofAt(reader, signed.size, size);
    verifyConsistency(signed.size, size, proof, signed.rootHash, root);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DomainError(
      'unavailable',
      'log-inconsistent',
      `the stored log does not extend the checkpoint signed at size ${signed.size} (${reason}): refusing to sign; run robotid audit`,
    );
  }
}

/** `fresh`: signed now; else the latest checkpoint, which covers every leaf already. */
interface Signed {
  checkpoint: CheckpointRecord;
  fresh: boolean;
}

/**
 * Throws unless `signed` carries this registry's own signature. Server processes that share a database must share
 * the key file too: one started with a key of its own would sign checkpoints that no verifier of the published key
 * accepts, interleaved with the others'.
 */
function assertOwnKey(ctx: AppContext, signed: CheckpointRecord): Checkpoint {
  try {
    return parseCheckpoint(openNote(signed.note, [parseVerifierKey(ctx.log.verifierKey)]).text);
  } catch {
    throw new DomainError(
      'unavailable',
      'log-key-mismatch',
      `the checkpoint of size ${signed.size} is not signed by this process's log key (${ctx.log.verifierKey}): ` +
        'every server process on the database must use the same log-signer.key; refusing to sign',
    );
  }
}

async function signIn(ctx: AppContext, tx: Tx): Promise<Signed> {
  const size = await tx.logSize();
  const latest = await tx.latestCheckpoint();
  if (latest && latest.size === size) return { checkpoint: latest, fresh: false };
  const root = await rootAt(tx, size);
  let mapped = 0;
  if (latest) {
    // A checkpoint signed before the heads map existed carries none: the map is then built from the first leaf.
    if (headsRootOf(assertOwnKey(ctx, latest).extensions)) mapped = latest.size;
    await assertExtends(tx, latest, size, root);
  }
  const heads = await advanceHeads(tx, mapped, size);
  const body = formatCheckpoint({
    origin: ctx.log.origin,
    size,
    rootHash: root,
    extensions: [headsLine(heads)],
  });
  const checkpoint = { size, rootHash: root, note: signNote(body, [ctx.log.signer]), signedAt: isoNow(ctx) };
  await tx.insertCheckpoint(checkpoint);
  return { checkpoint, fresh: true };
}

/** Signs a checkpoint of the log as it is now, unless the latest one already covers every leaf. */
export const signCheckpoint = async (ctx: AppContext): Promise<CheckpointRecord> =>
  (await ctx.store.write((tx) => signIn(ctx, tx))).checkpoint;

/** What periodic signing tells the process it runs in (for its log). */
export interface CheckpointingEvents {
  /** A round failed; the next one tries again. */
  failed(error: unknown): void;
  /** This process became (true) or stopped being (false) the one that signs for every process on the database. */
  leadershipChanged(leading: boolean): void;
  /** This process signed a new checkpoint. */
  signed(checkpoint: CheckpointRecord): void;
}

/**
 * Signs every `intervalMs` while the log grows, if this process leads the 'checkpoint-signer' role: of several
 * server processes on one database, one signs at a time, and another takes over if it dies. Failures are reported
 * and retried next time: a missed checkpoint only delays proofs; an inconsistent store is reported each time until
 * someone looks. A round that races another process's signing is still safe: signing runs under the writers' lock
 * and signs nothing new when the latest checkpoint already covers every leaf.
 */
export function startCheckpointing(
  ctx: AppContext,
  intervalMs: number,
  events: CheckpointingEvents,
): () => void {
  let leading = false;
  const round = async () => {
    const leads = await ctx.store.leads('checkpoint-signer').catch((error: unknown) => {
      events.failed(error);
      return false;
    });
    if (leads !== leading) events.leadershipChanged((leading = leads));
    if (!leads) return;
    const { checkpoint, fresh } = await ctx.store.write((tx) => signIn(ctx, tx));
    if (fresh) events.signed(checkpoint);
  };
  return repeatEvery(intervalMs, round, events.failed);
}

/** A checkpoint's note with the cosignatures collected for it appended (the latest when `size` is omitted). */
export async function checkpointNote(ctx: AppContext, size?: number): Promise<string | null> {
  return ctx.store.read(async (r) => {
    const checkpoint = size === undefined ? await r.latestCheckpoint() : await r.getCheckpoint(size);
    if (!checkpoint) return null;
    const cosignatures = await r.listCosignatures(checkpoint.size);
    return checkpoint.note + cosignatures.map((c) => c.line).join('');
  });
}

/**
 * A checkpoint covering leaf `lastLeaf` (1-based seq): the latest, or one signed now if the log has grown past it.
 * Signed now, it is used as returned: no cosignatures yet, and a read replica may not have it yet.
 */
export async function checkpointCovering(ctx: AppContext, lastLeaf: number): Promise<CheckpointRecord> {
  const latest = await ctx.store.read((r) => r.latestCheckpoint());
  return latest && latest.size >= lastLeaf ? latest : signCheckpoint(ctx);
}
