/**
 * Appending leaves to the stored tree (tiles of src/log/tiles.ts and the log's size), written once: the unit of
 * work that stores events calls it (events/queries.ts). SQLite runs the same statements synchronously, a tile at a
 * time (sqlite/log.ts): its migrations and its capture path are synchronous.
 */
import { HASH_SIZE, writeLeafHashOfText } from '../../log/hash.js';
import { commitment, leafText, recordText, type EventRecord, type LeafLink } from '../../log/leaf.js';
import { appendLeaves, edgeTiles, tileKeyString, type TileKey } from '../../log/tiles.js';
import type { Db, Dialect } from '../sql/db.js';

/** An event as its leaf is made: the caller may have computed its commitment already. */
export type LeafSource = EventRecord & { salt: Buffer; commitment?: Buffer | undefined; leaf: LeafLink };

/** The robots' latest leaf before a batch: (robot, max seq) rows for the robots among the list parameter. */
export const priorSeqsQuery = (d: Dialect) =>
  `SELECT robot_id, max(seq) AS seq FROM events WHERE ${d.inList('robot_id')} GROUP BY robot_id`;

/**
 * The robots of a batch whose latest stored leaf `chainLinks` needs: all but those whose first event in the batch
 * says the robot has none (`firstOfRobot`).
 */
export function robotsWithPriorUnknown(
  events: readonly { robotId: string; firstOfRobot?: boolean }[],
): string[] {
  const seen = new Set<string>();
  const unknown: string[] = [];
  for (const e of events) {
    if (seen.has(e.robotId)) continue;
    seen.add(e.robotId);
    if (e.firstOfRobot !== true) unknown.push(e.robotId);
  }
  return unknown;
}

/**
 * The version 2 links of a batch about to be inserted with seq `firstSeq`, `firstSeq + 1`…: each event's previous
 * leaf is the batch's last event of the same robot before it, else the robot's latest stored (`priorSeq`, by robot).
 */
export function chainLinks(
  events: readonly { robotId: string }[],
  firstSeq: number,
  priorSeq: ReadonlyMap<string, number>,
): LeafLink[] {
  const last = new Map<string, number>();
  return events.map((e, place) => {
    const seq = last.get(e.robotId) ?? priorSeq.get(e.robotId);
    last.set(e.robotId, firstSeq + place);
    return { v: 2, prev: seq === undefined ? null : seq - 1 };
  });
}

export const LOG_SIZE = 'SELECT size FROM log_state WHERE id = 1';
export const SET_LOG_SIZE = 'UPDATE log_state SET size = ? WHERE id = 1';

/**
 * Tiles by key, each by its own indexed lookup (a correlated subquery, which neither planner turns into a join that
 * scans the table, as PostgreSQL's did on a young table's statistics). An absent tile comes back without hashes.
 */
export const tilesQuery = (d: Dialect) =>
  `SELECT k.level, k.idx, (SELECT t.hashes FROM log_tiles t WHERE t.level = k.level AND t.idx = k.idx) AS hashes
   FROM ${d.jsonRecords('k', { level: 'integer', idx: 'integer' })}`;

/** The one parameter of `tilesQuery`. */
export const tileKeys = (keys: TileKey[]) =>
  JSON.stringify(keys.map((k) => ({ level: k.level, idx: k.index })));

export interface TileRow {
  level: number;
  idx: number;
  hashes: Buffer | null;
}

/** The tiles found, by `tileKeyString`. */
export const tilesFound = (rows: TileRow[]) =>
  new Map(
    rows.flatMap((r) =>
      r.hashes ? [[tileKeyString({ level: r.level, index: r.idx }), r.hashes] as const] : [],
    ),
  );

/**
 * The leaf hashes of events just inserted with seq `firstSeq`, `firstSeq + 1`…, back to back in one buffer: leaf
 * index is seq − 1, so the log must be exactly `firstSeq − 1` leaves long (`size`), or the two have drifted apart and
 * nothing more may be written.
 */
export function leafHashesAfter(size: number, firstSeq: number, events: readonly LeafSource[]): Buffer {
  if (size !== firstSeq - 1)
    throw new Error(`log has ${size} leaves but the next event has seq ${firstSeq}: events and log disagree`);
  const hashes = Buffer.allocUnsafe(events.length * HASH_SIZE);
  events.forEach((e, i) => {
    const committed = e.commitment ?? commitment(e.salt, recordText(e));
    writeLeafHashOfText(leafText(e.robotId, committed, e.leaf), hashes, i * HASH_SIZE);
  });
  return hashes;
}

const logSize = async (db: Db) => (await db.get<{ size: number }>(LOG_SIZE))!.size;

/** Appends the leaves of events just inserted with seq `firstSeq`, `firstSeq + 1`… (see `leafHashesAfter`). */
export async function appendEventLeaves(
  db: Db,
  firstSeq: number,
  events: readonly LeafSource[],
): Promise<void> {
  await appendLeafHashes(db, leafHashesAfter(await logSize(db), firstSeq, events));
}

/** Extends the stored tree by these leaf hashes: the edge tiles read, the changed and new tiles written at once. */
async function appendLeafHashes(db: Db, leafHashes: Buffer): Promise<void> {
  const size = await logSize(db);
  const edge = tilesFound(await db.all<TileRow>(tilesQuery(db.dialect), [tileKeys(edgeTiles(size))]));
  const writes = appendLeaves(size, leafHashes, edge);
  // WHERE true: SQLite reads an upsert's ON after a bare FROM as a join's.
  await db.run(
    `INSERT INTO log_tiles (level, idx, hashes)
     SELECT level, idx, hashes FROM ${db.dialect.jsonRecords('t', { level: 'integer', idx: 'integer', hashes: 'bytes' })}
     WHERE true
     ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes`,
    [JSON.stringify(writes.map((t) => ({ level: t.level, idx: t.index, hashes: t.hashes.toString('hex') })))],
  );
  await db.run(SET_LOG_SIZE, [size + leafHashes.length / HASH_SIZE]);
}
