import type { Db } from '../sql/db.js';
import { pageOf } from '../sql/page.js';
import type { QueriesOf } from '../sql/queries.js';
import { fittedThen, holderColumns, incidentWhere, whereOf } from './filter.js';
import type { IncidentReader, IncidentWriter } from './interface.js';
import {
  NEW_INCIDENT_TABLES,
  newIncidentRows,
  toIncidentSummary,
  toPart,
  toSoftware,
  toTriageEntry,
  type IncidentRow,
  type NewIncidentTable,
  type PartRow,
  type TriageRow,
} from './rows.js';
import { toTrend, trendSql, type TrendRow } from './trends.js';

/** An incident with its robot's current holder and operator (`s`, robot_status). */
const summaryFrom = (db: Db) =>
  `SELECT i.*, ${holderColumns(db.dialect)} FROM incidents i JOIN robot_status s ON s.robot_id = i.robot_id`;

export const reads: QueriesOf<IncidentReader> = {
  async getIncident(db, id) {
    const row = await db.get<IncidentRow>(`${summaryFrom(db)} WHERE i.id = ?`, [id]);
    if (!row) return null;
    const [named, fitted, software, triage] = await Promise.all([
      // The parts the report named, in its order.
      db.all<PartRow>(
        'SELECT kind, part_number, serial, lot FROM incident_parts WHERE incident_id = ? ORDER BY ordinal',
        [id],
      ),
      // The parts fitted in the robot when it happened, in the order they were fitted.
      db.all<PartRow>(
        `SELECT k.kind, k.part_number, k.serial, k.lot FROM incidents i JOIN robot_components k ON ${fittedThen('k', 'i')}
         WHERE i.id = ? ORDER BY k.fitted_seq, k.ordinal`,
        [id],
      ),
      db.all<{ target: string; version: string }>(
        'SELECT target, version FROM incident_software WHERE incident_id = ? ORDER BY target',
        [id],
      ),
      db.all<TriageRow>('SELECT * FROM incident_triage WHERE incident_id = ? ORDER BY ordinal', [id]),
    ]);
    return {
      ...toIncidentSummary(row),
      components: named.map(toPart),
      fitted: fitted.map(toPart),
      software: software.map(toSoftware),
      triage: triage.map(toTriageEntry),
    };
  },

  async findIncidents(db, filter, page) {
    const values: unknown[] = [];
    const conditions = incidentWhere(filter, db.dialect, values);
    if (page.after > 0) {
      conditions.push('i.id < ?');
      values.push(page.after);
    }
    const rows = await db.adHoc<IncidentRow>(
      `${summaryFrom(db)} ${whereOf(conditions)} ORDER BY i.id DESC LIMIT ?`,
      [...values, page.limit + 1],
    );
    return pageOf(rows, page.limit, toIncidentSummary, (row) => row.id);
  },

  async incidentTrends(db, filter, request) {
    const { sql, values, names, chronological } = trendSql(filter, request, db.dialect);
    const trends = (await db.adHoc<TrendRow>(sql, values)).map((row) => toTrend(row, names));
    return chronological ? trends.reverse() : trends;
  },
};

export const writes: QueriesOf<IncidentWriter> = {
  // A statement per table, each sending its rows as one JSON array (as events are).
  async insertIncidents(db, incidents) {
    const rows = newIncidentRows(incidents);
    for (const table of Object.keys(NEW_INCIDENT_TABLES) as NewIncidentTable[]) {
      if (rows[table].length === 0) continue;
      const columns = NEW_INCIDENT_TABLES[table];
      const names = Object.keys(columns).join(', ');
      await db.run(
        `INSERT INTO ${table} (${names}) SELECT ${names} FROM ${db.dialect.jsonRecords('v', columns)}`,
        [JSON.stringify(rows[table])],
      );
    }
  },

  // One correction at a time in practice (src/app/incidents/record.ts), so a statement each.
  async withdrawIncidents(db, corrections) {
    const ids: number[] = [];
    for (const x of corrections) {
      const rows = await db.all<{ id: number }>(
        `UPDATE incidents SET withdrawn_seq = ?, withdrawn_at = ?
         WHERE robot_id = ? AND event_id = ? AND withdrawn_seq IS NULL RETURNING id`,
        [x.seq, x.at, x.robotId, x.eventId],
      );
      ids.push(...rows.map((r) => r.id));
    }
    return ids;
  },

  async triageIncident(db, { incidentId, entry }) {
    await db.run('UPDATE incidents SET state = ?, root_cause = coalesce(?, root_cause) WHERE id = ?', [
      entry.to,
      entry.rootCause,
      incidentId,
    ]);
    await db.run(
      `INSERT INTO incident_triage (incident_id, ordinal, at, org_id, key_id, from_state, to_state, note, root_cause)
       VALUES (?, (SELECT coalesce(max(ordinal), 0) + 1 FROM incident_triage WHERE incident_id = ?),
               ?, ?, ?, ?, ?, ?, ?)`,
      [
        incidentId,
        incidentId,
        entry.at,
        entry.orgId,
        entry.keyId,
        entry.from,
        entry.to,
        entry.note,
        entry.rootCause,
      ],
    );
  },
};
