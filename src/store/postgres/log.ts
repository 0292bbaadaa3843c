/** The transparency log's storage: tree tiles, its size, signed checkpoints and witnesses' cosignatures. */
import { eventLeaf, type EventRecord } from '../../log/leaf.js';
import { appendLeaves, edgeTiles, tileKeyString, type TileKey } from '../../log/tiles.js';
import type { CheckpointRecord, CosignatureRecord, Page, PageRequest } from '../store.js';
import { Connection } from './connection.js';
import pg from 'pg';
import {
  type CheckpointRow,
  type CosignatureRow,
  checkpointExists,
  toCheckpoint,
  toCosignature,
} from '../rows.js';

export const logSize = async (c: Connection): Promise<number> =>
  (await c.row<{ size: number }>('SELECT size FROM log_state WHERE id = 1'))!.size;

/**
 * All the asked tiles in one statement, in the order asked: a proof needs about ten. Each is looked up by its key
 * (the LIMIT keeps the planner from turning the lookups into a join that scans the table).
 */
export async function readLogTiles(c: Connection, keys: TileKey[]): Promise<Map<string, Buffer>> {
  const rows = await c.rows<{ level: number; idx: number; hashes: Buffer }>(
    `SELECT k.level, k.idx, t.hashes
     FROM unnest($1::integer[], $2::bigint[]) WITH ORDINALITY AS k(level, idx, n)
     CROSS JOIN LATERAL (SELECT hashes FROM log_tiles WHERE level = k.level AND idx = k.idx LIMIT 1) t
     ORDER BY k.n`,
    [keys.map((k) => k.level), keys.map((k) => k.index)],
  );
  return new Map(rows.map((r) => [tileKeyString({ level: r.level, index: r.idx }), r.hashes]));
}

/**
 * Appends the leaves of events just inserted with seq `firstSeq`, `firstSeq + 1`, …: leaf index is seq − 1, so the
 * log must be exactly `firstSeq − 1` leaves long, or the two have drifted apart and nothing more may be written.
 */
export async function appendEventLeaves(
  c: Connection,
  firstSeq: number,
  events: readonly (EventRecord & { salt: Buffer; leafHash?: Buffer | undefined })[],
): Promise<void> {
  const size = await logSize(c);
  if (size !== firstSeq - 1)
    throw new Error(`log has ${size} leaves but the next event has seq ${firstSeq}: events and log disagree`);
  await appendLeafHashes(
    c,
    events.map((e) => e.leafHash ?? eventLeaf(e, e.salt).hash),
  );
}

/** Extends the stored tree by these leaf hashes: the edge tiles read, the changed and new tiles written at once. */
export async function appendLeafHashes(c: Connection, leafHashes: Buffer[]): Promise<void> {
  const size = await logSize(c);
  const writes = appendLeaves(size, leafHashes, await readLogTiles(c, edgeTiles(size)));
  await c.run(
    `INSERT INTO log_tiles (level, idx, hashes)
     SELECT * FROM unnest($1::integer[], $2::bigint[], $3::bytea[])
     ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes`,
    [writes.map((t) => t.level), writes.map((t) => t.index), writes.map((t) => t.hashes)],
  );
  await c.run('UPDATE log_state SET size = $1 WHERE id = 1', [size + leafHashes.length]);
}

export async function latestCheckpoint(c: Connection): Promise<CheckpointRecord | null> {
  const row = await c.row<CheckpointRow>('SELECT * FROM log_checkpoints ORDER BY size DESC LIMIT 1');
  return row ? toCheckpoint(row) : null;
}

export async function getCheckpoint(c: Connection, size: number): Promise<CheckpointRecord | null> {
  const row = await c.row<CheckpointRow>('SELECT * FROM log_checkpoints WHERE size = $1', [size]);
  return row ? toCheckpoint(row) : null;
}

export async function listCheckpoints(c: Connection, page: PageRequest): Promise<Page<CheckpointRecord>> {
  const rows = await c.rows<CheckpointRow>(
    'SELECT * FROM log_checkpoints WHERE size > $1 ORDER BY size LIMIT $2',
    [page.after, page.limit + 1],
  );
  return Connection.page(
    rows.map((r) => ({ ...r, seq: r.size })),
    page.limit,
    toCheckpoint,
  );
}

export async function insertCheckpoint(c: Connection, cp: CheckpointRecord): Promise<void> {
  try {
    await c.run('INSERT INTO log_checkpoints (size, root_hash, note, signed_at) VALUES ($1, $2, $3, $4)', [
      cp.size,
      cp.rootHash,
      cp.note,
      cp.signedAt,
    ]);
  } catch (error) {
    // unique_violation: only the primary key (size) is unique in this table.
    if (error instanceof pg.DatabaseError && error.code === '23505') throw checkpointExists(cp.size);
    throw error;
  }
}

export const listCosignatures = async (c: Connection, size: number): Promise<CosignatureRecord[]> =>
  (
    await c.rows<CosignatureRow>('SELECT * FROM log_cosignatures WHERE size = $1 ORDER BY witness', [size])
  ).map(toCosignature);

export async function putCosignature(c: Connection, cs: CosignatureRecord): Promise<void> {
  await c.run(
    `INSERT INTO log_cosignatures (size, witness, line, cosigned_at, received_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (size, witness) DO UPDATE SET line = excluded.line, cosigned_at = excluded.cosigned_at,
       received_at = excluded.received_at`,
    [cs.size, cs.witness, cs.line, cs.cosignedAt, cs.receivedAt],
  );
}
