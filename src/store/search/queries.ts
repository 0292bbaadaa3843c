import { pageOf } from '../sql/page.js';
import type { QueriesOf } from '../sql/queries.js';
import type { RobotFilter, RobotSummary, SearchReader, SearchWriter } from './interface.js';

/** A robot search's row: `SELECT DISTINCT … robot_id, state, region, production_date, certified_until`. */
interface SummaryRow {
  robot_id: string;
  state: string;
  region: string | null;
  production_date: string | null;
  certified_until: string | null;
}

const toSummary = (r: SummaryRow): RobotSummary => ({
  id: r.robot_id,
  state: r.state,
  region: r.region,
  productionDate: r.production_date,
  certifiedUntil: r.certified_until,
});

/** Filters that only a robot's status snapshot can meet: a robot with no events yet (state issued) meets none. */
const needsStatus = (f: RobotFilter) =>
  f.component !== undefined ||
  f.software !== undefined ||
  (f.state !== undefined && f.state !== 'issued') ||
  f.region !== undefined ||
  f.custodianId !== undefined ||
  f.scopeCustodianId !== undefined ||
  f.producedFrom !== undefined ||
  f.producedTo !== undefined;

export const reads: QueriesOf<SearchReader> = {
  /**
   * One query per search, with only the conditions asked for (so that each shape is planned for its own index):
   * driven by the component or software index when the filter names one (few rows), by robot_status in ID order
   * when it filters on the status, else by the issued IDs themselves (so that robots with no events yet are found
   * too, in state issued). Pages continue after the last robot ID.
   */
  async findRobots(db, f, page) {
    const withStatus = needsStatus(f);
    const id = withStatus ? 's.robot_id' : 'r.id';
    const where: string[] = [];
    const params: unknown[] = [];
    /** A condition and the values of its `?`s, in order (the FROM clause has none). */
    const add = (condition: string, ...values: unknown[]) => {
      where.push(condition);
      params.push(...values);
    };
    // The prefix twice. Typed: PostgreSQL infers no type for a bare parameter in `? || '~'`.
    const startsWith = `(${id} >= ? AND ${id} < CAST(? AS TEXT) || '~')`;
    add(`${id} > ?`, page.after);
    let from = withStatus ? 'robot_status s' : 'robots r LEFT JOIN robot_status s ON s.robot_id = r.id';
    if (f.component) {
      from = 'robot_components k JOIN robot_status s ON s.robot_id = k.robot_id';
      if (f.component.lot !== undefined) add('k.lot = ?', f.component.lot);
      if (f.component.partNumber !== undefined) add('k.part_number = ?', f.component.partNumber);
      if (f.component.serial !== undefined) add('k.serial = ?', f.component.serial);
      if (!f.component.includeRemoved) add('k.removed_seq IS NULL');
    }
    if (f.software) {
      from = `${from} JOIN robot_software w ON w.robot_id = s.robot_id`;
      add('w.version = ?', f.software.version);
      if (f.software.target !== undefined) add('w.target = ?', f.software.target);
    }
    if (f.idPrefix) add(startsWith, f.idPrefix, f.idPrefix);
    if (f.state === 'issued') add('s.robot_id IS NULL');
    else if (f.state) add('s.state = ?', f.state);
    if (f.region) add('s.region = ?', f.region);
    if (f.custodianId) add('s.custodian_id = ?', f.custodianId);
    if (f.producedFrom) add('s.production_date >= ?', f.producedFrom);
    if (f.producedTo) add('s.production_date <= ?', f.producedTo);
    if (f.certified)
      add(
        f.certified.valid ? 's.certified_until >= ?' : '(s.certified_until IS NULL OR s.certified_until < ?)',
        f.certified.at,
      );
    if (f.scopeIdPrefixes) {
      const scope = f.scopeIdPrefixes;
      add(
        scope.length > 0 ? `(${scope.map(() => startsWith).join(' OR ')})` : 'false',
        ...scope.flatMap((prefix) => [prefix, prefix]),
      );
    }
    if (f.scopeCustodianId) add('s.custodian_id = ?', f.scopeCustodianId);
    if (f.scopeOperatorId) add(`${db.dialect.jsonText('s.status', 'operatorId')} = ?`, f.scopeOperatorId);
    const rows = await db.adHoc<SummaryRow>(
      `SELECT DISTINCT ${id} AS robot_id, coalesce(s.state, 'issued') AS state, s.region,
         s.production_date, s.certified_until
       FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${id} LIMIT ?`,
      [...params, page.limit + 1],
    );
    return pageOf(rows, page.limit, toSummary, (r) => r.robot_id);
  },
};

export const writes: QueriesOf<SearchWriter> = {};
