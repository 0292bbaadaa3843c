import { DomainError } from '../../domain/errors.js';
import { isoNow, type AppContext, type Caller } from '../context.js';
import { applyWhereTheContextSays, type CaptureChunk, type CaptureRequest } from './index.js';
import { prepareEvents } from './prepare.js';
import type { CaptureMode, CaptureResult } from './results.js';
import { stampForLog } from './stamp.js';

/**
 * A capture whose events come in chunks as they are read (an EPCIS document, a chunk at a time): each chunk is
 * prepared here and taken by the writer while the next is read, so that the two threads work at once. It is one
 * capture all the same, in one transaction: all or nothing in `rollback`, one record time, and its results' indexes
 * are places in the whole (`/events/<index>`); with `refusalsOnly`, the results are the events not accepted (the
 * answer's counts count all). A source that throws abandons it: nothing of it is recorded, and the
 * source's error is thrown.
 */
export function captureEventStream(
  ctx: AppContext,
  caller: Caller,
  mode: CaptureMode,
  source: AsyncIterable<unknown[]> | Iterable<unknown[]>,
  { refusalsOnly = false }: Pick<CaptureRequest, 'refusalsOnly'> = {},
): Promise<CaptureResult> {
  const recordTime = isoNow(ctx);
  async function* chunks(): AsyncGenerator<CaptureChunk> {
    let first = 0;
    for await (const events of source) {
      const prepared = prepareEvents(events, first);
      yield { prepared, stamp: stampForLog(ctx, caller, prepared, recordTime, first) };
      first += events.length;
    }
  }
  return applyWhereTheContextSays(ctx, { caller, mode, chunks: chunks(), refusalsOnly });
}

const ABANDONED = 'capture-abandoned';

/** What a source throws to abandon its capture on purpose (its writer thread is told the same: one code). */
export const abandonCapture = (reason: string) => new DomainError('invalid', ABANDONED, reason);

export const isAbandoned = (error: unknown): error is DomainError =>
  error instanceof DomainError && error.code === ABANDONED;
