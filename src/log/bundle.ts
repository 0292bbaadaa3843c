/**
 * Offline proof bundles (in the spirit of C2SP tlog-proof): one robot's events, each with the salt that opens its
 * leaf's commitment and its inclusion proof, and one signed checkpoint they are all proved against. Verifying needs
 * only the registry's public key: no network, no trust in whoever handed the file over. Every check that fails is
 * reported, by event, rather than stopping at the first. This file opens the checkpoint with the key; bundle-check.ts
 * checks the rest.
 */
import { checkBundleAgainst, readBundle, type BUNDLE_FORMAT, type BundleReport } from './bundle-check.js';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { mapKey, provenHead, type MapProof } from './heads-map.js';
import type { LeafLink } from './leaf.js';
import { openNote, type Verifier } from './note.js';

export {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_V1,
  MAX_BUNDLE_BYTES,
  type BundleReport,
  type EventCheck,
} from './bundle-check.js';

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

/** Opens and checks the checkpoint: signed by the key, for the key's log. */
function checkCheckpoint(note: unknown, key: Verifier): Checkpoint {
  if (typeof note !== 'string') throw new Error('checkpoint: missing (a signed note, as text)');
  const opened = openNote(note, [key]);
  const checkpoint = parseCheckpoint(opened.text);
  if (checkpoint.origin !== key.name)
    throw new Error(`checkpoint: it is for log "${checkpoint.origin}", but the key is for "${key.name}"`);
  return checkpoint;
}

/** Checks a bundle's text against the registry's verifier key. */
export function verifyBundle(text: string, key: Verifier): BundleReport {
  const { bundle, report } = readBundle(text);
  if (!bundle) return report;
  let checkpoint: Checkpoint | null = null;
  try {
    checkpoint = checkCheckpoint(bundle.checkpoint, key);
  } catch (error) {
    report.problems.push(error instanceof Error ? error.message : String(error));
  }
  return checkBundleAgainst(bundle, checkpoint, report);
}
