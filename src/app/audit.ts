import { DomainError } from '../domain/errors.js';
import type { Tx } from '../store/store.js';
import { isoNow, type AppContext, type Caller } from './context.js';
import { assertKeyLive } from './live-key.js';
import { assertUserMay } from './people/permissions.js';

/**
 * Runs a write use case as one unit of work and records it in the audit log: the success in the same
 * transaction (so the record and the change commit together), a failure in its own transaction afterwards.
 * The caller's key (or session) is checked again first, in the same unit of work (live-key.ts), and a person's
 * role must allow the action (people/permissions.ts). `keyId` names the person (`user:<id>`) when one acts.
 */
export async function audited<T>(
  ctx: AppContext,
  caller: Caller,
  action: string,
  work: (tx: Tx) => Promise<T>,
  targetOf: (result: T) => string | null,
  target: string | null = null,
): Promise<T> {
  const who = { orgId: caller?.orgId ?? null, keyId: caller?.keyId ?? null };
  try {
    return await ctx.store.write(async (tx) => {
      await assertKeyLive(tx, caller);
      assertUserMay(caller, action);
      const result = await work(tx);
      await tx.insertAudit({
        at: isoNow(ctx),
        ...who,
        action,
        target: targetOf(result),
        outcome: 'success',
        detail: null,
      });
      return result;
    });
  } catch (error) {
    const detail = error instanceof DomainError ? error.code : 'internal-error';
    await ctx.store
      .write((tx) => tx.insertAudit({ at: isoNow(ctx), ...who, action, target, outcome: 'failure', detail }))
      .catch(() => undefined); // the original error matters more than a failed audit write
    throw error;
  }
}
