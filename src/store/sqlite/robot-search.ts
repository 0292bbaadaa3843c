import type { Page, PageRequest, RobotFilter, RobotSummary } from '../store.js';
import type { Connection } from './connection.js';
import { needsStatus, toSummaryPage, type SummaryRow } from '../rows.js';

/**
 * One query per search: driven by the component or software index when the filter names one (few rows), by
 * robot_status in ID order when it filters on the status, else by the issued IDs themselves (so that robots with
 * no events yet are found too, in state issued). Pages continue after the last robot ID.
 */
export function findRobots(
  c: Connection,
  f: RobotFilter,
  page: PageRequest<string>,
): Page<RobotSummary, string> {
  const withStatus = needsStatus(f);
  const id = withStatus ? 's.robot_id' : 'r.id';
  const where: string[] = [`${id} > @after`];
  const params: Record<string, unknown> = { after: page.after, limit: page.limit + 1 };
  let from = withStatus ? 'robot_status s' : 'robots r LEFT JOIN robot_status s ON s.robot_id = r.id';
  const add = (clause: string, values: Record<string, unknown>) => {
    where.push(clause);
    Object.assign(params, values);
  };
  if (f.component) {
    from = 'robot_components k JOIN robot_status s ON s.robot_id = k.robot_id';
    if (f.component.lot !== undefined) add('k.lot = @lot', { lot: f.component.lot });
    if (f.component.partNumber !== undefined) add('k.part_number = @part', { part: f.component.partNumber });
    if (f.component.serial !== undefined) add('k.serial = @serial', { serial: f.component.serial });
    if (!f.component.includeRemoved) where.push('k.removed_seq IS NULL');
  }
  if (f.software) {
    from = `${from} JOIN robot_software w ON w.robot_id = s.robot_id`;
    add('w.version = @version', { version: f.software.version });
    if (f.software.target !== undefined) add('w.target = @target', { target: f.software.target });
  }
  if (f.idPrefix) add(`${id} >= @prefix AND ${id} < @prefix || '~'`, { prefix: f.idPrefix });
  if (f.state === 'issued') where.push('s.robot_id IS NULL');
  else if (f.state) add('s.state = @state', { state: f.state });
  if (f.region) add('s.region = @region', { region: f.region });
  if (f.custodianId) add('s.custodian_id = @custodian', { custodian: f.custodianId });
  if (f.producedFrom) add('s.production_date >= @from', { from: f.producedFrom });
  if (f.producedTo) add('s.production_date <= @to', { to: f.producedTo });
  if (f.certified) {
    where.push(
      f.certified.valid
        ? 's.certified_until >= @at'
        : '(s.certified_until IS NULL OR s.certified_until < @at)',
    );
    params.at = f.certified.at;
  }
  if (f.scopeIdPrefixes) {
    const scoped = f.scopeIdPrefixes.map((_, i) => `(${id} >= @scope${i} AND ${id} < @scope${i} || '~')`);
    where.push(scoped.length > 0 ? `(${scoped.join(' OR ')})` : '0');
    f.scopeIdPrefixes.forEach((p, i) => (params[`scope${i}`] = p));
  }
  if (f.scopeCustodianId) add('s.custodian_id = @scopeCustodian', { scopeCustodian: f.scopeCustodianId });
  if (f.scopeOperatorId)
    add("json_extract(s.status, '$.operatorId') = @scopeOperator", { scopeOperator: f.scopeOperatorId });
  const sql = `SELECT DISTINCT ${id} AS robot_id, coalesce(s.state, 'issued') AS state, s.region,
                 s.production_date, s.certified_until
               FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${id} LIMIT @limit`;
  const rows = c.stmt(sql).all(params) as SummaryRow[];
  return toSummaryPage(rows, page.limit);
}
