import type { Db } from '../sql/db.js';
import { pageOf } from '../sql/page.js';
import type { QueriesOf } from '../sql/queries.js';
import { affectedRobotsQuery, candidatesQuery, prefixRanges } from './criteria.js';
import type { RecallReader, RecallRobotFilter, RecallWriter } from './interface.js';
import {
  countsFrom,
  progressFrom,
  recallChangeColumns,
  recallValues,
  toRecall,
  toRecallRobot,
  type DayCount,
  type RecallRobotRow,
  type RecallRow,
  type StateCount,
} from './rows.js';

/** WHERE clause over recall_robots for a campaign, a filter and the robot ID to continue after. */
function recallRobotWhere(number: string, filter: RecallRobotFilter, after: string, values: unknown[]) {
  values.push(number, after);
  const parts = ['recall = ?', 'robot_id > ?'];
  if (filter.state) {
    values.push(filter.state);
    parts.push('state = ?');
  }
  if (filter.custodianId) {
    values.push(filter.custodianId);
    parts.push('custodian_id = ?');
  }
  if (filter.idPrefixes) parts.push(prefixRanges('robot_id', filter.idPrefixes, values));
  if (filter.stopUsePending) parts.push('stop_use IS NULL');
  return `WHERE ${parts.join(' AND ')}`;
}

const statesOf = (db: Db, number: string) =>
  db.all<StateCount>('SELECT state, count(*) AS n FROM recall_robots WHERE recall = ? GROUP BY state', [
    number,
  ]);

/**
 * `WITH x AS MATERIALIZED (…)`: a batch of changes (a `jsonRecords` FROM item) as the table `x` that drives an
 * UPDATE … FROM x, each change finding its row by key. Not materialized, SQLite joins the JSON rows inside its
 * loop over the campaign's rows instead: 50 s to update 1,000 robots of a campaign of 50,000.
 */
const changesDriving = (from: string) => `WITH x AS MATERIALIZED (SELECT * FROM ${from})`;

/**
 * A batch with one change per row (`key`), as applying the batch in order would leave each row (`merge` folds a
 * later change into an earlier one): an UPDATE … FROM a join that matches a row twice applies only one of them,
 * which one unspecified.
 */
function onePerRow<T>(changes: T[], key: (change: T) => string, merge: (earlier: T, later: T) => T): T[] {
  const byRow = new Map<string, T>();
  for (const change of changes) {
    const earlier = byRow.get(key(change));
    byRow.set(key(change), earlier ? merge(earlier, change) : change);
  }
  return [...byRow.values()];
}

const NEW_ENTRY_COLUMNS = 'recall_robots (recall, robot_id, custodian_id, state, matched_at, changed_at)';

