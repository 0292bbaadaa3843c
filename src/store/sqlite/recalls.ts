import type { QueriesOf } from '../sql/queries.js';
import type { RecallWriter } from '../recalls/interface.js';
import type { Connection } from './connection.js';

/**
 * Recall writes of each capture's unit of work (src/app/recalls/tracking.ts), on the capture's hot path. SQLite
 * runs a prepared statement per row at once, with no JSON to build and take apart (the written-once versions send
 * the batch as one JSON parameter, which spares PostgreSQL a round trip per row).
 */
export const writes: Partial<QueriesOf<RecallWriter, Connection>> = {
  addRecallRobots(c, entries, at) {
    const insert = c.stmt(
      `INSERT INTO recall_robots (recall, robot_id, custodian_id, state, matched_at, changed_at)
       VALUES (?, ?, ?, 'notified', ?, ?) ON CONFLICT DO NOTHING`,
    );
    for (const e of entries) insert.run(e.recall, e.robotId, e.custodianId, at, at);
  },

  putRecallStates(c, changes) {
    const update = c.stmt(
      `UPDATE recall_robots SET state = ?, changed_at = ?, remedy_seq = coalesce(?, remedy_seq), note = ?
       WHERE recall = ? AND robot_id = ?`,
    );
    for (const x of changes)
      update.run(x.state, x.at, x.remedySeq ?? null, x.note ?? null, x.recall, x.robotId);
  },
};
