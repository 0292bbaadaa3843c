/**
 * What one log leaf says about one accepted event. The log is published, so a leaf carries only what anyone may
 * see: the robot's ID (printed on its label anyway) and a salted SHA-256 commitment to the full stored record. The
 * event's type, times, reporter and payload stay out: they can reveal an owner's habits or a manufacturer's
 * incident rate. The random salt keeps anyone from confirming a guessed record against the commitment; whoever
 * is shown the record and its salt (a proof bundle) can recompute the leaf and check it is in the log.
 */
import { hash, randomBytes } from 'node:crypto';
import { leafHashOfText, writeSha256 } from './hash.js';

export const SALT_BYTES = 16;

/** Fresh salts, drawn from the system's random source 1,024 at a time: one call per event would cost more. */
export function saltSource(): () => Buffer {
  let pool = Buffer.alloc(0);
  return () => {
    if (pool.length === 0) pool = randomBytes(SALT_BYTES * 1024);
    const salt = pool.subarray(0, SALT_BYTES);
    pool = pool.subarray(SALT_BYTES);
    return salt;
  };
}

/** The stored fields of an event that the log commits to, with the payload as its canonical JSON text. */
export interface EventRecord {
  eventId: string;
  robotId: string;
  type: string;
  eventTime: string;
  recordTime: string;
  orgId: string;
  keyId: string;
  late: boolean;
  payloadJson: string;
}

/**
 * The record's committed bytes: RFC 8785 canonical JSON, built directly (keys in sorted order, strings and booleans
 * as JSON.stringify writes them, which is what RFC 8785 specifies) because this runs for every event accepted.
 */
export function recordText(r: EventRecord): string {
  const s = JSON.stringify;
  return (
    `{"eventId":${s(r.eventId)},"eventTime":${s(r.eventTime)},"keyId":${s(r.keyId)},"late":${r.late},` +
    `"orgId":${s(r.orgId)},"payload":${r.payloadJson},"recordTime":${s(r.recordTime)},` +
    `"robotId":${s(r.robotId)},"type":${s(r.type)}}`
  );
}

/** Reused input of the commitment hash (grown when a record needs more): one per event, on the writer's path. */
let reusedInput = Buffer.alloc(64 * 1024);

/** SHA-256(salt || UTF-8(record)). */
export const commitment = (salt: Uint8Array, record: string): Buffer =>
  hash('sha256', commitmentInput(salt, record), 'buffer');

/** The commitment written into `into` at `at`: a capture writes a batch's into one buffer (writeSha256). */
export const writeCommitment = (salt: Uint8Array, record: string, into: Buffer, at: number): void =>
  writeSha256(commitmentInput(salt, record), into, at);

/** salt || UTF-8(record), in the reused input. */
function commitmentInput(salt: Uint8Array, record: string): Uint8Array {
  const worstCase = salt.length + record.length * 3;
  if (worstCase > reusedInput.length) reusedInput = Buffer.alloc(worstCase);
  reusedInput.set(salt, 0);
  const length = salt.length + reusedInput.write(record, salt.length, 'utf8');
  return reusedInput.subarray(0, length);
}

/**
 * Where a leaf stands in its robot's chain. Version 1 leaves (the log's first) say nothing; version 2 leaves name
 * the index of the robot's previous leaf (null for its first), so the robot's leaves form a chain inside the log
 * and a bundle with one removed or reordered shows a broken link (docs/transparency-log.md, "Complete histories").
 */
export type LeafLink = { v: 1 } | { v: 2; prev: number | null };

/** The leaf's bytes: canonical JSON of the public part (keys sorted, so `prev` comes between the two). */
export function leafText(robotId: string, commitmentHash: Uint8Array, link: LeafLink): string {
  // A Buffer (as capture gives it: a view of its batch's commitments) is read as it is, not copied first.
  const c = (Buffer.isBuffer(commitmentHash) ? commitmentHash : Buffer.from(commitmentHash)).toString(
    'base64',
  );
  const id = JSON.stringify(robotId);
  return link.v === 1
    ? `{"commitment":"${c}","robotId":${id},"v":1}`
    : `{"commitment":"${c}","prev":${link.prev ?? 'null'},"robotId":${id},"v":2}`;
}

/** Leaf bytes and leaf hash of a stored event, as the log holds them. */
export function eventLeaf(
  record: EventRecord,
  salt: Uint8Array,
  link: LeafLink,
): { text: string; hash: Buffer } {
  const text = leafText(record.robotId, commitment(salt, recordText(record)), link);
  return { text, hash: leafHashOfText(text) };
}
