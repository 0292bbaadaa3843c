// Sending an import: the ready rows in batches, in the file's order, each batch one POST /v1/events with
// GS1-Capture-Error-Behaviour: proceed (the good events are recorded, the bad ones answered with their problem), and
// a tally after each batch for the progress bar. Cancelling stops at once; what was recorded stays recorded, and
// importing the file again answers those rows as duplicates (their eventIds are stable: rows.ts).
import { refusalsOf, type CaptureResult } from './rejected.js';
import type { Prepared, Refused, WireEvent } from './rows.js';

/** Rows per request: small enough for the progress bar to move, large enough not to make a request per row. */
export const BATCH_SIZE = 200;

export interface Tally {
  /** Rows dealt with: refused here, or answered by the registry. */
  done: number;
  total: number;
  recorded: number;
  duplicates: number;
  refused: Refused[];
}

export type Post = (events: WireEvent[], signal: AbortSignal) => Promise<CaptureResult>;

export interface SendOptions {
  signal: AbortSignal;
  onProgress: (tally: Tally) => void;
  /** A field of an event (['payload', 'kind']) as the person knows it, say by the column it was mapped from. */
  fieldName: (path: (string | number)[]) => string;
  batchSize?: number;
}

/** Sends every ready row; the tally at the end. Throws what `post` throws (the tally so far went to onProgress). */
export async function sendInBatches(prepared: Prepared[], post: Post, options: SendOptions): Promise<Tally> {
  const ready = prepared.flatMap((p) => ('event' in p ? [p] : []));
  const refusedHere = prepared.filter((p): p is Refused => 'refusal' in p);
  let tally: Tally = {
    done: refusedHere.length,
    total: prepared.length,
    recorded: 0,
    duplicates: 0,
    refused: refusedHere,
  };
  options.onProgress(tally);
  const size = options.batchSize ?? BATCH_SIZE;
  for (let start = 0; start < ready.length && !options.signal.aborted; start += size) {
    const batch = ready.slice(start, start + size);
    const result = await post(
      batch.map((p) => p.event),
      options.signal,
    );
    tally = {
      ...tally,
      done: tally.done + batch.length,
      recorded: tally.recorded + result.accepted,
      duplicates: tally.duplicates + result.duplicates,
      refused: [
        ...tally.refused,
        ...refusalsOf(
          result,
          batch.map((p) => p.row),
          options.fieldName,
        ),
      ],
    };
    options.onProgress(tally);
  }
  return tally;
}
