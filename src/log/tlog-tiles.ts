/**
 * The C2SP tlog-tiles layout, so that existing transparency tooling can read the log: hash tiles of height 8
 * (`tile/<L>/<N>[.p/<W>]`, 256 hashes of tree level 8L) and entry bundles (`tile/entries/<N>[.p/<W>]`, each entry
 * a big-endian uint16 length and the leaf's bytes). The stored 4-high tiles line up: a tlog tile at level L is the
 * 16 stored tiles 16N … 16N+15 at stored level 2L.
 */
import { HASH_SIZE } from './hash.js';
import { TILE_HEIGHT, TILE_WIDTH, type TileKey } from './tiles.js';

export const TLOG_TILE_HEIGHT = 8;
export const TLOG_TILE_WIDTH = 256;
const STORED_PER_TLOG = TLOG_TILE_WIDTH / TILE_WIDTH;
const STORED_LEVELS_PER_TLOG = TLOG_TILE_HEIGHT / TILE_HEIGHT;

/** Where a registry serves the log, below its public URL: `<public URL>/tlog/checkpoint`, `…/tlog/tile/…`. */
export const TLOG_PATH = '/tlog';

/**
 * The origin of the log served under `publicUrl` (C2SP tlog-tiles: it SHOULD be the schema-less URL prefix of the
 * log): `https://registry.example.cn` → `registry.example.cn/tlog`; host, port and path are kept, the scheme not.
 */
export function logOriginAt(publicUrl: string): string {
  const url = new URL(publicUrl);
  return `${url.host}${url.pathname.replace(/\/+$/, '')}${TLOG_PATH}`;
}

export interface TlogTileRequest {
  /** Tile level, or 'entries' for the leaves themselves. */
  level: number | 'entries';
  index: number;
  /** 256 for a full tile; 1 … 255 for a partial one (`.p/<W>`). */
  width: number;
}

/** `N` as the spec writes it: groups of three digits, all but the last prefixed with `x` (1234067 → x001/x234/067). */
export function formatTileIndex(index: number): string {
  const digits = String(index);
  const padded = digits.padStart(Math.ceil(digits.length / 3) * 3, '0');
  const groups = padded.match(/\d{3}/g)!;
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

export function formatTilePath(tile: TlogTileRequest): string {
  const partial = tile.width < TLOG_TILE_WIDTH ? `.p/${tile.width}` : '';
  return `tile/${tile.level}/${formatTileIndex(tile.index)}${partial}`;
}

/** Parses the part after `tile/`; null when it is not a tile path (the caller answers 404). Strict: one spelling. */
export function parseTilePath(path: string): TlogTileRequest | null {
  const match = /^(entries|\d{1,2})\/((?:x\d{3}\/)*\d{3})(?:\.p\/(\d{1,3}))?$/.exec(path);
  if (!match) return null;
  const [, levelText, indexText, widthText] = match;
  const level = levelText === 'entries' ? 'entries' : Number(levelText);
  if (typeof level === 'number' && (level > 63 || String(level) !== levelText)) return null;
  const index = Number(indexText!.replaceAll('x', '').replaceAll('/', ''));
  if (!Number.isSafeInteger(index) || formatTileIndex(index) !== indexText) return null;
  if (widthText === undefined) return { level, index, width: TLOG_TILE_WIDTH };
  const width = Number(widthText);
  if (width < 1 || width >= TLOG_TILE_WIDTH || String(width) !== widthText) return null;
  return { level, index, width };
}

/** Whether a tree of `size` leaves has this tile, with at least this width. */
export function tileExists(tile: TlogTileRequest, size: number): boolean {
  const level = tile.level === 'entries' ? 0 : tile.level;
  const available = Math.floor(size / TLOG_TILE_WIDTH ** level);
  return available >= tile.index * TLOG_TILE_WIDTH + tile.width;
}

/** The stored tiles a hash tile is assembled from. */
export function storedTilesOf(tile: TlogTileRequest & { level: number }): TileKey[] {
  const stored = Math.ceil(tile.width / TILE_WIDTH);
  return Array.from({ length: stored }, (_, i) => ({
    level: tile.level * STORED_LEVELS_PER_TLOG,
    index: tile.index * STORED_PER_TLOG + i,
  }));
}

/** A hash tile's bytes from its stored tiles (in order), cut to the requested width. */
export function assembleHashTile(tile: TlogTileRequest, stored: Buffer[]): Buffer {
  const bytes = Buffer.concat(stored);
  if (bytes.length < tile.width * HASH_SIZE)
    throw new Error(`log storage is short of hashes for tile ${formatTilePath(tile)}`);
  return bytes.subarray(0, tile.width * HASH_SIZE);
}

/** An entry bundle: each leaf as a big-endian uint16 length and its bytes. */
export function entryBundle(leaves: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const leaf of leaves) {
    if (leaf.length > 0xffff) throw new Error('a leaf longer than 65,535 bytes cannot be bundled');
    const length = Buffer.alloc(2);
    length.writeUInt16BE(leaf.length);
    parts.push(length, leaf);
  }
  return Buffer.concat(parts);
}