export const reads: QueriesOf<RecallReader> = {
  async getRecall(db, number) {
    const row = await db.get<RecallRow>('SELECT * FROM recalls WHERE number = ?', [number]);
    return row ? toRecall(row) : null;
  },

  // One SQL text per combination of the filter's fields: each stays a prepared statement.
  async listRecalls(db, filter, page) {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (page.after !== 0) {
      conditions.push('seq < ?');
      values.push(page.after);
    }
    if (filter.status !== undefined) {
      conditions.push('status = ?');
      values.push(filter.status);
    }
    if (filter.manufacturerId !== undefined) {
      conditions.push('manufacturer_id = ?');
      values.push(filter.manufacturerId);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = await db.all<RecallRow>(`SELECT * FROM recalls ${where} ORDER BY seq DESC LIMIT ?`, [
      ...values,
      page.limit + 1,
    ]);
    return pageOf(rows, page.limit, toRecall);
  },

  async listOpenRecalls(db) {
    return (await db.all<RecallRow>("SELECT * FROM recalls WHERE status = 'open' ORDER BY seq")).map(
      toRecall,
    );
  },

  async findRecallCandidates(db, criteria, scope) {
    const { sql, values } = candidatesQuery(criteria, scope, db.dialect);
    return (await db.adHoc<{ robot_id: string }>(sql, values)).map((r) => r.robot_id);
  },

  async listRecallEntries(db, robotIds) {
    if (robotIds.length === 0) return [];
    const rows = await db.all<RecallRobotRow>(
      `SELECT * FROM recall_robots WHERE ${db.dialect.inList('robot_id')} ORDER BY robot_id, recall`,
      [db.dialect.listValue(robotIds)],
    );
    return rows.map(toRecallRobot);
  },

  async listRecallRobots(db, number, filter, page) {
    const values: unknown[] = [];
    const where = recallRobotWhere(number, filter, page.after, values);
    const rows = await db.adHoc<RecallRobotRow>(
      `SELECT * FROM recall_robots ${where} ORDER BY robot_id LIMIT ?`,
      [...values, page.limit + 1],
    );
    return pageOf(rows, page.limit, toRecallRobot, (row) => row.robot_id);
  },

  async recallCounts(db, number) {
    return countsFrom(await statesOf(db, number));
  },

  async recallProgress(db, number) {
    const [states, matched, remedied] = await Promise.all([
      statesOf(db, number),
      db.all<DayCount>(
        'SELECT substr(matched_at, 1, 10) AS day, count(*) AS n FROM recall_robots WHERE recall = ? GROUP BY day',
        [number],
      ),
      db.all<DayCount>(
        `SELECT substr(changed_at, 1, 10) AS day, count(*) AS n FROM recall_robots
         WHERE recall = ? AND state = 'remedied' GROUP BY day`,
        [number],
      ),
    ]);
    return progressFrom(states, matched, remedied);
  },
};

export const writes: QueriesOf<RecallWriter> = {
  async insertRecall(db, recall, seq) {
    await db.run(
      `INSERT INTO recalls (seq, number, manufacturer_id, scope, opened_by, opened_by_key, opened_at, draft, status,
         closed_at, affected_set, computed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      recallValues(recall, seq),
    );
  },

  async updateRecall(db, number, change) {
    const columns = recallChangeColumns(change);
    if (columns.length === 0) return;
    await db.run(
      `UPDATE recalls SET ${columns.map(([column]) => `${column} = ?`).join(', ')} WHERE number = ?`,
      [...columns.map(([, value]) => value), number],
    );
  },

  // `WHERE true`: SQLite needs it to read ON CONFLICT as the INSERT's, not as part of the SELECT's join.
  async addRecallCandidates(db, recall, candidates, at) {
    if (candidates.length === 0) return [];
    const values: unknown[] = [recall.number, at, at];
    const affected = affectedRobotsQuery(recall.criteria, recall.scope, db.dialect, values, candidates);
    const rows = await db.adHoc<{ robot_id: string; custodian_id: string }>(
      `INSERT INTO ${NEW_ENTRY_COLUMNS}
       SELECT ?, robot_id, custodian_id, 'notified', ?, ? FROM (${affected}) AS affected WHERE true
       ON CONFLICT DO NOTHING RETURNING robot_id, custodian_id`,
      values,
    );
    return rows.map((r) => ({ robotId: r.robot_id, custodianId: r.custodian_id }));
  },

  async addRecallRobots(db, entries, at) {
    if (entries.length === 0) return;
    const from = db.dialect.jsonRecords('e', { recall: 'text', robot_id: 'text', custodian_id: 'text' });
    await db.run(
      `INSERT INTO ${NEW_ENTRY_COLUMNS}
       SELECT e.recall, e.robot_id, e.custodian_id, 'notified', ?, ? FROM ${from} WHERE true
       ON CONFLICT DO NOTHING`,
      [
        at,
        at,
        JSON.stringify(
          entries.map((e) => ({ recall: e.recall, robot_id: e.robotId, custodian_id: e.custodianId })),
        ),
      ],
    );
  },

  async putRecallStates(db, changes) {
    if (changes.length === 0) return;
    const from = db.dialect.jsonRecords('j', {
      recall: 'text',
      robot_id: 'text',
      state: 'text',
      at: 'text',
      remedy_seq: 'integer',
      note: 'text',
    });
    await db.run(
      `${changesDriving(from)} UPDATE recall_robots AS r
       SET state = x.state, changed_at = x.at, remedy_seq = coalesce(x.remedy_seq, r.remedy_seq), note = x.note
       FROM x WHERE r.recall = x.recall AND r.robot_id = x.robot_id`,
      [
        JSON.stringify(
          onePerRow(
            changes,
            (x) => `${x.recall} ${x.robotId}`,
            // A remedy stays recorded through a later change without one (as coalesce, below).
            (a, b) => ({ ...b, remedySeq: b.remedySeq ?? a.remedySeq }),
          ).map((x) => ({
            recall: x.recall,
            robot_id: x.robotId,
            state: x.state,
            at: x.at,
            remedy_seq: x.remedySeq ?? null,
            note: x.note ?? null,
          })),
        ),
      ],
    );
  },

  async setRecallStopUse(db, number, entries) {
    if (entries.length === 0) return;
    const from = db.dialect.jsonRecords('j', { robot_id: 'text', seq: 'integer', outcome: 'text' });
    await db.run(
      `${changesDriving(from)} UPDATE recall_robots AS r SET suspension_seq = x.seq, stop_use = x.outcome
       FROM x WHERE r.recall = ? AND r.robot_id = x.robot_id`,
      [
        JSON.stringify(
          onePerRow(
            entries,
            (e) => e.robotId,
            (_, later) => later,
          ).map((e) => ({
            robot_id: e.robotId,
            seq: e.seq,
            outcome: e.outcome,
          })),
        ),
        number,
      ],
    );
  },
};
