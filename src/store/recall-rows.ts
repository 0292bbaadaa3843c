/** Recall rows as both adapters' SQL returns them, and their mapping to the records of store.ts. */
import type { RecallDraft, RecallRobotState } from '../domain/safety/recalls.js';
import { RECALL_ROBOT_STATES } from '../domain/safety/recalls.js';
import { Params, prefixRanges } from './recall-sql.js';
import type { Page, RecallProgress, RecallRecord, RecallRobot, RecallRobotFilter } from './store.js';

export interface RecallRow {
  seq: number | string;
  number: string;
  manufacturer_id: string | null;
  scope: string | null;
  opened_by: string;
  opened_by_key: string;
  opened_at: string;
  draft: string;
  status: string;
  closed_at: string | null;
  affected_set: string;
  computed_at: string | null;
}

/** The draft's fields, kept as one JSON document (the campaign's text and criteria are read whole). */
const draftOf = (r: RecallRecord): RecallDraft => ({
  component: r.component,
  summary: r.summary,
  consequence: r.consequence,
  remedy: r.remedy,
  stopUse: r.stopUse,
  criteria: r.criteria,
});

/** Column values in the order: seq, number, manufacturer_id, scope, opened_by, opened_by_key, opened_at, draft,
 *  status, closed_at, affected_set, computed_at. */
export const recallValues = (r: RecallRecord, seq: number) => [
  seq,
  r.number,
  r.manufacturerId,
  r.scope ? JSON.stringify(r.scope) : null,
  r.openedBy,
  r.openedByKey,
  r.openedAt,
  JSON.stringify(draftOf(r)),
  r.status,
  r.closedAt,
  r.affectedSet,
  r.computedAt,
];

export const toRecall = (row: RecallRow): RecallRecord => ({
  ...(JSON.parse(row.draft) as RecallDraft),
  number: row.number,
  manufacturerId: row.manufacturer_id,
  scope: row.scope === null ? null : (JSON.parse(row.scope) as string[]),
  openedBy: row.opened_by,
  openedByKey: row.opened_by_key,
  openedAt: row.opened_at,
  status: row.status as RecallRecord['status'],
  closedAt: row.closed_at,
  affectedSet: row.affected_set as RecallRecord['affectedSet'],
  computedAt: row.computed_at,
});

export const toRecallPage = (rows: RecallRow[], limit: number): Page<RecallRecord> => ({
  items: rows.slice(0, limit).map(toRecall),
  next: rows.length > limit ? Number(rows[limit - 1]!.seq) : null,
});

/** The columns a change sets, in a fixed order. */
export function recallChangeColumns(change: Partial<Record<string, unknown>>): [string, unknown][] {
  const columns: [string, string][] = [
    ['status', 'status'],
    ['closedAt', 'closed_at'],
    ['affectedSet', 'affected_set'],
    ['computedAt', 'computed_at'],
  ];
  return columns.filter(([key]) => key in change).map(([key, column]) => [column, change[key]]);
}

export interface RecallRobotRow {
  recall: string;
  robot_id: string;
  custodian_id: string;
  state: string;
  matched_at: string;
  changed_at: string;
  remedy_seq: number | string | null;
  suspension_seq: number | string | null;
  stop_use: string | null;
  note: string | null;
}

export const toRecallRobot = (row: RecallRobotRow): RecallRobot => ({
  recall: row.recall,
  robotId: row.robot_id,
  custodianId: row.custodian_id,
  state: row.state as RecallRobotState,
  matchedAt: row.matched_at,
  changedAt: row.changed_at,
  remedySeq: row.remedy_seq === null ? null : Number(row.remedy_seq),
  suspensionSeq: row.suspension_seq === null ? null : Number(row.suspension_seq),
  stopUse: row.stop_use,
  note: row.note,
});

export const toRecallRobotPage = (rows: RecallRobotRow[], limit: number): Page<RecallRobot, string> => ({
  items: rows.slice(0, limit).map(toRecallRobot),
  next: rows.length > limit ? rows[limit - 1]!.robot_id : null,
});

export function countsFrom(states: { state: string; n: number | string }[]): RecallProgress['byState'] {
  const byState = Object.fromEntries(RECALL_ROBOT_STATES.map((s) => [s, 0])) as Record<
    RecallRobotState,
    number
  >;
  for (const { state, n } of states) byState[state as RecallRobotState] = Number(n);
  return byState;
}

/** Counts per state, and the cumulative counts by day from the days robots were matched and remedied. */
export function progressFrom(
  states: { state: string; n: number | string }[],
  matchedByDay: { day: string; n: number | string }[],
  remediedByDay: { day: string; n: number | string }[],
): RecallProgress {
  const byState = Object.fromEntries(RECALL_ROBOT_STATES.map((s) => [s, 0])) as Record<
    RecallRobotState,
    number
  >;
  for (const { state, n } of states) byState[state as RecallRobotState] = Number(n);
  const days = [...new Set([...matchedByDay, ...remediedByDay].map((r) => r.day))].sort();
  const matched = new Map(matchedByDay.map((r) => [r.day, Number(r.n)]));
  const remedied = new Map(remediedByDay.map((r) => [r.day, Number(r.n)]));
  let affected = 0;
  let done = 0;
  const series = days.map((date) => {
    affected += matched.get(date) ?? 0;
    done += remedied.get(date) ?? 0;
    return { date, affected, remedied: done };
  });
  return { byState, series };
}

/** WHERE clause over recall_robots for a campaign and filter; `ph(n)` makes the nth placeholder. */
export function recallRobotWhere(
  number: string,
  filter: RecallRobotFilter,
  after: string,
  ph: (n: number) => string,
): { where: string; values: unknown[] } {
  const p = new Params(ph);
  const parts = [`recall = ${p.add(number)}`, `robot_id > ${p.add(after)}`];
  if (filter.state) parts.push(`state = ${p.add(filter.state)}`);
  if (filter.custodianId) parts.push(`custodian_id = ${p.add(filter.custodianId)}`);
  if (filter.idPrefixes) parts.push(prefixRanges('robot_id', filter.idPrefixes, p));
  if (filter.stopUsePending) parts.push('stop_use IS NULL');
  return { where: `WHERE ${parts.join(' AND ')}`, values: p.values };
}
