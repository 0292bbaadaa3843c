import { isLateAt } from '../../domain/lifecycle/deadlines.js';
import { randomFillSync } from 'node:crypto';
import { recordText, SALT_BYTES, writeCommitment } from '../../log/leaf.js';
import type { AppContext, Caller } from '../context.js';
import { isoNow } from '../context.js';
import type { Prepared } from './prepare.js';

const COMMITMENT_BYTES = 32;

/**
 * What the log will commit to for each event of a batch, worked out before the batch goes to the writer: the
 * batch's record time and, per event (at its index in the batch), a salt and the commitment to the record it will be
 * stored as. The hashing is a tenth of a capture's work; done here, it runs beside the writer instead of inside its
 * transaction. The writer only hashes the short leaf, once it knows the robot's previous leaf (src/log/leaf.ts).
 * Two flat buffers: they cross to the writer thread in one copy each.
 */
export interface LogStamp {
  recordTime: string;
  /** The index of the stamp's first event in its capture (a chunk of a streamed capture starts further on). */
  first: number;
  salts: Uint8Array;
  commitments: Uint8Array;
  /** 1 where the event is reported late: the leaf commits to it, so the stored flag is this one. */
  late: Uint8Array;
}

/**
 * The stamp of a prepared batch reported by `caller` (none for a caller the writer will refuse anyway); for a chunk
 * of a streamed capture, with the capture's record time (one for all its events) and its first event's index.
 */
export function stampForLog(
  ctx: AppContext,
  caller: Caller,
  prepared: Prepared[],
  recordTime = isoNow(ctx),
  first = 0,
): LogStamp | undefined {
  if (!caller) return undefined;
  // the batch's salts drawn at once from the system's random source (log/leaf.ts is also the console's, in the
  // browser: it keeps to what the console's node:crypto stands in for)
  const salts = randomFillSync(Buffer.allocUnsafe(prepared.length * SALT_BYTES));
  const commitments = Buffer.alloc(prepared.length * COMMITMENT_BYTES);
  const late = new Uint8Array(prepared.length);
  const recordMs = Date.parse(recordTime);
  for (const item of prepared) {
    if (!item.ok) continue;
    const e = item.prepared;
    const at = e.index - first;
    const salt = salts.subarray(at * SALT_BYTES, (at + 1) * SALT_BYTES);
    late[at] = isLateAt(ctx.deadlines[e.type], e.eventTime, recordMs) ? 1 : 0;
    const record = {
      eventId: e.eventId,
      robotId: e.robotId,
      type: e.type,
      eventTime: e.eventTime,
      recordTime,
      orgId: caller.orgId,
      keyId: caller.keyId,
      late: late[at] === 1,
      payloadJson: e.payloadJson,
    };
    writeCommitment(salt, recordText(record), commitments, at * COMMITMENT_BYTES);
  }
  return { recordTime, first, salts, commitments, late };
}

/** The late flag, salt and commitment of the event at `index` of a stamped batch. */
export function stampOf(stamp: LogStamp, index: number): { late: boolean; salt: Buffer; commitment: Buffer } {
  const at = index - stamp.first;
  const view = (bytes: Uint8Array, size: number) =>
    Buffer.from(bytes.buffer, bytes.byteOffset + at * size, size);
  return {
    late: stamp.late[at] === 1,
    salt: view(stamp.salts, SALT_BYTES),
    commitment: view(stamp.commitments, COMMITMENT_BYTES),
  };
}
