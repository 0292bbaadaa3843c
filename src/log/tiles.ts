/**
 * How the tree's hashes are stored: in tiles, as C2SP tlog-tiles does, but 4 levels high (16 hashes, 512 bytes: a
 * row fits in one database page). Tile (t, n) holds the hashes at tree level 4t with indexes 16n … 16n+15; a tile at
 * the right edge is partial and grows. Nodes between tile levels are recomputed from at most 8 hashes, so any node
 * costs one row read and ≤ 7 hash operations, and appending n leaves writes about n/16 rows.
 */
import { HASH_SIZE, nodeHash, writeNodeHash } from './hash.js';
import type { NodeId, NodeSource } from './proofs.js';

export const TILE_HEIGHT = 4;
export const TILE_WIDTH = 2 ** TILE_HEIGHT;

export interface TileKey {
  /** Tile level t: its hashes are tree level 4t. */
  level: number;
  index: number;
}

export interface Tile extends TileKey {
  /** width × 32 bytes. */
  hashes: Buffer;
}

export const tileKeyString = (k: TileKey) => `${k.level}/${k.index}`;

const hashAt = (tile: Buffer, i: number) => tile.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);

/** Root of the complete subtree over `count` (a power of two) consecutive hashes of a tile, from `first`. */
function subtreeOfTile(tile: Buffer, first: number, count: number): Buffer {
  if (count === 1) return Buffer.from(hashAt(tile, first));
  const half = count / 2;
  return nodeHash(subtreeOfTile(tile, first, half), subtreeOfTile(tile, first + half, half));
}

/** Where the node lives: its tile, and the run of that tile's hashes it is the root of. */
function locate(node: NodeId): { tile: TileKey; first: number; count: number } {
  const level = Math.floor(node.level / TILE_HEIGHT);
  const count = 2 ** (node.level - level * TILE_HEIGHT);
  const start = node.index * count;
  return {
    tile: { level, index: Math.floor(start / TILE_WIDTH) },
    first: start % TILE_WIDTH,
    count,
  };
}

/** The tiles holding these nodes (deduplicated). */
export function tilesFor(nodes: NodeId[]): TileKey[] {
  const keys = new Map<string, TileKey>();
  for (const node of nodes) {
    const { tile } = locate(node);
    keys.set(tileKeyString(tile), tile);
  }
  return [...keys.values()];
}

/** A node source over fetched tiles; a node whose tile or hashes are missing is a broken store, not a bad request. */
export function nodesFromTiles(tiles: ReadonlyMap<string, Buffer>): NodeSource {
  return (level, index) => {
    const { tile, first, count } = locate({ level, index });
    const hashes = tiles.get(tileKeyString(tile));
    if (!hashes || hashes.length < (first + count) * HASH_SIZE)
      throw new Error(`log storage is missing tile ${tileKeyString(tile)} for node ${level}/${index}`);
    return subtreeOfTile(hashes, first, count);
  };
}

/** Complete hashes at tile level t in a tree of `size` leaves. */
const hashesAtTileLevel = (size: number, level: number) => Math.floor(size / TILE_WIDTH ** level);

/** The partial tiles on the right edge of a tree of `size` leaves: the ones an append extends. */
export function edgeTiles(size: number): TileKey[] {
  const keys: TileKey[] = [];
  for (let level = 0; hashesAtTileLevel(size, level) > 0; level++) {
    const count = hashesAtTileLevel(size, level);
    if (count % TILE_WIDTH !== 0) keys.push({ level, index: Math.floor(count / TILE_WIDTH) });
  }
  return keys;
}

/**
 * Appends leaf hashes to a tree of `size` leaves: returns every tile that changes, whole (the partial edge tiles
 * extended, the new ones). `leafHashes`: a list, or one buffer of 32-byte hashes back to back (what a capture makes).
 * `edge` holds the current edge tiles (from `edgeTiles(size)`). Each tile that fills up contributes its root as the
 * next hash one tile level up.
 */
export function appendLeaves(
  size: number,
  leafHashes: Buffer | readonly Uint8Array[],
  edge: ReadonlyMap<string, Buffer>,
): Tile[] {
  const writes: Tile[] = [];
  let fresh = Buffer.isBuffer(leafHashes) ? leafHashes : Buffer.concat(leafHashes);
  for (let level = 0; fresh.length > 0; level++) {
    const first = hashesAtTileLevel(size, level);
    const startTile = Math.floor(first / TILE_WIDTH);
    const kept = first % TILE_WIDTH;
    const existing = kept === 0 ? Buffer.alloc(0) : edge.get(tileKeyString({ level, index: startTile }));
    if (!existing || existing.length !== kept * HASH_SIZE)
      throw new Error(`log storage edge tile ${level}/${startTile} should hold ${kept} hashes`);
    const run = Buffer.concat([existing, fresh]);
    const roots = Buffer.allocUnsafe(Math.floor(run.length / TILE_BYTES) * HASH_SIZE);
    for (let offset = 0; offset < run.length; offset += TILE_BYTES) {
      const hashes = run.subarray(offset, offset + TILE_BYTES);
      writes.push({ level, index: startTile + offset / TILE_BYTES, hashes });
      if (hashes.length === TILE_BYTES) writeTileRoot(hashes, roots, (offset / TILE_BYTES) * HASH_SIZE);
    }
    fresh = roots;
  }
  return writes;
}

const TILE_BYTES = TILE_WIDTH * HASH_SIZE;

/** A tile's half-levels, reused: a full tile's root is computed in place, level by level, without a Buffer a node. */
const halves = Buffer.alloc(TILE_BYTES / 2);

/** The root of a full tile (subtreeOfTile over all of it), written into `into` at `at`. */
function writeTileRoot(tile: Buffer, into: Buffer, at: number): void {
  let from: Buffer = tile;
  for (let count = TILE_WIDTH / 2; count >= 1; count /= 2) {
    const [to, base] = count === 1 ? [into, at] : [halves, 0];
    for (let i = 0; i < count; i++) writeNodeHash(from, 2 * i * HASH_SIZE, to, base + i * HASH_SIZE);
    from = halves;
  }
}
