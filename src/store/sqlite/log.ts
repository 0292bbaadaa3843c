/** The transparency log's storage: tree tiles, its size, signed checkpoints and witnesses' cosignatures. */
import { eventLeaf, type EventRecord } from '../../log/leaf.js';
import { appendLeaves, edgeTiles, tileKeyString, type TileKey } from '../../log/tiles.js';
import type { CheckpointRecord, CosignatureRecord, Page, PageRequest } from '../store.js';
import { Connection } from './connection.js';
import {
  type CheckpointRow,
  type CosignatureRow,
  checkpointExists,
  toCheckpoint,
  toCosignature,
} from '../rows.js';

export const logSize = (c: Connection): number =>
  (c.stmt('SELECT size FROM log_state WHERE id = 1').get() as { size: number }).size;

/** All the asked tiles in one statement: a proof needs about ten, and each statement has its own overhead. */
export function readLogTiles(c: Connection, keys: TileKey[]): Map<string, Buffer> {
  const rows = c
    .stmt(
      `SELECT t.level, t.idx, t.hashes FROM json_each(?) k
       JOIN log_tiles t ON t.level = k.value ->> 0 AND t.idx = k.value ->> 1`,
    )
    .all(JSON.stringify(keys.map((k) => [k.level, k.index]))) as {
    level: number;
    idx: number;
    hashes: Buffer;
  }[];
  return new Map(rows.map((r) => [tileKeyString({ level: r.level, index: r.idx }), r.hashes]));
}

/**
 * Appends the leaves of events just inserted with seq `firstSeq`, `firstSeq + 1`, …: leaf index is seq − 1, so the
 * log must be exactly `firstSeq − 1` leaves long, or the two have drifted apart and nothing more may be written.
 */
export function appendEventLeaves(
  c: Connection,
  firstSeq: number,
  events: readonly (EventRecord & { salt: Buffer; leafHash?: Buffer | undefined })[],
) {
  const size = logSize(c);
  if (size !== firstSeq - 1)
    throw new Error(`log has ${size} leaves but the next event has seq ${firstSeq}: events and log disagree`);
  appendLeafHashes(
    c,
    events.map((e) => e.leafHash ?? eventLeaf(e, e.salt).hash),
  );
}

/** Extends the stored tree by these leaf hashes: the edge tiles read, the changed and new tiles written. */
export function appendLeafHashes(c: Connection, leafHashes: Buffer[]): void {
  const size = logSize(c);
  const writes = appendLeaves(size, leafHashes, readLogTiles(c, edgeTiles(size)));
  const put = c.stmt(
    `INSERT INTO log_tiles (level, idx, hashes) VALUES (?, ?, ?)
     ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes`,
  );
  for (const tile of writes) put.run(tile.level, tile.index, tile.hashes);
  c.stmt('UPDATE log_state SET size = ? WHERE id = 1').run(size + leafHashes.length);
}

export function latestCheckpoint(c: Connection): CheckpointRecord | null {
  const row = c.stmt('SELECT * FROM log_checkpoints ORDER BY size DESC LIMIT 1').get() as
    CheckpointRow | undefined;
  return row ? toCheckpoint(row) : null;
}

export function getCheckpoint(c: Connection, size: number): CheckpointRecord | null {
  const row = c.stmt('SELECT * FROM log_checkpoints WHERE size = ?').get(size) as CheckpointRow | undefined;
  return row ? toCheckpoint(row) : null;
}

export function listCheckpoints(c: Connection, page: PageRequest): Page<CheckpointRecord> {
  const rows = c
    .stmt('SELECT * FROM log_checkpoints WHERE size > ? ORDER BY size LIMIT ?')
    .all(page.after, page.limit + 1) as CheckpointRow[];
  return Connection.page(
    rows.map((r) => ({ ...r, seq: r.size })),
    page.limit,
    toCheckpoint,
  );
}

export function insertCheckpoint(c: Connection, cp: CheckpointRecord): void {
  try {
    c.stmt('INSERT INTO log_checkpoints (size, root_hash, note, signed_at) VALUES (?, ?, ?, ?)').run(
      cp.size,
      cp.rootHash,
      cp.note,
      cp.signedAt,
    );
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw checkpointExists(cp.size);
    throw error;
  }
}

export const listCosignatures = (c: Connection, size: number): CosignatureRecord[] =>
  (
    c.stmt('SELECT * FROM log_cosignatures WHERE size = ? ORDER BY witness').all(size) as CosignatureRow[]
  ).map(toCosignature);

export function putCosignature(c: Connection, cs: CosignatureRecord): void {
  c.stmt(
    `INSERT INTO log_cosignatures (size, witness, line, cosigned_at, received_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (size, witness) DO UPDATE SET line = excluded.line, cosigned_at = excluded.cosigned_at,
       received_at = excluded.received_at`,
  ).run(cs.size, cs.witness, cs.line, cs.cosignedAt, cs.receivedAt);
}
