/**
 * What a proof bundle proves once its checkpoint is open: each event's record and salt open its leaf's commitment,
 * each leaf's inclusion proof leads to the checkpoint's root, and the events are all of the robot's (completeness.ts).
 * No signature is checked here (bundle.ts opens the checkpoint with node:crypto's Ed25519; the console with Web
 * Crypto), so that the registry's CLI and the console's "verified against the log" mark check bundles with this one
 * code (docs/transparency-log.md).
 */
import { leafHash } from './hash.js';
import { commitment, leafText, type LeafLink } from './leaf.js';
import { completenessProblems } from './completeness.js';
import type { Checkpoint } from './checkpoint.js';
import { decodeBase64Strict } from './note-text.js';
import { verifyInclusion } from './verify.js';

/** Bundles made now: every event's leaf link and the robot's head in the checkpoint's heads map. */
export const BUNDLE_FORMAT = 'robotid-proof-bundle/v2';
/** The first bundles: version 1 leaves only, no heads map, so they cannot prove the history complete. */
export const BUNDLE_FORMAT_V1 = 'robotid-proof-bundle/v1';
/** Larger files are refused before parsing: a bundle is one robot's history. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

export interface EventCheck {
  leafIndex: number | null;
  eventId: string | null;
  type: string | null;
  eventTime: string | null;
  /** Its content is not in the bundle (only its leaf). */
  withheld: boolean;
  /** Its leaf's link, as the bundle gives it. */
  link: LeafLink | null;
  /** Null when the event checked out. */
  problem: string | null;
}

