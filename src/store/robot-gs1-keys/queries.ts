import type { QueriesOf } from '../sql/queries.js';
import type { RobotGs1Key, RobotGs1KeyReader, RobotGs1KeyWriter } from './interface.js';

interface KeyRow {
  robot_id: string;
  gs1_key: string;
  registered_by: string;
  registered_at: string;
}

const toKey = (r: KeyRow): RobotGs1Key => ({
  robotId: r.robot_id,
  gs1Key: r.gs1_key,
  registeredBy: r.registered_by,
  registeredAt: r.registered_at,
});

export const reads: QueriesOf<RobotGs1KeyReader> = {
  async getRobotGs1Key(db, robotId) {
    const row = await db.get<KeyRow>('SELECT * FROM robot_gs1_keys WHERE robot_id = ?', [robotId]);
    return row ? toKey(row) : null;
  },

  async robotIdsByGs1Keys(db, gs1Keys) {
    if (gs1Keys.length === 0) return new Map();
    const rows = await db.all<KeyRow>(`SELECT * FROM robot_gs1_keys WHERE ${db.dialect.inList('gs1_key')}`, [
      db.dialect.listValue(gs1Keys),
    ]);
    return new Map(rows.map((row) => [row.gs1_key, row.robot_id]));
  },
  // substr, not LIKE: the same on both stores whatever the collation, and no wildcard in a key to escape.
  async robotIdsByGs1KeyPrefix(db, prefix, limit) {
    const rows = await db.all<Pick<KeyRow, 'robot_id'>>(
      'SELECT robot_id FROM robot_gs1_keys WHERE substr(gs1_key, 1, ?) = ? ORDER BY robot_id LIMIT ?',
      [prefix.length, prefix, limit],
    );
    return rows.map((row) => row.robot_id);
  },
};

export const writes: QueriesOf<RobotGs1KeyWriter> = {
  async putRobotGs1Key(db, k) {
    await db.run('DELETE FROM robot_gs1_keys WHERE robot_id = ?', [k.robotId]);
    await db.run(
      'INSERT INTO robot_gs1_keys (robot_id, gs1_key, registered_by, registered_at) VALUES (?, ?, ?, ?)',
      [k.robotId, k.gs1Key, k.registeredBy, k.registeredAt],
    );
  },

  deleteRobotGs1Key: async (db, robotId) =>
    (await db.run('DELETE FROM robot_gs1_keys WHERE robot_id = ?', [robotId])).changes > 0,
};
