import { conflict } from '../../domain/errors.js';
import { toEvent, type EventRow } from '../events/queries.js';
import { pageOf } from '../sql/page.js';
import type { QueriesOf } from '../sql/queries.js';
import { LOG_SIZE, tileKeys, tilesFound, tilesQuery, type TileRow } from './append.js';
import type { MapNode } from '../../log/heads-map.js';
import type { CheckpointRecord, CosignatureRecord, LogReader, LogWriter } from './interface.js';

interface HeadsRow {
  path: string;
  hash: Buffer;
  robot_key: Buffer | null;
  leaf_count: number | null;
  head: number | null;
}

const toMapNode = (r: HeadsRow): MapNode => ({
  hash: r.hash,
  entry: r.robot_key ? { key: r.robot_key, count: Number(r.leaf_count), head: Number(r.head) } : null,
});

interface CheckpointRow {
  size: number;
  root_hash: Buffer;
  note: string;
  signed_at: string;
}

const toCheckpoint = (r: CheckpointRow): CheckpointRecord => ({
  size: r.size,
  rootHash: r.root_hash,
  note: r.note,
  signedAt: r.signed_at,
});

interface CosignatureRow {
  size: number;
  witness: string;
  line: string;
  cosigned_at: number;
  received_at: string;
}

const toCosignature = (r: CosignatureRow): CosignatureRecord => ({
  size: r.size,
  witness: r.witness,
  line: r.line,
  cosignedAt: r.cosigned_at,
  receivedAt: r.received_at,
});

/** A second checkpoint for a tree size: the registry signs one tree head per size, so this is refused. */
const checkpointExists = (size: number) =>
  conflict('checkpoint-exists', `a checkpoint of tree size ${size} is signed already`);

export const reads: QueriesOf<LogReader> = {
  logSize: async (db) => (await db.get<{ size: number }>(LOG_SIZE))!.size,

  /** All the asked tiles in one statement: a proof needs about ten, and each statement has its own overhead. */
  readLogTiles: async (db, keys) =>
    tilesFound(await db.all<TileRow>(tilesQuery(db.dialect), [tileKeys(keys)])),

  listEventsBySeq: async (db, from, to) =>
    (await db.all<EventRow>('SELECT * FROM events WHERE seq >= ? AND seq < ? ORDER BY seq', [from, to])).map(
      toEvent,
    ),

  async latestCheckpoint(db) {
    const row = await db.get<CheckpointRow>('SELECT * FROM log_checkpoints ORDER BY size DESC LIMIT 1');
    return row ? toCheckpoint(row) : null;
  },

  async getCheckpoint(db, size) {
    const row = await db.get<CheckpointRow>('SELECT * FROM log_checkpoints WHERE size = ?', [size]);
    return row ? toCheckpoint(row) : null;
  },

  async listCheckpoints(db, page) {
    const rows = await db.all<CheckpointRow>(
      'SELECT * FROM log_checkpoints WHERE size > ? ORDER BY size LIMIT ?',
      [page.after, page.limit + 1],
    );
    return pageOf(rows, page.limit, toCheckpoint, (r) => r.size);
  },

  listCosignatures: async (db, size) =>
    (
      await db.all<CosignatureRow>('SELECT * FROM log_cosignatures WHERE size = ? ORDER BY witness', [size])
    ).map(toCosignature),

  async readHeadsNodes(db, paths) {
    if (paths.length === 0) return new Map();
    const rows = await db.all<HeadsRow>(
      `SELECT path, hash, robot_key, leaf_count, head FROM log_heads WHERE ${db.dialect.inList('path')}`,
      [db.dialect.listValue(paths)],
    );
    return new Map(rows.map((r) => [r.path, toMapNode(r)]));
  },

  robotLeavesBetween: async (db, after, upTo) =>
    (
      await db.all<{ robot_id: string; added: number; last_seq: number }>(
        `SELECT robot_id, count(*) AS added, max(seq) AS last_seq FROM events WHERE seq > ? AND seq <= ?
         GROUP BY robot_id`,
        [after, upTo],
      )
    ).map((r) => ({ robotId: r.robot_id, added: Number(r.added), lastSeq: Number(r.last_seq) })),
};

export const writes: QueriesOf<LogWriter> = {
  // DO NOTHING and a count, rather than each driver's unique-violation code (which also aborts PostgreSQL's
  // transaction).
  async insertCheckpoint(db, cp) {
    const { changes } = await db.run(
      `INSERT INTO log_checkpoints (size, root_hash, note, signed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (size) DO NOTHING`,
      [cp.size, cp.rootHash, cp.note, cp.signedAt],
    );
    if (changes === 0) throw checkpointExists(cp.size);
  },

  async putCosignature(db, cs) {
    await db.run(
      `INSERT INTO log_cosignatures (size, witness, line, cosigned_at, received_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (size, witness) DO UPDATE SET line = excluded.line, cosigned_at = excluded.cosigned_at,
         received_at = excluded.received_at`,
      [cs.size, cs.witness, cs.line, cs.cosignedAt, cs.receivedAt],
    );
  },

  /** All in one statement, as one JSON parameter: a checkpoint after a busy interval rewrites thousands. */
  async putHeadsNodes(db, nodes) {
    if (nodes.size === 0) return;
    // WHERE true: SQLite reads an upsert's ON after a bare FROM as a join's.
    await db.run(
      `INSERT INTO log_heads (path, hash, robot_key, leaf_count, head)
       SELECT path, hash, robot_key, leaf_count, head
       FROM ${db.dialect.jsonRecords('n', { path: 'text', hash: 'bytes', robot_key: 'bytes', leaf_count: 'integer', head: 'integer' })}
       WHERE true
       ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, robot_key = excluded.robot_key,
         leaf_count = excluded.leaf_count, head = excluded.head`,
      [
        JSON.stringify(
          [...nodes].map(([path, n]) => ({
            path,
            hash: n.hash.toString('hex'),
            robot_key: n.entry?.key.toString('hex') ?? null,
            leaf_count: n.entry?.count ?? null,
            head: n.entry?.head ?? null,
          })),
        ),
      ],
    );
  },

  async clearHeadsNodes(db) {
    await db.run('DELETE FROM log_heads');
  },
};
