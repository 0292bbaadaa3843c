import type { AuditEntry, Tx } from '../../store/store.js';
import { requireActor } from '../access.js';
import { DomainError } from '../../domain/errors.js';
import { isoNow, type Actor, type AppContext, type Caller } from '../context.js';
import { assertKeyLive } from '../live-key.js';
import { assertUserMay } from '../people/permissions.js';
import { openBatch } from './batch.js';
import { prepareEvents, type Prepared } from './prepare.js';
import { stampForLog, type LogStamp } from './stamp.js';
import { batchRejected, summarise, type CaptureMode, type CaptureResult } from './results.js';
import { takeEvent } from './take-event.js';
import { writeAccepted } from './write-accepted.js';

export {
  MAX_BATCH,
  type CaptureMode,
  type CaptureResult,
  type EventProblem,
  type EventResult,
} from './results.js';
export { prepareEvents, type Prepared, type PreparedEvent } from './prepare.js';

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
  const request: CaptureRequest = { caller, prepared, mode, stamp: stampForLog(ctx, caller, prepared) };
  return ctx.applyCapture ? ctx.applyCapture(request) : applyCapture(ctx, request);
}

/** The part of a capture that reads and writes the store, in this thread: a group of one. */
export async function applyCapture(ctx: AppContext, request: CaptureRequest): Promise<CaptureResult> {
  const [outcome] = await applyCaptureGroup(ctx, [request]);
  if (!outcome!.ok) throw outcome!.error;
  return outcome!.result;
}

/** One capture of a group: its caller, events, mode and what the log will commit to (see stamp.ts). */
export interface CaptureRequest {
  caller: Caller;
  prepared: Prepared[];
  mode: CaptureMode;
  stamp: LogStamp | undefined;
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
      for (const { caller, prepared, mode, stamp } of group) {
        try {
          const result = await tx.savepoint(async () => {
            await assertKeyLive(tx, caller);
            assertUserMay(caller, 'events.capture');
            const summary = await applyInTx(ctx, tx, requireActor(caller), prepared, mode, stamp);
            await tx.insertAudit(auditOf(ctx, caller, 'success', describe(summary), null));
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

async function applyInTx(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  prepared: Prepared[],
  mode: CaptureMode,
  stamp: LogStamp | undefined,
) {
  const batch = await openBatch(ctx, tx, actor, stamp, prepared);
  const results = [];
  for (const item of prepared) results.push(await takeEvent(batch, item));
  const summary = summarise(mode, results);
  if (mode === 'rollback' && summary.rejected > 0) throw batchRejected(summary);
  await writeAccepted(batch, results);
  return summary;
}
