/**
 * Reading the log: proofs, leaves and tiles (public: the log holds nothing private), and inclusion proofs looked up
 * by event, which reveal that the event exists and so follow the robot's history access.
 */
import { invalid, notFound } from '../../domain/errors.js';
import { eventLeaf } from '../../log/leaf.js';
import {
  assembleHashTile,
  entryBundle,
  storedTilesOf,
  tileExists,
  TLOG_TILE_WIDTH,
  type TlogTileRequest,
} from '../../log/tlog-tiles.js';
import { tileKeyString } from '../../log/tiles.js';
import type { Reader, StoredEvent } from '../../store/store.js';
import type { AppContext, Caller } from '../context.js';
import { readHistory } from '../robots.js';
import { signCheckpoint } from './checkpoints.js';
import { consistencyProofAt, inclusionProofAt } from './tree.js';

export const MAX_LEAVES_PER_REQUEST = 1000;

const b64 = (hashes: Buffer[]) => hashes.map((h) => h.toString('base64'));

/** The tree size to prove against: the one asked for (at most the log's size), else the latest checkpoint's. */
async function treeSizeFor(ctx: AppContext, r: Reader, asked: number | undefined): Promise<number> {
  const size = await r.logSize();
  if (asked === undefined) return (await r.latestCheckpoint())?.size ?? (await signCheckpoint(ctx)).size;
  if (asked > size)
    throw invalid('tree-size-too-large', `the log has ${size} leaves`, [
      { field: 'treeSize', message: `at most ${size}` },
    ]);
  return asked;
}

export const leafOf = (e: StoredEvent) => eventLeaf(e, e.salt, e.leaf);

export async function inclusionByIndex(ctx: AppContext, leafIndex: number, treeSize?: number) {
  return ctx.store.read(async (r) => {
    const size = await treeSizeFor(ctx, r, treeSize);
    if (leafIndex >= size)
      throw invalid('leaf-not-in-tree', `leaf ${leafIndex} is not in a tree of ${size} leaves`, [
        { field: 'leafIndex', message: `must be below the tree size ${size}` },
      ]);
    const [event] = await r.listEventsBySeq(leafIndex + 1, leafIndex + 2);
    if (!event) throw new Error(`log leaf ${leafIndex} has no stored event`);
    const proof = await inclusionProofAt(r, leafIndex, size);
    return { leafIndex, treeSize: size, leafHash: leafOf(event).hash.toString('base64'), proof: b64(proof) };
  });
}

/** The inclusion proof of one of a robot's events, for whoever may read that robot's history. */
export async function inclusionOfEvent(
  ctx: AppContext,
  caller: Caller,
  robotId: string,
  eventId: string,
  treeSize?: number,
) {
  const { id, entries: events } = await readHistory(ctx, caller, robotId);
  const event = events.find((e) => e.eventId === eventId);
  if (!event) throw notFound('event-not-found', `robot ${id.display} has no event ${eventId}`);
  let size = await ctx.store.read((r) => treeSizeFor(ctx, r, treeSize));
  // Asked against the latest checkpoint but newer than it: sign one that covers it rather than refuse.
  if (treeSize === undefined && event.seq > size) size = (await signCheckpoint(ctx)).size;
  if (event.seq > size)
    throw invalid('event-not-in-tree', `event ${eventId} is leaf ${event.seq - 1}, after tree size ${size}`, [
      { field: 'treeSize', message: `must be above ${event.seq - 1}` },
    ]);
  return inclusionByIndex(ctx, event.seq - 1, size);
}

export async function consistency(ctx: AppContext, from: number, to: number) {
  return ctx.store.read(async (r) => {
    const size = await r.logSize();
    const fields = [
      ...(from < 1
        ? [{ field: 'from', message: 'must be at least 1 (every tree extends the empty one)' }]
        : []),
      ...(to > size ? [{ field: 'to', message: `at most the log's size ${size}` }] : []),
      ...(from > to ? [{ field: 'from', message: 'must not exceed to' }] : []),
    ];
    if (fields.length > 0)
      throw invalid('bad-tree-sizes', 'no consistency proof between these sizes', fields);
    return { from, to, proof: b64(await consistencyProofAt(r, from, to)) };
  });
}

/** Public leaves [start, end): the leaf bytes (JSON text) and their hashes. */
export async function leaves(ctx: AppContext, start: number, end: number) {
  return ctx.store.read(async (r) => {
    const size = await r.logSize();
    const fields = [
      ...(end > size ? [{ field: 'end', message: `at most the log's size ${size}` }] : []),
      ...(end <= start ? [{ field: 'end', message: 'must be above start' }] : []),
      ...(end - start > MAX_LEAVES_PER_REQUEST
        ? [{ field: 'end', message: `at most ${MAX_LEAVES_PER_REQUEST} leaves a request` }]
        : []),
    ];
    if (fields.length > 0) throw invalid('bad-leaf-range', 'no such range of leaves', fields);
    const events = await r.listEventsBySeq(start + 1, end + 1);
    return events.map((e) => {
      const leaf = leafOf(e);
      return { index: e.seq - 1, leaf: leaf.text, leafHash: leaf.hash.toString('base64') };
    });
  });
}

/** A C2SP tlog-tiles tile's bytes, or null when the log has no such tile (yet). */
export async function tlogTile(ctx: AppContext, tile: TlogTileRequest): Promise<Buffer | null> {
  return ctx.store.read(async (r) => {
    if (!tileExists(tile, await r.logSize())) return null;
    if (tile.level === 'entries') {
      const first = tile.index * TLOG_TILE_WIDTH;
      const events = await r.listEventsBySeq(first + 1, first + tile.width + 1);
      return entryBundle(events.map((e) => Buffer.from(leafOf(e).text)));
    }
    const keys = storedTilesOf({ ...tile, level: tile.level });
    const stored = await r.readLogTiles(keys);
    return assembleHashTile(
      tile,
      keys.map((k) => stored.get(tileKeyString(k)) ?? Buffer.alloc(0)),
    );
  });
}
