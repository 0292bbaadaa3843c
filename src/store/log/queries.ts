import { conflict } from '../../domain/errors.js';
import { toEvent, type EventRow } from '../events/queries.js';
import { pageOf } from '../sql/page.js';
import type { QueriesOf } from '../sql/queries.js';
import { LOG_SIZE, tileKeys, tilesFound, tilesQuery, type TileRow } from './append.js';
import type { CheckpointRecord, CosignatureRecord, LogReader, LogWriter } from './interface.js';

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
};
