/**
 * Offline proof bundles (in the spirit of C2SP tlog-proof): one robot's events, each with the salt that opens its
 * leaf's commitment and its inclusion proof, and one signed checkpoint they are all proved against. Verifying needs
 * only the registry's public key: no network, no trust in whoever handed the file over. Every check that fails is
 * reported, by event, rather than stopping at the first.
 */
import { leafHash } from './hash.js';
import { commitment, leafText } from './leaf.js';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { decodeBase64Strict, openNote, type Verifier } from './note.js';
import { verifyInclusion } from './verify.js';

export const BUNDLE_FORMAT = 'robotid-proof-bundle/v1';
/** Larger files are refused before parsing: a bundle is one robot's history. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

export interface BundleEvent {
  /** Leaf index in the log (the event's seq − 1). */
  leafIndex: number;
  /** The committed record: canonical JSON of the stored event (src/log/leaf.ts recordText). */
  record: string;
  /** base64 salt of the commitment. */
  salt: string;
  /** base64 hashes of the inclusion proof against the checkpoint's tree size. */
  proof: string[];
}

export interface ProofBundle {
  format: typeof BUNDLE_FORMAT;
  robotId: string;
  /** The registry's signed checkpoint note (cosignatures, if any, included). */
  checkpoint: string;
  events: BundleEvent[];
}

export interface EventCheck {
  leafIndex: number | null;
  eventId: string | null;
  type: string | null;
  eventTime: string | null;
  /** Null when the event checked out. */
  problem: string | null;
}

export interface BundleReport {
  ok: boolean;
  robotId: string | null;
  checkpoint: { origin: string; size: number; rootHash: string } | null;
  /** Faults of the bundle as a whole (format, checkpoint, signature). */
  problems: string[];
  events: EventCheck[];
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Opens and checks the checkpoint: signed by the key, for the key's log. */
function checkCheckpoint(note: unknown, key: Verifier): Checkpoint {
  if (typeof note !== 'string') throw new Error('checkpoint: missing (a signed note, as text)');
  const opened = openNote(note, [key]);
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== key.name)
    throw new Error(`checkpoint: it is for log "${checkpoint.origin}", but the key is for "${key.name}"`);
  return checkpoint;
}

/** The record's public fields, for the report; and the robot it is about. */
function describeRecord(record: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(record);
  if (!isRecord(parsed)) throw new Error('record: not a JSON object');
  return parsed;
}

function checkEvent(raw: unknown, robotId: string, checkpoint: Checkpoint): EventCheck {
  const check: EventCheck = { leafIndex: null, eventId: null, type: null, eventTime: null, problem: null };
  try {
    if (!isRecord(raw)) throw new Error('not an object');
    const { leafIndex, record, salt, proof } = raw;
    if (!Number.isSafeInteger(leafIndex) || (leafIndex as number) < 0)
      throw new Error('leafIndex: not a non-negative integer');
    check.leafIndex = leafIndex as number;
    if (typeof record !== 'string') throw new Error('record: missing');
    const fields = describeRecord(record);
    check.eventId = typeof fields.eventId === 'string' ? fields.eventId : null;
    check.type = typeof fields.type === 'string' ? fields.type : null;
    check.eventTime = typeof fields.eventTime === 'string' ? fields.eventTime : null;
    if (fields.robotId !== robotId)
      throw new Error(`record: it is about robot ${String(fields.robotId)}, not ${robotId}`);
    const saltBytes = typeof salt === 'string' ? decodeBase64Strict(salt) : undefined;
    if (!saltBytes) throw new Error('salt: not base64');
    if (!Array.isArray(proof)) throw new Error('proof: not a list');
    const path = proof.map((p, i) => {
      const bytes = typeof p === 'string' ? decodeBase64Strict(p) : undefined;
      if (!bytes) throw new Error(`proof[${i}]: not base64`);
      return bytes;
    });
    const leaf = leafHash(Buffer.from(leafText(robotId, commitment(saltBytes, record))));
    verifyInclusion(check.leafIndex, checkpoint.size, leaf, path, checkpoint.rootHash);
  } catch (error) {
    check.problem = message(error);
  }
  return check;
}

/** Checks a bundle's text against the registry's verifier key. */
export function verifyBundle(text: string, key: Verifier): BundleReport {
  const report: BundleReport = { ok: false, robotId: null, checkpoint: null, problems: [], events: [] };
  if (Buffer.byteLength(text) > MAX_BUNDLE_BYTES) {
    report.problems.push(`the file is larger than ${MAX_BUNDLE_BYTES} bytes`);
    return report;
  }
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch (error) {
    report.problems.push(`not JSON: ${message(error)}`);
    return report;
  }
  if (!isRecord(bundle) || bundle.format !== BUNDLE_FORMAT) {
    report.problems.push(`not a ${BUNDLE_FORMAT} file`);
    return report;
  }
  if (typeof bundle.robotId !== 'string') report.problems.push('robotId: missing');
  else report.robotId = bundle.robotId;
  let checkpoint: Checkpoint | null = null;
  try {
    checkpoint = checkCheckpoint(bundle.checkpoint, key);
    report.checkpoint = {
      origin: checkpoint.origin,
      size: checkpoint.size,
      rootHash: checkpoint.rootHash.toString('base64'),
    };
  } catch (error) {
    report.problems.push(message(error));
  }
  if (!Array.isArray(bundle.events)) report.problems.push('events: not a list');
  else if (checkpoint && report.robotId !== null) {
    const robotId = report.robotId;
    report.events = bundle.events.map((e) => checkEvent(e, robotId, checkpoint));
    const indexes = report.events.map((e) => e.leafIndex);
    if (indexes.some((index, i) => i > 0 && (index ?? -1) <= (indexes[i - 1] ?? -1)))
      report.problems.push('events: not in increasing leaf order (repeated or shuffled)');
  }
  report.ok = report.problems.length === 0 && report.events.every((e) => e.problem === null);
  return report;
}
