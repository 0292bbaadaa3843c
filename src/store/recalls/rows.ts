/** Recall rows as both databases return them, and their mapping to the records of interface.ts. */
import type { RecallDraft, RecallRobotState } from '../../domain/safety/recalls.js';
import { RECALL_ROBOT_STATES } from '../../domain/safety/recalls.js';
import type { RecallProgress, RecallRecord, RecallRobot } from './interface.js';

export interface RecallRow {
  seq: number;
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

/** The columns a change sets, in a fixed order (so that each set of columns is one SQL text). */
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
  remedy_seq: number | null;
  suspension_seq: number | null;
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
  remedySeq: row.remedy_seq,
  suspensionSeq: row.suspension_seq,
  stopUse: row.stop_use,
  note: row.note,
});

/** Rows counted per state (`state`, `n`), and per day (`day`, `n`). */
export type StateCount = { state: string; n: number };
export type DayCount = { day: string; n: number };

export function countsFrom(states: StateCount[]): RecallProgress['byState'] {
  const byState = Object.fromEntries(RECALL_ROBOT_STATES.map((s) => [s, 0])) as Record<
    RecallRobotState,
    number
  >;
  for (const { state, n } of states) byState[state as RecallRobotState] = n;
  return byState;
}

/** Counts per state, and the cumulative counts by day from the days robots were matched and remedied. */
export function progressFrom(
  states: StateCount[],
  matchedByDay: DayCount[],
  remediedByDay: DayCount[],
): RecallProgress {
  const days = [...new Set([...matchedByDay, ...remediedByDay].map((r) => r.day))].sort();
  const matched = new Map(matchedByDay.map((r) => [r.day, r.n]));
  const remedied = new Map(remediedByDay.map((r) => [r.day, r.n]));
  let affected = 0;
  let done = 0;
  const series = days.map((date) => {
    affected += matched.get(date) ?? 0;
    done += remedied.get(date) ?? 0;
    return { date, affected, remedied: done };
  });
  return { byState: countsFrom(states), series };
}
