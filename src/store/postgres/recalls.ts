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

const POSTGRES: SqlDialect = {
  ph: (n) => `$${n}`,
  byteOrder: ' COLLATE "C"',
  rowsOf: (placeholder) => `unnest(${placeholder}::text[]) AS a(value)`,
  listValue: (items) => items,
};

export async function getRecall(c: Connection, number: string): Promise<RecallRecord | null> {
  const row = await c.row<RecallRow>('SELECT * FROM recalls WHERE number = $1', [number]);
  return row ? toRecall(row) : null;
}

export async function listRecalls(
  c: Connection,
  filter: RecallFilter,
  page: PageRequest,
): Promise<Page<RecallRecord>> {
  const rows = await c.rows<RecallRow>(
    `SELECT * FROM recalls WHERE ($1::bigint = 0 OR seq < $1) AND ($2::text IS NULL OR status = $2)
       AND ($3::text IS NULL OR manufacturer_id = $3)
     ORDER BY seq DESC LIMIT $4`,
    [page.after, filter.status ?? null, filter.manufacturerId ?? null, page.limit + 1],
  );
  return toRecallPage(rows, page.limit);
}

export const listOpenRecalls = async (c: Connection): Promise<RecallRecord[]> =>
  (await c.rows<RecallRow>("SELECT * FROM recalls WHERE status = 'open' ORDER BY seq")).map(toRecall);

export async function findRecallCandidates(
  c: Connection,
  criteria: RecallCriteria,
  scope: string[] | null,
): Promise<string[]> {
  const { sql, values } = candidatesQuery(criteria, scope, POSTGRES);
  return (await c.rows<{ robot_id: string }>(sql, values)).map((r) => r.robot_id);
}

export async function listRecallEntries(c: Connection, robotIds: string[]): Promise<RecallRobot[]> {
  if (robotIds.length === 0) return [];
  const rows = await c.rows<RecallRobotRow>(
    'SELECT * FROM recall_robots WHERE robot_id = ANY($1::text[]) ORDER BY robot_id, recall',
    [robotIds],
  );
  return rows.map(toRecallRobot);
}

export async function listRecallRobots(
  c: Connection,
  number: string,
  filter: RecallRobotFilter,
  page: PageRequest<string>,
): Promise<Page<RecallRobot, string>> {
  const { where, values } = recallRobotWhere(number, filter, page.after, (n) => `$${n}`);
  const rows = await c.rows<RecallRobotRow>(
    `SELECT * FROM recall_robots ${where} ORDER BY robot_id LIMIT $${values.length + 1}`,
    [...values, page.limit + 1],
  );
  return toRecallRobotPage(rows, page.limit);
}

const STATES = 'SELECT state, count(*) AS n FROM recall_robots WHERE recall = $1 GROUP BY state';

export const recallCounts = async (c: Connection, number: string) =>
  countsFrom(await c.rows<{ state: string; n: string }>(STATES, [number]));

export async function recallProgress(c: Connection, number: string): Promise<RecallProgress> {
  const [states, matched, remedied] = await Promise.all([
    c.rows<{ state: string; n: string }>(STATES, [number]),
    c.rows<{ day: string; n: string }>(
      'SELECT substr(matched_at, 1, 10) AS day, count(*) AS n FROM recall_robots WHERE recall = $1 GROUP BY day',
      [number],
    ),
    c.rows<{ day: string; n: string }>(
      `SELECT substr(changed_at, 1, 10) AS day, count(*) AS n FROM recall_robots
       WHERE recall = $1 AND state = 'remedied' GROUP BY day`,
      [number],
    ),
  ]);
  return progressFrom(states, matched, remedied);
}

export async function insertRecall(c: Connection, recall: RecallRecord, seq: number): Promise<void> {
  await c.run(
    `INSERT INTO recalls (seq, number, manufacturer_id, scope, opened_by, opened_by_key, opened_at, draft, status,
       closed_at, affected_set, computed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    recallValues(recall, seq),
  );
}

export async function updateRecall(c: Connection, number: string, change: RecallChange): Promise<void> {
  const columns = recallChangeColumns(change);
  if (columns.length === 0) return;
  await c.run(
    `UPDATE recalls SET ${columns.map(([column], i) => `${column} = $${i + 1}`).join(', ')}
     WHERE number = $${columns.length + 1}`,
    [...columns.map(([, value]) => value), number],
  );
}

export async function addRecallCandidates(
  c: Connection,
  recall: RecallRecord,
  candidates: string[],
  at: string,
): Promise<{ robotId: string; custodianId: string }[]> {
  if (candidates.length === 0) return [];
  const { sql, values } = affectedRobotsQuery(recall.criteria, recall.scope, POSTGRES, candidates, 2);
  const rows = await c.rows<{ robot_id: string; custodian_id: string }>(
    `INSERT INTO recall_robots (recall, robot_id, custodian_id, state, matched_at, changed_at)
     SELECT $1, robot_id, custodian_id, 'notified', $2, $2 FROM (${sql}) AS affected
     ON CONFLICT DO NOTHING RETURNING robot_id, custodian_id`,
    [recall.number, at, ...values],
  );
  return rows.map((r) => ({ robotId: r.robot_id, custodianId: r.custodian_id }));
}

export async function addRecallRobots(
  c: Connection,
  entries: { recall: string; robotId: string; custodianId: string }[],
  at: string,
): Promise<void> {
  if (entries.length === 0) return;
  await c.run(
    `INSERT INTO recall_robots (recall, robot_id, custodian_id, state, matched_at, changed_at)
     SELECT e.recall, e.robot_id, e.custodian_id, 'notified', $2, $2
     FROM json_to_recordset($1::json) AS e(recall text, robot_id text, custodian_id text)
     ON CONFLICT DO NOTHING`,
    [
      JSON.stringify(
        entries.map((e) => ({ recall: e.recall, robot_id: e.robotId, custodian_id: e.custodianId })),
      ),
      at,
    ],
  );
}

export async function putRecallStates(c: Connection, changes: RecallStateChange[]): Promise<void> {
  if (changes.length === 0) return;
  await c.run(
    `UPDATE recall_robots r SET state = x.state, changed_at = x.at, remedy_seq = coalesce(x.remedy_seq, r.remedy_seq),
       note = x.note
     FROM json_to_recordset($1::json) AS x(recall text, robot_id text, state text, at text, remedy_seq bigint, note text)
     WHERE r.recall = x.recall AND r.robot_id = x.robot_id`,
    [
      JSON.stringify(
        changes.map((x) => ({
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
}

export async function setRecallStopUse(
  c: Connection,
  number: string,
  entries: StopUseOutcome[],
): Promise<void> {
  if (entries.length === 0) return;
  await c.run(
    `UPDATE recall_robots r SET suspension_seq = x.seq, stop_use = x.outcome
     FROM json_to_recordset($2::json) AS x(robot_id text, seq bigint, outcome text)
     WHERE r.recall = $1 AND r.robot_id = x.robot_id`,
    [number, JSON.stringify(entries.map((e) => ({ robot_id: e.robotId, seq: e.seq, outcome: e.outcome })))],
  );
}
