/**
 * Whether a v2 bundle holds every event of its robot up to its checkpoint. Two independent checks: the chain (each
 * version 2 leaf names the robot's previous leaf, which must be the bundle's previous event) and the heads map (the
 * checkpoint commits to how many leaves the robot has and which is its latest; the bundle must have that many,
 * ending there). The chain names a leaf taken out of the middle; the map catches the latest taken away, and the
 * events before the chain began (version 1 leaves), which no link names.
 */
import type { EventCheck } from './bundle-check.js';
import type { Checkpoint } from './checkpoint.js';
import { headsRootOf, mapKey, verifyMapProof, type MapEntry } from './heads-map.js';
import { decodeBase64Strict } from './note-text.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** The robot's (count, head) as the bundle claims it, checked against the checkpoint's heads root. */
function provenHeads(raw: unknown, robotId: string, checkpoint: Checkpoint) {
  const root = headsRootOf(checkpoint.extensions);
  if (!root)
    throw new Error(`checkpoint ${checkpoint.size} carries no heads map, so it cannot show them all`);
  if (!isRecord(raw) || !isIndex(raw.count) || !Array.isArray(raw.siblings))
    throw new Error('heads: missing or malformed');
  const { count, head, other } = raw;
  if (count > 0 ? !isIndex(head) : head !== null)
    throw new Error('heads.head: not a leaf index for the count');
  const key = mapKey(robotId);
  let terminal: MapEntry | null = count > 0 ? { key, count, head: head as number } : null;
  if (count === 0 && isRecord(other)) {
    const otherKey = typeof other.key === 'string' ? decodeBase64Strict(other.key) : undefined;
    if (!otherKey || !isIndex(other.count) || !isIndex(other.head)) throw new Error('heads.other: malformed');
    terminal = { key: otherKey, count: other.count, head: other.head };
  }
  const siblings = raw.siblings.map((s, i) => {
    const bytes = typeof s === 'string' ? decodeBase64Strict(s) : undefined;
    if (!bytes) throw new Error(`heads.siblings[${i}]: not base64`);
    return bytes;
  });
  verifyMapProof(root, key, { siblings, terminal });
  return { count, head: count > 0 ? (head as number) : null };
}

/** Breaks in the robot's chain: a v2 leaf whose previous leaf is not the bundle's event before it. */
function chainProblems(events: readonly EventCheck[]): string[] {
  const problems: string[] = [];
  events.forEach((e, i) => {
    const before = i === 0 ? null : events[i - 1]!.leafIndex;
    if (!e.link || e.leafIndex === null) return;
    if (e.link.v === 1) {
      if (i > 0 && events[i - 1]!.link?.v === 2)
        problems.push(`leaf ${e.leafIndex} (version 1) cannot follow a version 2 leaf`);
      return;
    }
    const prev = e.link.prev;
    if (prev === before) return;
    if (prev === null)
      problems.push(`leaf ${e.leafIndex} is the robot's first, yet the bundle has leaf ${before} before it`);
    else if (before === null || prev > before)
      problems.push(`leaf ${prev} is missing (the robot's leaf ${e.leafIndex} follows it)`);
    else problems.push(`leaf ${e.leafIndex} follows leaf ${prev} of the robot, not leaf ${before}`);
  });
  return problems;
}

/** What keeps the bundle from proving the robot's history complete at the checkpoint: none when it does. */
export function completenessProblems(
  heads: unknown,
  robotId: string,
  checkpoint: Checkpoint,
  events: readonly EventCheck[],
): string[] {
  let proven;
  try {
    proven = provenHeads(heads, robotId, checkpoint);
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
  const problems = chainProblems(events);
  const last = events.length > 0 ? events[events.length - 1]!.leafIndex : null;
  const latestMissing =
    proven.head !== null && proven.head !== last ? `; leaf ${proven.head}, its latest, is missing` : '';
  if (proven.count !== events.length)
    problems.unshift(
      `the log holds ${proven.count} events of this robot at checkpoint ${checkpoint.size}, the bundle ${events.length}${latestMissing}`,
    );
  else if (latestMissing) problems.unshift(`the robot's latest leaf is ${proven.head}, the bundle's ${last}`);
  return problems;
}
