/**
 * A recall's criteria as SQL, written once for both databases: the robots `matches` (src/domain/safety/recalls.ts)
 * accepts, found from the indexes (components by lot or part number, software by version, robots by ID range).
 * The two must agree: the recall tests check the same cases through both stores.
 *
 * Each builder returns SQL text with `?` placeholders and pushes the values it needs onto `values`, in the order
 * its placeholders appear: build the parts of a statement in the order they are written.
 */
import { NEVER_AFFECTED, type RecallCriteria } from '../../domain/safety/recalls.js';
import type { Dialect } from '../sql/db.js';

/** A statement built for one call: its text and its values. */
export interface BuiltQuery {
  sql: string;
  values: unknown[];
}

/** `?, ?, …` for the items, each pushed onto `values`. */
function placeholdersFor(items: readonly unknown[], values: unknown[]): string {
  values.push(...items);
  return items.map(() => '?').join(', ');
}

/** Robots whose ID starts with one of the prefixes, as ID ranges (IDs are upper-case letters and digits < '~'). */
export function prefixRanges(column: string, prefixes: readonly string[], values: unknown[]): string {
  if (prefixes.length === 0) return 'false';
  const ranges = prefixes.map((prefix) => {
    values.push(prefix, `${prefix}~`);
    return `(${column} >= ? AND ${column} < ?)`;
  });
  return `(${ranges.join(' OR ')})`;
}

/** The component criteria over `robot_components c`: any one entry (OR). */
function componentAlternatives(criteria: RecallCriteria, values: unknown[], d: Dialect): string {
  return (criteria.components ?? [])
    .map((c) => {
      values.push(c.partNumber);
      const parts = ['c.part_number = ?'];
      if (c.lots) parts.push(`c.lot IN (${placeholdersFor(c.lots, values)})`);
      if (c.serials) {
        values.push(c.serials.from.length, c.serials.from, c.serials.to);
        const serial = d.byteOrder('c.serial');
        parts.push('length(c.serial) = ?', `${serial} >= ?`, `${serial} <= ?`);
      }
      return `(${parts.join(' AND ')})`;
    })
    .join(' OR ');
}

/** The software criteria over `robot_software s`: any one entry (OR). */
const softwareAlternatives = (criteria: RecallCriteria, values: unknown[]) =>
  (criteria.software ?? [])
    .map((s) => {
      values.push(s.target);
      return `(s.target = ? AND s.version IN (${placeholdersFor(s.versions, values)}))`;
    })
    .join(' OR ');

/**
 * `SELECT robot_id, custodian_id FROM robot_status rs WHERE …` for the robots the criteria match now, within the
 * scope's prefixes and, when `among` is given, among those IDs only (each robot's own parts looked up, so that a
 * chunk does not read every matching part again); in ID order. Its values are pushed onto `values`, after those
 * of the surrounding statement's earlier placeholders.
 */
export function affectedRobotsQuery(
  criteria: RecallCriteria,
  scope: string[] | null,
  d: Dialect,
  values: unknown[],
  among?: string[],
): string {
  let from = 'robot_status rs';
  if (among) {
    values.push(d.listValue(among));
    from = `${d.rowsOfList} JOIN robot_status rs ON rs.robot_id = a.value`;
  }
  const where = [`rs.state NOT IN (${placeholdersFor(NEVER_AFFECTED, values)})`];
  if (scope) where.push(prefixRanges('rs.robot_id', scope, values));
  if (criteria.models?.length) where.push(prefixRanges('rs.robot_id', criteria.models, values));
  if (criteria.producedFrom) {
    values.push(criteria.producedFrom);
    where.push('substr(rs.production_date, 1, 10) >= ?');
  }
  if (criteria.producedTo) {
    values.push(criteria.producedTo);
    where.push('substr(rs.production_date, 1, 10) <= ?');
  }
  if (criteria.components?.length) {
    const fitted = `c.removed_seq IS NULL AND (${componentAlternatives(criteria, values, d)})`;
    where.push(
      among
        ? `EXISTS (SELECT 1 FROM robot_components c WHERE c.robot_id = rs.robot_id AND ${fitted})`
        : `rs.robot_id IN (SELECT c.robot_id FROM robot_components c WHERE ${fitted})`,
    );
  }
  if (criteria.software?.length)
    where.push(
      `EXISTS (SELECT 1 FROM robot_software s WHERE s.robot_id = rs.robot_id AND (${softwareAlternatives(criteria, values)}))`,
    );
  return `SELECT rs.robot_id, rs.custodian_id FROM ${from} WHERE ${where.join(' AND ')} ORDER BY rs.robot_id`;
}

/**
 * The IDs of robots that may match (column `robot_id`), in ID order, read from the one index that narrows most:
 * fitted parts, installed software, or (models and dates only) the robots themselves. A superset:
 * `affectedRobotsQuery` over each chunk of them decides.
 */
export function candidatesQuery(criteria: RecallCriteria, scope: string[] | null, d: Dialect): BuiltQuery {
  const values: unknown[] = [];
  const narrowed = (column: string, condition: string) => [
    condition,
    ...(scope ? [prefixRanges(column, scope, values)] : []),
    ...(criteria.models?.length ? [prefixRanges(column, criteria.models, values)] : []),
  ];
  if (criteria.components?.length) {
    const where = narrowed(
      'c.robot_id',
      `c.removed_seq IS NULL AND (${componentAlternatives(criteria, values, d)})`,
    );
    return {
      sql: `SELECT DISTINCT c.robot_id FROM robot_components c WHERE ${where.join(' AND ')} ORDER BY c.robot_id`,
      values,
    };
  }
  if (criteria.software?.length) {
    const where = narrowed('s.robot_id', `(${softwareAlternatives(criteria, values)})`);
    return {
      sql: `SELECT DISTINCT s.robot_id FROM robot_software s WHERE ${where.join(' AND ')} ORDER BY s.robot_id`,
      values,
    };
  }
  const sql = affectedRobotsQuery(criteria, scope, d, values);
  return { sql: `SELECT robot_id FROM (${sql}) AS affected`, values };
}
