/**
 * How the tree's hashes are stored: in tiles, as C2SP tlog-tiles does, but 4 levels high (16 hashes, 512 bytes: a
 * row fits in one database page). Tile (t, n) holds the hashes at tree level 4t with indexes 16n … 16n+15; a tile at
 * the right edge is partial and grows. Nodes between tile levels are recomputed from at most 8 hashes, so any node
 * costs one row read and ≤ 7 hash operations, and appending n leaves writes about n/16 rows.
 */
import { HASH_SIZE, writeNodeHash } from './hash.js';
import type { NodeId, NodeSource } from './proofs.js';

export const TILE_HEIGHT = 4;
export const TILE_WIDTH = 2 ** TILE_HEIGHT;
const TILE_BYTES = TILE_WIDTH * HASH_SIZE;

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
  const root = Buffer.alloc(HASH_SIZE);
  writeSubtreeRoot(tile, first, count, root, 0);
  return root;
}

/** A tile's half-levels, reused: a subtree's root is computed in place, level by level, without a Buffer a node. */
const halves = Buffer.alloc((TILE_WIDTH / 2) * HASH_SIZE);

/** subtreeOfTile's root (`count` ≥ 2) written into `into` at `at`. */
function writeSubtreeRoot(tile: Buffer, first: number, count: number, into: Buffer, at: number): void {
  let from = tile;
  let start = first * HASH_SIZE;
  for (let nodes = count / 2; nodes >= 1; nodes /= 2) {
    const [to, base] = nodes === 1 ? [into, at] : [halves, 0];
    for (let i = 0; i < nodes; i++) writeNodeHash(from, start + 2 * i * HASH_SIZE, to, base + i * HASH_SIZE);
    from = halves;
    start = 0;
  }
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
 * extended, the new ones). `leafHashes`: 32-byte hashes back to back, as a batch's leaves are made. `edge` holds the current edge tiles (from `edgeTiles(size)`). Each tile that fills up contributes its root as the
 * next hash one tile level up.
 */
export function appendLeaves(size: number, leafHashes: Buffer, edge: ReadonlyMap<string, Buffer>): Tile[] {
  const writes: Tile[] = [];
  let fresh = leafHashes;
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
      if (hashes.length === TILE_BYTES)
        writeSubtreeRoot(hashes, 0, TILE_WIDTH, roots, (offset / TILE_BYTES) * HASH_SIZE);
    }
    fresh = roots;
  }
  return writes;
}
