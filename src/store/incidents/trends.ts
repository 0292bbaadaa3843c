/** Incident trends as SQL: incidents counted per group of a dimension, with their severities and injuries. */
import type { Dialect } from '../sql/db.js';
import { fittedThen, incidentWhere, whereOf } from './filter.js';
import type { IncidentFilter, IncidentTrend, TrendRequest } from './interface.js';

/**
 * For each dimension: what it groups by (g1, g2), from which rows joined to `i`, and the names of its keys.
 * `distinct`: the rows may hold a key twice for one incident (a robot with two knees of one part number), so
 * each (incident, key) is counted once.
 */
function trendSource(request: TrendRequest, d: Dialect) {
  switch (request.by) {
    case 'model':
      return { from: 'incidents i', where: [], keys: ['i.model'], names: ['model'], distinct: false };
    case 'month':
      return { from: 'incidents i', where: [], keys: ['i.month'], names: ['month'], distinct: false };
    case 'part':
    case 'lot': {
      const lot = request.by === 'lot';
      const names = lot ? ['partNumber', 'lot'] : ['partNumber'];
      if (request.parts === 'involved') {
        // Named parts: counts_* flag the first row of each part number (lot) of an incident.
        return {
          from: 'incident_parts d JOIN incidents i ON i.id = d.incident_id',
          where: [lot ? 'd.counts_lot = 1' : 'd.counts_part = 1'],
          keys: lot ? ['d.part_number', 'd.lot'] : ['d.part_number'],
          names,
          distinct: false,
        };
      }
      // Parts fitted then, read from robot_components by seq; a part without a lot has no lot to count.
      return {
        from: `incidents i JOIN robot_components k ON ${fittedThen('k', 'i')}`,
        where: lot ? ['k.lot IS NOT NULL'] : [],
        keys: (lot ? ['k.part_number', 'k.lot'] : ['k.part_number']).map((key) => d.byteOrder(key)),
        names,
        distinct: true,
      };
    }
    case 'firmware':
      return {
        from: 'incident_software d JOIN incidents i ON i.id = d.incident_id',
        where: [],
        keys: ['d.target', 'd.version'],
        names: ['target', 'version'],
        distinct: false,
      };
  }
}

const SEVERITY_SUMS = (['minor', 'moderate', 'serious', 'critical'] as const)
  .map((s) => `sum(CASE WHEN i.severity = '${s}' THEN 1 ELSE 0 END) AS ${s}`)
  .join(', ');

/**
 * Incidents counted per group, with their severities and injuries, most first (then by key); months are a time
 * series instead: the latest `limit` of them, newest first here (`chronological`: the caller turns them round).
 */
export function trendSql(filter: IncidentFilter, request: TrendRequest, d: Dialect) {
  const values: unknown[] = [];
  const source = trendSource(request, d);
  const conditions = [...source.where, ...incidentWhere(filter, d, values)];
  const join = filter.scopeOrgId !== undefined ? ' JOIN robot_status s ON s.robot_id = i.robot_id' : '';
  const keys = source.keys.map((k, n) => `${k} AS g${n + 1}`).join(', ');
  const groups = source.keys.map((_, n) => `g${n + 1}`).join(', ');
  // Each (incident, key) once. The incident's severity and injuries come along (they are the incident's, so no
  // more rows are told apart): joining incidents back by id afterwards cost PostgreSQL a second pass over them.
  const from = source.distinct
    ? `(SELECT DISTINCT i.id, ${keys}, i.severity, i.injuries FROM ${source.from}${join} ${whereOf(conditions)}) i`
    : `${source.from}${join} ${whereOf(conditions)}`;
  values.push(request.limit);
  const chronological = request.by === 'month';
  const sql = `SELECT ${source.distinct ? groups : keys}, count(*) AS n, ${SEVERITY_SUMS},
      coalesce(sum(i.injuries), 0) AS injuries
    FROM ${from}
    GROUP BY ${groups} ORDER BY ${chronological ? 'g1 DESC' : `n DESC, ${groups}`} LIMIT ?`;
  return { sql, values, names: source.names, chronological };
}

export interface TrendRow {
  g1: string;
  g2?: string;
  n: number;
  minor: number;
  moderate: number;
  serious: number;
  critical: number;
  injuries: number;
}

export function toTrend(row: TrendRow, names: string[]): IncidentTrend {
  const keys = [row.g1, row.g2];
  return {
    group: Object.fromEntries(names.map((name, n) => [name, keys[n] ?? ''])),
    count: row.n,
    bySeverity: { minor: row.minor, moderate: row.moderate, serious: row.serious, critical: row.critical },
    injuries: row.injuries,
  };
}
