/**
 * Offline proof bundles (in the spirit of C2SP tlog-proof): one robot's events, each with the salt that opens its
 * leaf's commitment and its inclusion proof, and one signed checkpoint they are all proved against. Verifying needs
 * only the registry's public key: no network, no trust in whoever handed the file over. Every check that fails is
 * reported, by event, rather than stopping at the first.
 */
import { leafHash } from './hash.js';
import { commitment, leafText, type LeafLink } from './leaf.js';
import { completenessProblems } from './completeness.js';
import { mapKey, provenHead, type MapProof } from './heads-map.js';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { decodeBase64Strict, openNote, type Verifier } from './note.js';
import { verifyInclusion } from './verify.js';

/** Bundles made now: every event's leaf link and the robot's head in the checkpoint's heads map. */
export const BUNDLE_FORMAT = 'robotid-proof-bundle/v2';
/** The first bundles: version 1 leaves only, no heads map, so they cannot prove the history complete. */
export const BUNDLE_FORMAT_V1 = 'robotid-proof-bundle/v1';
/** Larger files are refused before parsing: a bundle is one robot's history. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

interface BundleEventBase {
  /** Leaf index in the log (the event's seq − 1). */
  leafIndex: number;
  /** base64 hashes of the inclusion proof against the checkpoint's tree size. */
  proof: string[];
  /** Its leaf's version and link (v2 bundles; v1 bundles hold version 1 leaves only). */
  leaf?: LeafLink;
}

/** An event shown whole: its record and salt open the leaf's commitment. */
export interface OpenBundleEvent extends BundleEventBase {
  /** The committed record: canonical JSON of the stored event (src/log/leaf.ts recordText). */
  record: string;
  /** base64 salt of the commitment. */
  salt: string;
}

/**
 * An event whose content the bundle's holder may not see (another organisation's report): only its public leaf,
 * as anyone reading the log sees it. It still counts and links: without it the history could not be complete.
 */
export interface WithheldBundleEvent extends BundleEventBase {
  /** base64 commitment of the leaf. */
  commitment: string;
}

export type BundleEvent = OpenBundleEvent | WithheldBundleEvent;

/** The robot's entry in the checkpoint's heads map, and its proof (src/log/heads-map.ts). */
export interface BundleHeads {
  /** The robot's leaves in the log at the checkpoint. */
  count: number;
  /** Index of its latest; null when it has none. */
  head: number | null;
  /** base64 siblings from the map's root down. */
  siblings: string[];
  /** When the robot has no entry: the entry of another robot where its path ends, if any (base64 key). */
  other: { key: string; count: number; head: number } | null;
}

export interface ProofBundle {
  format: typeof BUNDLE_FORMAT;
  robotId: string;
  /** The registry's signed checkpoint note (cosignatures, if any, included). */
  checkpoint: string;
  events: BundleEvent[];
  heads: BundleHeads;
}

/** The bundle's heads entry from a map proof. */
export function bundleHeads(robotId: string, proof: MapProof): BundleHeads {
  const own = provenHead(mapKey(robotId), proof);
  const t = proof.terminal;
  return {
    count: own?.count ?? 0,
    head: own?.head ?? null,
    siblings: proof.siblings.map((s) => s.toString('base64')),
    other: t && !own ? { key: t.key.toString('base64'), count: t.count, head: t.head } : null,
  };
}

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

/** Checks a bundle's text against the registry's verifier key. */
export function verifyBundle(text: string, key: Verifier): BundleReport {
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
    return report;
  }
  let bundle: unknown;
  try {
    bundle = JSON.parse(text);
  } catch (error) {
    report.problems.push(`not JSON: ${message(error)}`);
    return report;
  }
  if (!isRecord(bundle) || (bundle.format !== BUNDLE_FORMAT && bundle.format !== BUNDLE_FORMAT_V1)) {
    report.problems.push(`not a ${BUNDLE_FORMAT} (or ${BUNDLE_FORMAT_V1}) file`);
    return report;
  }
  const v2 = bundle.format === BUNDLE_FORMAT;
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
