import { FINDING_COLUMNS, toFinding, type FindingRow } from '../compliance/queries.js';
import { toEvent, type EventRow } from '../events/queries.js';
import { incidentWhere, whereOf } from '../incidents/filter.js';
import type { QueriesOf } from '../sql/queries.js';
import type { OpenIncidentOf, TodoReader } from './interface.js';

interface IncidentRow {
  id: number;
  robot_id: string;
  category: OpenIncidentOf['category'];
  severity: OpenIncidentOf['severity'];
  state: OpenIncidentOf['state'];
  event_time: string;
}

const count = (row: { n: number | string } | undefined) => Number(row?.n ?? 0);

export const reads: QueriesOf<TodoReader> = {
  // Both by the partial index events_late_by_org (org_id, seq) WHERE late.
  async lateReportsOf(db, orgId, limit) {
    const late = `FROM events WHERE org_id = ? AND ${db.dialect.isTrue('late')}`;
    const [total, rows] = await Promise.all([
      db.get<{ n: number }>(`SELECT count(*) AS n ${late}`, [orgId]),
      db.all<EventRow>(`SELECT * ${late} ORDER BY seq DESC LIMIT ?`, [orgId, limit]),
    ]);
    return { count: count(total), latest: rows.map(toEvent) };
  },

  async openFindingsOf(db, orgId, limit) {
    const open = 'FROM compliance_findings WHERE org_id = ? AND resolved_at IS NULL';
    const [total, rows] = await Promise.all([
      db.get<{ n: number }>(`SELECT count(*) AS n ${open}`, [orgId]),
      db.all<FindingRow>(`SELECT ${FINDING_COLUMNS} ${open} ORDER BY id DESC LIMIT ?`, [orgId, limit]),
    ]);
    return { count: count(total), latest: rows.map(toFinding) };
  },

  // Open campaigns are few: each is walked by its (recall, state) index.
  async openRecallsOf(db, orgId, idPrefix) {
    const made = idPrefix === null ? '' : ` OR (rr.robot_id >= ? AND rr.robot_id < CAST(? AS TEXT) || '~')`;
    const rows = await db.adHoc<{ number: string; robots: number | string }>(
      `SELECT r.number AS number, count(*) AS robots
       FROM recalls r JOIN recall_robots rr ON rr.recall = r.number AND rr.state IN ('notified', 'unreachable')
       WHERE r.status = 'open' AND (rr.custodian_id = ? OR r.manufacturer_id = ?${made})
       GROUP BY r.number, r.seq ORDER BY r.seq DESC`,
      [orgId, orgId, ...(idPrefix === null ? [] : [idPrefix, idPrefix])],
    );
    return rows.map((r) => ({ number: r.number, robots: Number(r.robots) }));
  },

  async openIncidentsOf(db, orgId, limit) {
    const values: unknown[] = [];
    const conditions = [...incidentWhere({ scopeOrgId: orgId }, db.dialect, values), "i.state <> 'closed'"];
    const from = `FROM incidents i JOIN robot_status s ON s.robot_id = i.robot_id ${whereOf(conditions)}`;
    const [total, rows] = await Promise.all([
      db.adHoc<{ n: number }>(`SELECT count(*) AS n ${from}`, values),
      db.adHoc<IncidentRow>(
        `SELECT i.id, i.robot_id, i.category, i.severity, i.state, i.event_time ${from} ORDER BY i.id DESC LIMIT ?`,
        [...values, limit],
      ),
    ]);
    return {
      count: count(total[0]),
      latest: rows.map((r) => ({
        id: r.id,
        robotId: r.robot_id,
        category: r.category,
        severity: r.severity,
        state: r.state,
        eventTime: r.event_time,
      })),
    };
  },
};
