/**
 * The audit: recomputes every leaf from the stored events, rebuilds the tree from them, and compares it with the
 * stored tiles and with every checkpoint the registry signed. A row changed, deleted or inserted directly in the
 * database shows up here, named: a changed event no longer hashes to its leaf; a deleted one leaves a gap; one
 * inserted behind the log's back is not in it; and if someone rewrote the tiles to match, the rebuilt tree no
 * longer has the roots that were signed (and witnessed). It also follows each robot's chain of version 2 leaves
 * and recomputes the robots' heads map that the latest checkpoint commits to.
 */
import { CompactRange } from '../../log/compact-range.js';
import { headsRootOf, mapKey, mapRoot, type RobotHead } from '../../log/heads-map.js';
import { HASH_SIZE } from '../../log/hash.js';
import { parseCheckpoint } from '../../log/checkpoint.js';
import { openNote, type Verifier } from '../../log/note.js';
import { TILE_WIDTH, tileKeyString } from '../../log/tiles.js';
import type { CheckpointRecord, Reader, StoredEvent } from '../../store/store.js';
import { leafOf } from './proofs.js';

export type FindingKind =
  | 'event-changed' // the stored record does not hash to its leaf
  | 'event-missing' // a leaf whose event row is gone
  | 'event-outside-log' // an event row the log does not hold
  | 'tile-changed' // the stored tree does not hold the leaf the event hashes to, but the signed roots agree
  | 'checkpoint-mismatch' // the rebuilt tree does not have the signed root
  | 'checkpoint-invalid' // a stored checkpoint whose signature or text is wrong
  | 'chain-broken' // a version 2 leaf that does not name its robot's previous leaf
  | 'heads-mismatch'; // the latest checkpoint's heads map is not the one the events give

export interface Finding {
  kind: FindingKind;
  message: string;
  seq?: number;
  robotId?: string;
  eventId?: string;
  treeSize?: number;
}

export interface AuditReport {
  ok: boolean;
  logSize: number;
  eventsChecked: number;
  checkpointsChecked: number;
  findings: Finding[];
}

const CHUNK = 10_000;
/** Enough to name what is wrong; a database rewritten wholesale does not need a million lines saying so. */
const MAX_FINDINGS = 1000;

function describe(e: StoredEvent) {
  return { seq: e.seq, robotId: e.robotId, eventId: e.eventId };
}

/** Compares the leaves of one chunk of events with the stored level-0 tiles. */
async function compareWithTiles(r: Reader, events: StoredEvent[], leaves: Buffer[], report: AuditReport) {
  const first = events[0]!.seq - 1;
  const last = events[events.length - 1]!.seq - 1;
  const keys = [];
  for (let t = Math.floor(first / TILE_WIDTH); t <= Math.floor(last / TILE_WIDTH); t++)
    keys.push({ level: 0, index: t });
  const tiles = await r.readLogTiles(keys);
  events.forEach((e, i) => {
    const index = e.seq - 1;
    const tile = tiles.get(tileKeyString({ level: 0, index: Math.floor(index / TILE_WIDTH) }));
    const offset = (index % TILE_WIDTH) * HASH_SIZE;
    const stored = tile?.subarray(offset, offset + HASH_SIZE);
    if (!stored || stored.length < HASH_SIZE || !stored.equals(leaves[i]!))
      add(report, {
        kind: 'event-changed',
        ...describe(e),
        message: `event seq ${e.seq} (robot ${e.robotId}, event ${e.eventId}) does not hash to log leaf ${index}`,
      });
  });
}

function add(report: AuditReport, finding: Finding) {
  if (report.findings.length < MAX_FINDINGS) report.findings.push(finding);
}

/**
 * Checks a stored checkpoint's own signature and text, then its root against the rebuilt tree; returns the heads
 * root it commits to (null: none, or the checkpoint is invalid).
 */
function checkCheckpoint(
  cp: CheckpointRecord,
  key: Verifier,
  rebuiltRoot: Buffer,
  report: AuditReport,
): Buffer | null {
  let heads: Buffer | null;
  try {
    const body = parseCheckpoint(openNote(cp.note, [key]).text);
    if (body.size !== cp.size || !body.rootHash.equals(cp.rootHash))
      throw new Error(`its note says size ${body.size}, root ${body.rootHash.toString('base64')}`);
    heads = headsRootOf(body.extensions);
  } catch (error) {
    add(report, {
      kind: 'checkpoint-invalid',
      treeSize: cp.size,
      message: `checkpoint ${cp.size}: ${error instanceof Error ? error.message : String(error)}`,
    });
    return null;
  }
  if (!rebuiltRoot.equals(cp.rootHash))
    add(report, {
      kind: 'checkpoint-mismatch',
      treeSize: cp.size,
      message: `the events stored now give tree size ${cp.size} root ${rebuiltRoot.toString('base64')}, but ${cp.rootHash.toString('base64')} was signed: events up to leaf ${cp.size - 1} were changed, and the log's tiles with them`,
    });
  return heads;
}

/** Each robot's leaves so far: its chain followed leaf by leaf, its heads map entry counted. */
class RobotChains {
  readonly heads = new Map<string, RobotHead>();

  follow(e: StoredEvent, report: AuditReport) {
    const index = e.seq - 1;
    const before = this.heads.get(e.robotId);
    const expected = before?.head ?? null;
    if (e.leaf.v === 2 && e.leaf.prev !== expected)
      add(report, {
        kind: 'chain-broken',
        ...describe(e),
        message: `log leaf ${index} (robot ${e.robotId}) names leaf ${e.leaf.prev} as the robot's previous, but it is ${expected}`,
      });
    this.heads.set(e.robotId, { count: (before?.count ?? 0) + 1, head: index });
  }