export interface BundleReport {
  ok: boolean;
  robotId: string | null;
  checkpoint: { origin: string; size: number; rootHash: string } | null;
  /**
   * proven: the bundle holds every event of the robot up to the checkpoint; failed: it does not (named in
   * `problems`); not-provable: a v1 bundle, or a checkpoint without a heads map, shows inclusion only.
   */
  completeness: 'proven' | 'failed' | 'not-provable';
  /** Faults of the bundle as a whole (format, checkpoint, signature, completeness). */
  problems: string[];
  events: EventCheck[];
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The record's public fields, for the report; and the robot it is about. */
function describeRecord(record: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(record);
  if (!isRecord(parsed)) throw new Error('record: not a JSON object');
  return parsed;
}

const base64 = (what: string, value: unknown): Buffer => {
  const bytes = typeof value === 'string' ? decodeBase64Strict(value) : undefined;
  if (!bytes) throw new Error(`${what}: not base64`);
  return bytes;
};

/** The leaf's link as a v2 bundle gives it (v1 bundles: version 1 leaves). */
function linkOf(raw: unknown, v2: boolean): LeafLink {
  if (!v2) return { v: 1 };
  if (!isRecord(raw)) throw new Error('leaf: missing');
  if (raw.v === 1) return { v: 1 };
  if (raw.v !== 2) throw new Error('leaf.v: not 1 or 2');
  const prev = raw.prev;
  if (prev !== null && (!Number.isSafeInteger(prev) || (prev as number) < 0))
    throw new Error('leaf.prev: not a leaf index or null');
  return { v: 2, prev: prev as number | null };
}

/** The commitment the event's leaf holds: opened from record and salt, or as given for a withheld event. */
function commitmentOf(raw: Record<string, unknown>, robotId: string, check: EventCheck, v2: boolean): Buffer {
  if (v2 && raw.record === undefined) {
    check.withheld = true;
    return base64('commitment', raw.commitment);
  }
  const { record, salt } = raw;
  if (typeof record !== 'string') throw new Error('record: missing');
  const fields = describeRecord(record);
  check.eventId = typeof fields.eventId === 'string' ? fields.eventId : null;
  check.type = typeof fields.type === 'string' ? fields.type : null;
  check.eventTime = typeof fields.eventTime === 'string' ? fields.eventTime : null;
  if (fields.robotId !== robotId)
    throw new Error(`record: it is about robot ${String(fields.robotId)}, not ${robotId}`);
  return commitment(base64('salt', salt), record);
}

function checkEvent(raw: unknown, robotId: string, checkpoint: Checkpoint, v2: boolean): EventCheck {
  const check: EventCheck = {
    leafIndex: null,
    eventId: null,
    type: null,
    eventTime: null,
    withheld: false,
    link: null,
    problem: null,
  };
  try {
    if (!isRecord(raw)) throw new Error('not an object');
    const { leafIndex, proof } = raw;
    if (!Number.isSafeInteger(leafIndex) || (leafIndex as number) < 0)
      throw new Error('leafIndex: not a non-negative integer');
    check.leafIndex = leafIndex as number;
    check.link = linkOf(raw.leaf, v2);
    const committed = commitmentOf(raw, robotId, check, v2);
    if (!Array.isArray(proof)) throw new Error('proof: not a list');
    const path = proof.map((p, i) => base64(`proof[${i}]`, p));
    const leaf = leafHash(Buffer.from(leafText(robotId, committed, check.link)));
    verifyInclusion(check.leafIndex, checkpoint.size, leaf, path, checkpoint.rootHash);
  } catch (error) {
    check.problem = message(error);
  }
  return check;
}

/** A bundle's text read as far as its format: the bundle, or the report of why it is none. */
export function readBundle(text: string): { bundle: Record<string, unknown> | null; report: BundleReport } {
  const report: BundleReport = {
    ok: false,
    robotId: null,
    checkpoint: null,
    completeness: 'not-provable',
    problems: [],
    events: [],
  };
  if (Buffer.byteLength(text) > MAX_BUNDLE_BYTES) {
    report.problems.push(`the file is larger than ${MAX_BUNDLE_BYTES} bytes`);
    return { bundle: null, report };
  }
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch (error) {
    report.problems.push(`not JSON: ${message(error)}`);
    return { bundle: null, report };
  }
  if (!isRecord(bundle) || (bundle.format !== BUNDLE_FORMAT && bundle.format !== BUNDLE_FORMAT_V1)) {
    report.problems.push(`not a ${BUNDLE_FORMAT} (or ${BUNDLE_FORMAT_V1}) file`);
    return { bundle: null, report };
  }
  if (typeof bundle.robotId !== 'string') report.problems.push('robotId: missing');
  else report.robotId = bundle.robotId;
  return { bundle, report };
}

/**
 * Checks the bundle's events against its checkpoint, opened by the caller (null: it could not be, and `report`
 * says why), and completes `report`.
 */
export function checkBundleAgainst(
  bundle: Record<string, unknown>,
  checkpoint: Checkpoint | null,
  report: BundleReport,
): BundleReport {
  const v2 = bundle.format === BUNDLE_FORMAT;
  if (checkpoint)
    report.checkpoint = {
      origin: checkpoint.origin,
      size: checkpoint.size,
      rootHash: checkpoint.rootHash.toString('base64'),
    };
  if (!Array.isArray(bundle.events)) report.problems.push('events: not a list');
  else if (checkpoint && report.robotId !== null) {
    const robotId = report.robotId;
    report.events = bundle.events.map((e) => checkEvent(e, robotId, checkpoint, v2));
    const indexes = report.events.map((e) => e.leafIndex);
    if (indexes.some((index, i) => i > 0 && (index ?? -1) <= (indexes[i - 1] ?? -1)))
      report.problems.push('events: not in increasing leaf order (repeated or shuffled)');
    if (v2) {
      const missing = completenessProblems(bundle.heads, robotId, checkpoint, report.events);
      report.completeness = missing.length === 0 ? 'proven' : 'failed';
      report.problems.push(...missing.map((p) => `completeness: ${p}`));
    }
  }
  report.ok = report.problems.length === 0 && report.events.every((e) => e.problem === null);
  return report;
}
