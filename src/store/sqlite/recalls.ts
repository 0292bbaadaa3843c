import type { RecallCriteria } from '../../domain/safety/recalls.js';
import type {
  Page,
  PageRequest,
  RecallChange,
  RecallFilter,
  RecallProgress,
  RecallRecord,
  RecallRobot,
  RecallRobotFilter,
  RecallStateChange,
  StopUseOutcome,
} from '../store.js';
import { affectedRobotsQuery, candidatesQuery, type SqlDialect } from '../recall-sql.js';
import {
  countsFrom,
  progressFrom,
  recallChangeColumns,
  recallRobotWhere,
  recallValues,
  toRecall,
  toRecallPage,
  toRecallRobot,
  toRecallRobotPage,
  type RecallRobotRow,
  type RecallRow,
} from '../recall-rows.js';
import type { Connection } from './connection.js';

const SQLITE: SqlDialect = {
  ph: () => '?',
  byteOrder: '',
  rowsOf: (placeholder) => `json_each(${placeholder}) AS a`,
  listValue: (items) => JSON.stringify(items),
};

export function getRecall(c: Connection, number: string): RecallRecord | null {
  const row = c.stmt('SELECT * FROM recalls WHERE number = ?').get(number) as RecallRow | undefined;
  return row ? toRecall(row) : null;
}

export function listRecalls(c: Connection, filter: RecallFilter, page: PageRequest): Page<RecallRecord> {
  const rows = c
    .stmt(
      `SELECT * FROM recalls WHERE (? = 0 OR seq < ?) AND (? IS NULL OR status = ?)
         AND (? IS NULL OR manufacturer_id = ?)
       ORDER BY seq DESC LIMIT ?`,
    )
    .all(
      page.after,
      page.after,
      filter.status ?? null,
      filter.status ?? null,
      filter.manufacturerId ?? null,
      filter.manufacturerId ?? null,
      page.limit + 1,
    ) as RecallRow[];
  return toRecallPage(rows, page.limit);
}

export const listOpenRecalls = (c: Connection): RecallRecord[] =>
  (c.stmt("SELECT * FROM recalls WHERE status = 'open' ORDER BY seq").all() as RecallRow[]).map(toRecall);

export function findRecallCandidates(
  c: Connection,
  criteria: RecallCriteria,
  scope: string[] | null,
): string[] {
  const { sql, values } = candidatesQuery(criteria, scope, SQLITE);
  return c.db
    .prepare(sql)
    .pluck()
    .all(...values) as string[];
}

export function listRecallEntries(c: Connection, robotIds: string[]): RecallRobot[] {
  if (robotIds.length === 0) return [];
  const rows = c
    .stmt(
      'SELECT * FROM recall_robots WHERE robot_id IN (SELECT value FROM json_each(?)) ORDER BY robot_id, recall',
    )
    .all(JSON.stringify(robotIds)) as RecallRobotRow[];
  return rows.map(toRecallRobot);
}

export function listRecallRobots(
  c: Connection,
  number: string,
  filter: RecallRobotFilter,
  page: PageRequest<string>,
): Page<RecallRobot, string> {
  const { where, values } = recallRobotWhere(number, filter, page.after, () => '?');
  const rows = c.db
    .prepare(`SELECT * FROM recall_robots ${where} ORDER BY robot_id LIMIT ?`)
    .all(...values, page.limit + 1) as RecallRobotRow[];
  return toRecallRobotPage(rows, page.limit);
}

const statesOf = (c: Connection, number: string) =>
  c.stmt('SELECT state, count(*) AS n FROM recall_robots WHERE recall = ? GROUP BY state').all(number) as {
    state: string;
    n: number;
  }[];

export const recallCounts = (c: Connection, number: string) => countsFrom(statesOf(c, number));

export function recallProgress(c: Connection, number: string): RecallProgress {
  const states = statesOf(c, number);
  const matched = c
    .stmt(
      'SELECT substr(matched_at, 1, 10) AS day, count(*) AS n FROM recall_robots WHERE recall = ? GROUP BY day',
    )
    .all(number) as { day: string; n: number }[];
  const remedied = c
    .stmt(
      `SELECT substr(changed_at, 1, 10) AS day, count(*) AS n FROM recall_robots
       WHERE recall = ? AND state = 'remedied' GROUP BY day`,
    )
    .all(number) as { day: string; n: number }[];
  return progressFrom(states, matched, remedied);
}

export function insertRecall(c: Connection, recall: RecallRecord, seq: number): void {
  c.stmt(
    `INSERT INTO recalls (seq, number, manufacturer_id, scope, opened_by, opened_by_key, opened_at, draft, status,
       closed_at, affected_set, computed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(...recallValues(recall, seq));
}

export function updateRecall(c: Connection, number: string, change: RecallChange): void {
  const columns = recallChangeColumns(change);
  if (columns.length === 0) return;
  c.db
    .prepare(`UPDATE recalls SET ${columns.map(([column]) => `${column} = ?`).join(', ')} WHERE number = ?`)
    .run(...columns.map(([, value]) => value), number);
}

export function addRecallCandidates(
  c: Connection,
  recall: RecallRecord,
  candidates: string[],
  at: string,
): { robotId: string; custodianId: string }[] {
  if (candidates.length === 0) return [];
  const { sql, values } = affectedRobotsQuery(recall.criteria, recall.scope, SQLITE, candidates);
  const rows = c.db
    .prepare(
      `INSERT INTO recall_robots (recall, robot_id, custodian_id, state, matched_at, changed_at)
       SELECT ?, robot_id, custodian_id, 'notified', ?, ? FROM (${sql}) WHERE true
       ON CONFLICT DO NOTHING RETURNING robot_id, custodian_id`,
    )
    .all(recall.number, at, at, ...values) as { robot_id: string; custodian_id: string }[];
  return rows.map((r) => ({ robotId: r.robot_id, custodianId: r.custodian_id }));
}

export function addRecallRobots(
  c: Connection,
  entries: { recall: string; robotId: string; custodianId: string }[],
  at: string,
): void {
  const insert = c.stmt(
    `INSERT INTO recall_robots (recall, robot_id, custodian_id, state, matched_at, changed_at)
     VALUES (?, ?, ?, 'notified', ?, ?) ON CONFLICT DO NOTHING`,
  );
  for (const e of entries) insert.run(e.recall, e.robotId, e.custodianId, at, at);
}

export function putRecallStates(c: Connection, changes: RecallStateChange[]): void {
  const update = c.stmt(
    `UPDATE recall_robots SET state = ?, changed_at = ?, remedy_seq = coalesce(?, remedy_seq), note = ?
     WHERE recall = ? AND robot_id = ?`,
  );
  for (const x of changes)
    update.run(x.state, x.at, x.remedySeq ?? null, x.note ?? null, x.recall, x.robotId);
}

export function setRecallStopUse(c: Connection, number: string, entries: StopUseOutcome[]): void {
  const update = c.stmt(
    'UPDATE recall_robots SET suspension_seq = ?, stop_use = ? WHERE recall = ? AND robot_id = ?',
  );
  for (const e of entries) update.run(e.seq, e.outcome, number, e.robotId);
}
