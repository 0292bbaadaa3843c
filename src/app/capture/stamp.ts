import { isLate } from '../../domain/lifecycle/deadlines.js';
import { eventLeaf, saltSource, SALT_BYTES } from '../../log/leaf.js';
import type { AppContext, Caller } from '../context.js';
import { isoNow } from '../context.js';
import type { Prepared } from './prepare.js';

const LEAF_HASH_BYTES = 32;

/**
 * What the log will commit to for each event of a batch, worked out before the batch goes to the writer: the
 * batch's record time and, per event (at its index in the batch), a salt and the leaf hash of the record it will be
 * stored as. The hashing is a tenth of a capture's work; done here, it runs beside the writer instead of inside its
 * transaction. Two flat buffers: they cross to the writer thread in one copy each.
 */
export interface LogStamp {
  recordTime: string;
  salts: Uint8Array;
  leafHashes: Uint8Array;
  /** 1 where the event is reported late: the leaf commits to it, so the stored flag is this one. */
  late: Uint8Array;
}

const nextSalt = saltSource();

/** The stamp of a prepared batch reported by `caller` (none for a caller the writer will refuse anyway). */
export function stampForLog(ctx: AppContext, caller: Caller, prepared: Prepared[]): LogStamp | undefined {
  if (!caller) return undefined;
  const recordTime = isoNow(ctx);
  const salts = Buffer.alloc(prepared.length * SALT_BYTES);
  const leafHashes = Buffer.alloc(prepared.length * LEAF_HASH_BYTES);
  const late = new Uint8Array(prepared.length);
  for (const item of prepared) {
    if (!item.ok) continue;
    const e = item.prepared;
    const salt = nextSalt();
    salt.copy(salts, e.index * SALT_BYTES);
    late[e.index] = isLate(ctx.deadlines[e.type], e.eventTime, recordTime) ? 1 : 0;
    const record = {
      eventId: e.eventId,
      robotId: e.robotId,
      type: e.type,
      eventTime: e.eventTime,
      recordTime,
      orgId: caller.orgId,
      keyId: caller.keyId,
      late: late[e.index] === 1,
      payloadJson: e.payloadJson,
    };
    eventLeaf(record, salt).hash.copy(leafHashes, e.index * LEAF_HASH_BYTES);
  }
  return { recordTime, salts, leafHashes, late };
}

/** The late flag, salt and leaf hash of the event at `index` of a stamped batch. */
export function stampOf(stamp: LogStamp, index: number): { late: boolean; salt: Buffer; leafHash: Buffer } {
  const view = (bytes: Uint8Array, size: number) =>
    Buffer.from(bytes.buffer, bytes.byteOffset + index * size, size);
  return {
    late: stamp.late[index] === 1,
    salt: view(stamp.salts, SALT_BYTES),
    leafHash: view(stamp.leafHashes, LEAF_HASH_BYTES),
  };
}
