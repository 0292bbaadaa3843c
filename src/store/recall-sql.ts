/**
 * A recall's criteria as SQL, written once for both dialects: the robots `matches` (src/domain/safety/recalls.ts)
 * accepts, found from the indexes (components by lot or part number, software by version, robots by ID range).
 * The two must agree; the contract tests check them against each other.
 */
import { NEVER_AFFECTED, type RecallCriteria } from '../domain/safety/recalls.js';

export interface SqlDialect {
  /** The nth placeholder (1-based). */
  ph: (n: number) => string;
  /** Appended to a text column for byte-order comparison. */
  byteOrder: string;
  /** `column IN` a list of strings sent as one parameter. */
  inList: (column: string, placeholder: string) => string;
  /** The one parameter `inList` takes. */
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

function componentDriver(criteria: RecallCriteria, p: Params, d: SqlDialect): string | null {
  if (!criteria.components?.length) return null;
  const alternatives = criteria.components.map((c) => {
    const parts = [`c.part_number = ${p.add(c.partNumber)}`];
    if (c.lots) parts.push(`c.lot IN (${p.list(c.lots)})`);
    if (c.serials)
      parts.push(
        `length(c.serial) = ${p.add(c.serials.from.length)}`,
        `c.serial${d.byteOrder} >= ${p.add(c.serials.from)}`,
        `c.serial${d.byteOrder} <= ${p.add(c.serials.to)}`,
      );
    return `(${parts.join(' AND ')})`;
  });
  return `rs.robot_id IN (SELECT c.robot_id FROM robot_components c
    WHERE c.removed_seq IS NULL AND (${alternatives.join(' OR ')}))`;
}

function softwareCondition(criteria: RecallCriteria, p: Params): string | null {
  if (!criteria.software?.length) return null;
  const alternatives = criteria.software.map(
    (s) => `(s.target = ${p.add(s.target)} AND s.version IN (${p.list(s.versions)}))`,
  );
  return `EXISTS (SELECT 1 FROM robot_software s WHERE s.robot_id = rs.robot_id AND (${alternatives.join(' OR ')}))`;
}

/**
 * `SELECT robot_id, custodian_id FROM robot_status rs WHERE …` for the robots the criteria match now, within the
 * scope's prefixes and, when `among` is given, among those IDs only; in ID order. Its placeholders are numbered
 * after `before` others.
 */
export function affectedRobotsQuery(
  criteria: RecallCriteria,
  scope: string[] | null,
  d: SqlDialect,
  among?: string[],
  before = 0,
): { sql: string; values: unknown[] } {
  const p = new Params(d.ph, before);
  const where = [`rs.state NOT IN (${p.list([...NEVER_AFFECTED])})`];
  if (among) where.push(d.inList('rs.robot_id', p.add(d.listValue(among))));
  if (scope) where.push(prefixRanges('rs.robot_id', scope, p));
  if (criteria.models?.length) where.push(prefixRanges('rs.robot_id', criteria.models, p));
  if (criteria.producedFrom)
    where.push(`substr(rs.production_date, 1, 10) >= ${p.add(criteria.producedFrom)}`);
  if (criteria.producedTo) where.push(`substr(rs.production_date, 1, 10) <= ${p.add(criteria.producedTo)}`);
  for (const condition of [componentDriver(criteria, p, d), softwareCondition(criteria, p)])
    if (condition) where.push(condition);
  return {
    sql: `SELECT rs.robot_id, rs.custodian_id FROM robot_status rs WHERE ${where.join(' AND ')} ORDER BY rs.robot_id`,
    values: p.values,
  };
}