  /** Compares the heads map the events give with the one the checkpoint committed to. */
  compare(cp: CheckpointRecord, signed: Buffer, report: AuditReport) {
    const entries = [...this.heads].map(([robotId, h]) => ({ key: mapKey(robotId), ...h }));
    const root = mapRoot(entries);
    if (!root.equals(signed))
      add(report, {
        kind: 'heads-mismatch',
        treeSize: cp.size,
        message: `the events stored give robots' heads root ${root.toString('base64')} at tree size ${cp.size}, but checkpoint ${cp.size} commits to ${signed.toString('base64')}`,
      });
  }
}

/** Audits the whole log; `progress` hears how many leaves are done. */
export async function auditLog(
  reader: Reader,
  key: Verifier,
  progress: (leaves: number) => void = () => {},
): Promise<AuditReport> {
  // Checkpoints first: each covers at most the log's size when it was signed, and the log only grows, so all of
  // them are within the size read next even while a registry keeps appending and signing.
  const checkpoints = await allCheckpoints(reader);
  const logSize = await reader.logSize();
  const report: AuditReport = { ok: false, logSize, eventsChecked: 0, checkpointsChecked: 0, findings: [] };
  const range = new CompactRange();
  const chains = new RobotChains();
  let next = 0;
  const atCheckpoints = () => {
    while (next < checkpoints.length && checkpoints[next]!.size === range.size) {
      const cp = checkpoints[next]!;
      const heads = checkCheckpoint(cp, key, range.root(), report);
      // The latest only: recomputing the whole map is O(robots), too much at every checkpoint.
      if (heads && next === checkpoints.length - 1) chains.compare(cp, heads, report);
      report.checkpointsChecked++;
      next++;
    }
  };
  atCheckpoints();
  for (let from = 1; from <= logSize; from += CHUNK) {
    const to = Math.min(from + CHUNK, logSize + 1);
    const events = await reader.listEventsBySeq(from, to);
    const leaves = events.map((e) => leafOf(e).hash);
    const bySeq = new Map(events.map((e, i) => [e.seq, { event: e, leaf: leaves[i]! }]));
    if (events.length > 0) await compareWithTiles(reader, events, leaves, report);
    for (let seq = from; seq < to; seq++) {
      const found = bySeq.get(seq);
      if (found) {
        range.append(found.leaf);
        chains.follow(found.event, report);
        report.eventsChecked++;
      } else {
        add(report, {
          kind: 'event-missing',
          seq,
          message: `log leaf ${seq - 1} has no stored event (seq ${seq} deleted)`,
        });
        range.append(await storedLeafHash(reader, seq - 1));
      }
      atCheckpoints();
    }
    progress(to - 1);
  }
  // The log may have grown meanwhile (a running registry): an event is outside it only beyond its size now, read
  // after the events (an event and its leaf commit together, so every event seen here has its leaf counted).
  const beyond = await reader.listEventsBySeq(logSize + 1, logSize + 1 + MAX_FINDINGS);
  const sizeNow = await reader.logSize();
  for (const e of beyond.filter((b) => b.seq > sizeNow))
    add(report, {
      kind: 'event-outside-log',
      ...describe(e),
      message: `event seq ${e.seq} (robot ${e.robotId}, event ${e.eventId}) is stored but not in the log`,
    });
  for (const cp of checkpoints.slice(next))
    add(report, {
      kind: 'checkpoint-mismatch',
      treeSize: cp.size,
      message: `checkpoint ${cp.size} was signed, but the log now has only ${logSize} leaves`,
    });
  blameTilesWhereSignedRootsAgree(report, checkpoints);
  report.ok = report.findings.length === 0;
  return report;
}

/**
 * A leaf that differs from its event is the event's fault if a signed root covering it no longer matches, and the
 * tile's if every covering root still does (the events are as signed; the stored tree was changed).
 */
function blameTilesWhereSignedRootsAgree(report: AuditReport, checkpoints: CheckpointRecord[]) {
  const mismatched = new Set(
    report.findings.filter((f) => f.kind === 'checkpoint-mismatch').map((f) => f.treeSize),
  );
  for (const f of report.findings) {
    if (f.kind !== 'event-changed') continue;
    const covering = checkpoints.filter((cp) => cp.size >= f.seq!);
    if (covering.length === 0)
      f.message += ' (no signed checkpoint covers it yet: the event or its tile was changed)';
    else if (!covering.some((cp) => mismatched.has(cp.size))) {
      f.kind = 'tile-changed';
      f.message = `log leaf ${f.seq! - 1} in the stored tree was changed; event seq ${f.seq} still matches the signed checkpoints`;
    }
  }
}

/** For a deleted event, the tree goes on with the leaf the tiles still hold, so later checks still line up. */
async function storedLeafHash(reader: Reader, index: number): Promise<Buffer> {
  const key = { level: 0, index: Math.floor(index / TILE_WIDTH) };
  const tile = (await reader.readLogTiles([key])).get(tileKeyString(key));
  const offset = (index % TILE_WIDTH) * HASH_SIZE;
  return tile && tile.length >= offset + HASH_SIZE
    ? tile.subarray(offset, offset + HASH_SIZE)
    : Buffer.alloc(HASH_SIZE);
}

async function allCheckpoints(reader: Reader): Promise<CheckpointRecord[]> {
  const all: CheckpointRecord[] = [];
  for (let after = -1; ;) {
    const page = await reader.listCheckpoints({ after, limit: 1000 });
    all.push(...page.items);
    if (page.next === null) return all;
    after = page.next;
  }
}
