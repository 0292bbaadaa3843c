import type { Page, PageRequest, RobotFilter, RobotSummary } from '../store.js';
import type { Connection } from './connection.js';
import { needsStatus, toSummaryPage, type SummaryRow } from '../rows.js';

/**
 * One query per search: driven by the component or software index when the filter names one (few rows), by
 * robot_status in ID order when it filters on the status, else by the issued IDs themselves (so that robots with
 * no events yet are found too, in state issued). Pages continue after the last robot ID.
 */
export async function findRobots(
  c: Connection,
  f: RobotFilter,
  page: PageRequest<string>,
): Promise<Page<RobotSummary, string>> {
  const withStatus = needsStatus(f);
  const id = withStatus ? 's.robot_id' : 'r.id';
  const values: unknown[] = [];
  /** The placeholder of a new text parameter (typed: a bare placeholder in `$n || '~'` has no type to infer). */
  const param = (value: unknown) => `$${values.push(value)}::text`;
  const where: string[] = [`${id} > ${param(page.after)}`];
  let from = withStatus ? 'robot_status s' : 'robots r LEFT JOIN robot_status s ON s.robot_id = r.id';
  if (f.component) {
    from = 'robot_components k JOIN robot_status s ON s.robot_id = k.robot_id';
    if (f.component.lot !== undefined) where.push(`k.lot = ${param(f.component.lot)}`);
    if (f.component.partNumber !== undefined) where.push(`k.part_number = ${param(f.component.partNumber)}`);
    if (f.component.serial !== undefined) where.push(`k.serial = ${param(f.component.serial)}`);
    if (!f.component.includeRemoved) where.push('k.removed_seq IS NULL');
  }
  if (f.software) {
    from = `${from} JOIN robot_software w ON w.robot_id = s.robot_id`;
    where.push(`w.version = ${param(f.software.version)}`);
    if (f.software.target !== undefined) where.push(`w.target = ${param(f.software.target)}`);
  }
  const startsWith = (prefix: string) => {
    const p = param(prefix);
    return `(${id} >= ${p} AND ${id} < ${p} || '~')`;
  };
  if (f.idPrefix) where.push(startsWith(f.idPrefix));
  if (f.state === 'issued') where.push('s.robot_id IS NULL');
  else if (f.state) where.push(`s.state = ${param(f.state)}`);
  if (f.region) where.push(`s.region = ${param(f.region)}`);
  if (f.custodianId) where.push(`s.custodian_id = ${param(f.custodianId)}`);
  if (f.producedFrom) where.push(`s.production_date >= ${param(f.producedFrom)}`);
  if (f.producedTo) where.push(`s.production_date <= ${param(f.producedTo)}`);
  if (f.certified) {
    const at = param(f.certified.at);
    where.push(
      f.certified.valid
        ? `s.certified_until >= ${at}`
        : `(s.certified_until IS NULL OR s.certified_until < ${at})`,
    );
  }
  if (f.scopeIdPrefixes)
    where.push(
      f.scopeIdPrefixes.length > 0 ? `(${f.scopeIdPrefixes.map(startsWith).join(' OR ')})` : 'false',
    );
  if (f.scopeCustodianId) where.push(`s.custodian_id = ${param(f.scopeCustodianId)}`);
  if (f.scopeOperatorId) where.push(`(s.status::json ->> 'operatorId') = ${param(f.scopeOperatorId)}`);
  const limit = `$${values.push(page.limit + 1)}`;
  const sql = `SELECT DISTINCT ${id} AS robot_id, coalesce(s.state, 'issued') AS state, s.region,
                 s.production_date, s.certified_until
               FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${id} LIMIT ${limit}`;
  const rows = await c.adHocRows<SummaryRow>(sql, values);
  return toSummaryPage(rows, page.limit);
}
