/**
 * The log's append, synchronous: SQLite's migration that logs the events stored before the log existed cannot
 * await, nor does its capture path (events.ts). The statements of ../log/append.ts; the tiles written one by one,
 * a prepared statement each, which in-process costs no round trip.
 */
import { HASH_SIZE } from '../../log/hash.js';
import { appendLeaves, edgeTiles } from '../../log/tiles.js';
import {
  LOG_SIZE,
  SET_LOG_SIZE,
  leafHashesAfter,
  tileKeys,
  tilesFound,
  tilesQuery,
  type LeafSource,
  type TileRow,
} from '../log/append.js';
import type { Connection } from './connection.js';

const logSize = (c: Connection) => (c.stmt(LOG_SIZE).get() as { size: number }).size;

/** Appends the leaves of events just inserted with seq `firstSeq`, `firstSeq + 1`… (see `leafHashesAfter`). */
export function appendEventLeaves(c: Connection, firstSeq: number, events: readonly LeafSource[]): void {
  appendLeafHashes(c, leafHashesAfter(logSize(c), firstSeq, events));
}

/** Extends the stored tree by these leaf hashes (32 bytes each, back to back): the edge tiles read, the changed and
 *  new tiles written. */
export function appendLeafHashes(c: Connection, leafHashes: Buffer): void {
  const size = logSize(c);
  const edge = tilesFound(c.stmt(tilesQuery(c.dialect)).all(tileKeys(edgeTiles(size))) as TileRow[]);
  const put = c.stmt(
    `INSERT INTO log_tiles (level, idx, hashes) VALUES (?, ?, ?)
     ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes`,
  );
  for (const tile of appendLeaves(size, leafHashes, edge)) put.run(tile.level, tile.index, tile.hashes);
  c.stmt(SET_LOG_SIZE).run(size + leafHashes.length / HASH_SIZE);
}
