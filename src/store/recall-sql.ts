/**
 * A recall's criteria as SQL, written once for both dialects: the robots `matches` (src/domain/safety/recalls.ts)
 * accepts, found from the indexes (components by lot or part number, software by version, robots by ID range).
 * The two must agree: the recall tests check the same cases through both.
 */
import { NEVER_AFFECTED, type RecallCriteria } from '../domain/safety/recalls.js';

export interface SqlDialect {
  /** The nth placeholder (1-based). */
  ph: (n: number) => string;
  /** Appended to a text column for byte-order comparison. */
  byteOrder: string;
  /** A list of strings sent as one parameter, as rows `a(value)` to join with (a driving table, not a filter:
   *  PostgreSQL rechecks `= ANY(array)` against the whole array for every row it filters). */
  rowsOf: (placeholder: string) => string;
  /** The one parameter `rowsOf` takes. */
  listValue: (items: string[]) => unknown;
}

/** Values of a statement being built, each added where its placeholder goes. */
export class Params {
  readonly values: unknown[] = [];
  /** `before`: parameters the surrounding statement numbers first. */
  constructor(
    private readonly ph: (n: number) => string,
    private readonly before = 0,
  ) {}
  add(value: unknown): string {
    this.values.push(value);
    return this.ph(this.before + this.values.length);
  }
  list(items: string[]): string {
    return items.map((i) => this.add(i)).join(', ');
  }
}

/** Robots whose ID starts with one of the prefixes, as ID ranges (IDs are upper-case letters and digits < '~'). */
export function prefixRanges(column: string, prefixes: string[], p: Params): string {
  if (prefixes.length === 0) return 'false';
  return `(${prefixes.map((x) => `(${column} >= ${p.add(x)} AND ${column} < ${p.add(`${x}~`)})`).join(' OR ')})`;
}

/** The component criteria over `robot_components c`: any one entry (OR). */
function componentAlternatives(criteria: RecallCriteria, p: Params, d: SqlDialect): string {
  return (criteria.components ?? [])
    .map((c) => {
      const parts = [`c.part_number = ${p.add(c.partNumber)}`];
      if (c.lots) parts.push(`c.lot IN (${p.list(c.lots)})`);
      if (c.serials)
        parts.push(
          `length(c.serial) = ${p.add(c.serials.from.length)}`,
          `c.serial${d.byteOrder} >= ${p.add(c.serials.from)}`,
          `c.serial${d.byteOrder} <= ${p.add(c.serials.to)}`,
        );
      return `(${parts.join(' AND ')})`;
    })
    .join(' OR ');
}

/** The software criteria over `robot_software s`: any one entry (OR). */
const softwareAlternatives = (criteria: RecallCriteria, p: Params) =>
  (criteria.software ?? [])
    .map((s) => `(s.target = ${p.add(s.target)} AND s.version IN (${p.list(s.versions)}))`)
    .join(' OR ');

/**
 * `SELECT robot_id, custodian_id FROM robot_status rs WHERE …` for the robots the criteria match now, within the
 * scope's prefixes and, when `among` is given, among those IDs only (each robot's own parts looked up, so that a
 * chunk does not read every matching part again); in ID order. Its placeholders are numbered after `before` others.
 */
export function affectedRobotsQuery(
  criteria: RecallCriteria,
  scope: string[] | null,
  d: SqlDialect,
  among?: string[],
  before = 0,
): { sql: string; values: unknown[] } {
  const p = new Params(d.ph, before);
  const from = among
    ? `${d.rowsOf(p.add(d.listValue(among)))} JOIN robot_status rs ON rs.robot_id = a.value`
    : 'robot_status rs';
  const where = [`rs.state NOT IN (${p.list([...NEVER_AFFECTED])})`];
  if (scope) where.push(prefixRanges('rs.robot_id', scope, p));
  if (criteria.models?.length) where.push(prefixRanges('rs.robot_id', criteria.models, p));
  if (criteria.producedFrom)
    where.push(`substr(rs.production_date, 1, 10) >= ${p.add(criteria.producedFrom)}`);
  if (criteria.producedTo) where.push(`substr(rs.production_date, 1, 10) <= ${p.add(criteria.producedTo)}`);
  if (criteria.components?.length) {
    const fitted = `c.removed_seq IS NULL AND (${componentAlternatives(criteria, p, d)})`;
    where.push(
      among
        ? `EXISTS (SELECT 1 FROM robot_components c WHERE c.robot_id = rs.robot_id AND ${fitted})`
        : `rs.robot_id IN (SELECT c.robot_id FROM robot_components c WHERE ${fitted})`,
    );
  }
  if (criteria.software?.length)
    where.push(
      `EXISTS (SELECT 1 FROM robot_software s WHERE s.robot_id = rs.robot_id AND (${softwareAlternatives(criteria, p)}))`,
    );
  return {
    sql: `SELECT rs.robot_id, rs.custodian_id FROM ${from} WHERE ${where.join(' AND ')} ORDER BY rs.robot_id`,
    values: p.values,
  };
}

/**
 * The IDs of robots that may match, in ID order, read from the one index that narrows most: fitted parts, installed
 * software, or (models and dates only) the robots themselves. A superset: `affectedRobotsQuery` over each chunk of
 * them decides.
 */
export function candidatesQuery(
  criteria: RecallCriteria,
  scope: string[] | null,
  d: SqlDialect,
): { sql: string; values: unknown[] } {
  const p = new Params(d.ph);
  const narrowed = (column: string, condition: string) => [
    condition,
    ...(scope ? [prefixRanges(column, scope, p)] : []),
    ...(criteria.models?.length ? [prefixRanges(column, criteria.models, p)] : []),
  ];
  if (criteria.components?.length) {
    const where = narrowed(
      'c.robot_id',
      `c.removed_seq IS NULL AND (${componentAlternatives(criteria, p, d)})`,
    );
    return {
      sql: `SELECT DISTINCT c.robot_id FROM robot_components c WHERE ${where.join(' AND ')} ORDER BY c.robot_id`,
      values: p.values,
    };
  }
  if (criteria.software?.length) {
    const where = narrowed('s.robot_id', `(${softwareAlternatives(criteria, p)})`);
    return {
      sql: `SELECT DISTINCT s.robot_id FROM robot_software s WHERE ${where.join(' AND ')} ORDER BY s.robot_id`,
      values: p.values,
    };
  }
  const { sql, values } = affectedRobotsQuery(criteria, scope, d);
  return { sql: `SELECT robot_id FROM (${sql}) AS affected`, values };
}
