import type { AuditEntry, Tx } from '../../store/store.js';
import { requireActor } from '../access.js';
import { DomainError } from '../../domain/errors.js';
import { isoNow, type Actor, type AppContext, type Caller } from '../context.js';
import { assertKeyLive } from '../live-key.js';
import { assertUserMay } from '../people/permissions.js';
import { openBatch, readAhead, type Batch } from './batch.js';
import { prepareEvents, type Prepared } from './prepare.js';
import { stampForLog, type LogStamp } from './stamp.js';
import {
  batchRejected,
  summarise,
  type CaptureMode,
  type CaptureResult,
  type EventResult,
} from './results.js';
import { takeEvent } from './take-event.js';
import { recordDerivedOfBatch, writeAccepted } from './write-accepted.js';

export {
  MAX_BATCH,
  type CaptureMode,
  type CaptureResult,
  type EventProblem,
  type EventResult,
} from './results.js';
export { prepareEvents, type Prepared, type PreparedEvent } from './prepare.js';
export { abandonCapture, captureEventStream, isAbandoned } from './stream.js';

/**
 * Records a batch of lifecycle events in order, each checked by the state machine against the one before.
 * The database-free part runs here; the rest where the context says (its writer thread, or here).
 */
export async function captureEvents(
  ctx: AppContext,
  caller: Caller,
  events: unknown[],
  mode: CaptureMode,
): Promise<CaptureResult> {
  const prepared = prepareEvents(events);
  const request: CaptureRequest = {
    caller,
    mode,
    chunks: [{ prepared, stamp: stampForLog(ctx, caller, prepared) }],
  };
  return applyWhereTheContextSays(ctx, request);
}

/** The store part of a capture where the context says: its writer thread, or here. */
export const applyWhereTheContextSays = (ctx: AppContext, request: CaptureRequest): Promise<CaptureResult> =>
  ctx.applyCapture ? ctx.applyCapture(request) : applyCapture(ctx, request);

/** The part of a capture that reads and writes the store, in this thread: a group of one. */
export async function applyCapture(ctx: AppContext, request: CaptureRequest): Promise<CaptureResult> {
  const [outcome] = await applyCaptureGroup(ctx, [request]);
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.result;
}

/** Events of a capture, prepared, and what the log will commit to for them (see stamp.ts). */
export interface CaptureChunk {
  prepared: Prepared[];
  stamp: LogStamp | undefined;
}

/**
 * One capture of a group: its caller, mode and events, in one chunk or, for a capture streamed as its events are
 * read (stream.ts), in chunks as they come: taken in one transaction all the same.
 */
export interface CaptureRequest {
  caller: Caller;
  mode: CaptureMode;
  chunks: CaptureChunk[] | AsyncIterable<CaptureChunk>;
  /**
   * The caller needs the counts and the events not accepted, not a result per accepted event (an EPCIS job: its
   * thousands of accepted results would only be copied back from the writer thread to be counted).
   */
  refusalsOnly?: boolean;
}

export type CaptureOutcome = { ok: true; result: CaptureResult } | { ok: false; error: DomainError };

/**
 * Several captures in one transaction (group commit: one sync to disk, shared index pages written once), each in
 * a savepoint so that one refused whole leaves the others as they would be alone. Each is audited: a success
 * inside its savepoint, a refusal after its savepoint is undone. An unexpected error fails the group.
 */
export async function applyCaptureGroup(ctx: AppContext, group: CaptureRequest[]): Promise<CaptureOutcome[]> {
  try {
    return await ctx.store.write(async (tx) => {
      const outcomes: CaptureOutcome[] = [];
      for (const { caller, chunks, mode, refusalsOnly } of group) {
        try {
          const result = await tx.savepoint(async () => {
            await assertKeyLive(tx, caller);
            assertUserMay(caller, 'events.capture');
            const summary = await applyInTx(ctx, tx, requireActor(caller), chunks, mode);
            await tx.insertAudit(auditOf(ctx, caller, 'success', describe(summary), null));
            if (refusalsOnly) summary.results = summary.results.filter((r) => r.outcome !== 'accepted');
            return summary;
          });
          outcomes.push({ ok: true, result });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          await tx.insertAudit(auditOf(ctx, caller, 'failure', null, error.code));
          outcomes.push({ ok: false, error });
        }
      }
      return outcomes;
    });
  } catch (error) {
    // The group's transaction is gone: each capture's failure is recorded in one of its own.
    const detail = error instanceof DomainError ? error.code : 'internal-error';
    await ctx.store
      .write(async (tx) => {
        for (const { caller } of group) await tx.insertAudit(auditOf(ctx, caller, 'failure', null, detail));
      })
      .catch(() => undefined); // the original error matters more than a failed audit write
    throw error;
  }
}

function auditOf(
  ctx: AppContext,
  caller: Caller,
  outcome: 'success' | 'failure',
  target: string | null,
  detail: string | null,
): AuditEntry {
  const who = { orgId: caller?.orgId ?? null, keyId: caller?.keyId ?? null };
  return { at: isoNow(ctx), ...who, action: 'events.capture', target, outcome, detail };
}

const describe = (r: CaptureResult) =>
  `${r.accepted} accepted, ${r.duplicates} duplicates, ${r.rejected} rejected`;

/**
 * Takes the capture's events chunk by chunk, each written once taken (so that a streamed capture's writing goes on
 * while its next chunk is made), unless one was refused in a capture that is all or nothing: then nothing more is
 * written, all of it is undone, and every event is still checked, for the answer to name every refusal.
 */
async function applyInTx(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  chunks: CaptureRequest['chunks'],
  mode: CaptureMode,
) {
  let batch: Batch | undefined;
  const results: EventResult[] = [];
  let refused = false;
  for await (const { prepared, stamp } of chunks) {
    batch = batch
      ? await readAhead(batch, prepared, stamp)
      : await openBatch(ctx, tx, actor, stamp, prepared);
    const taken: EventResult[] = [];
    for (const item of prepared) taken.push(await takeEvent(batch, item));
    results.push(...taken);
    refused ||= taken.some((r) => r.outcome === 'rejected');
    if (mode === 'proceed' || !refused) await writeAccepted(batch, taken);
  }
  const summary = summarise(mode, results);
  if (mode === 'rollback' && summary.rejected > 0) throw batchRejected(summary);
  if (batch) await recordDerivedOfBatch(batch);
  return summary;
}
