import type { RobotStatus } from '../../domain/lifecycle/status.js';
import {
  serialisedPartKey,
  type ComponentChange,
  type Page,
  type PageRequest,
  type RobotFilter,
  type RobotStatusEntry,
  type RobotSummary,
  type SerialisedPart,
  type SoftwareEntry,
} from '../store.js';
import type { Connection } from './connection.js';
import { needsStatus, toSummaryPage, type SummaryRow } from '../rows.js';

/** The certification's end as a sortable column: '9999' for a pass without end, NULL for none or a fail. */
const certifiedUntil = (s: RobotStatus) =>
  s.certification?.result === 'pass' ? (s.certification.validUntil ?? '9999-12-31T23:59:59.999Z') : null;

export function putRobotStatuses(c: Connection, entries: RobotStatusEntry[]): void {
  const put = c.stmt(
    `INSERT INTO robot_status (robot_id, state, custodian_id, region, production_date, certified_until, status, last_seq,
       last_event_at, activated_at, last_serviced_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (robot_id) DO UPDATE SET state = excluded.state, custodian_id = excluded.custodian_id,
       region = excluded.region, production_date = excluded.production_date,
       certified_until = excluded.certified_until, status = excluded.status, last_seq = excluded.last_seq,
       last_event_at = excluded.last_event_at, activated_at = excluded.activated_at,
       last_serviced_at = excluded.last_serviced_at`,
  );
  for (const { robotId, status, lastSeq } of entries)
    put.run(
      robotId,
      status.state,
      status.custodianId,
      status.site?.region ?? null,
      status.productionDate,
      certifiedUntil(status),
      JSON.stringify({ ...status, components: undefined }),
      lastSeq,
      status.lastEventTime,
      status.activatedAt ?? null,
      status.lastServicedAt ?? null,
    );
}

export function recordComponentChanges(c: Connection, changes: ComponentChange[]): void {
  const fit = c.stmt(
    `INSERT INTO robot_components
       (robot_id, fitted_seq, ordinal, kind, position, manufacturer, part_number, serial, lot)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // The robot's own rows are side by side (its key comes first): the search reads a handful of them.
  const remove = c.stmt(
    `UPDATE robot_components SET removed_seq = ?
     WHERE (robot_id, fitted_seq, ordinal) = (
       SELECT robot_id, fitted_seq, ordinal FROM robot_components
       WHERE robot_id = ? AND part_number = ? AND serial IS ? AND lot IS ? AND removed_seq IS NULL LIMIT 1)`,
  );
  for (const change of changes) {
    for (const p of change.removed)
      remove.run(change.seq, change.robotId, p.partNumber, p.serial ?? null, p.lot ?? null);
    change.fitted.forEach((p, ordinal) =>
      fit.run(
        change.robotId,
        change.seq,
        ordinal,
        p.kind,
        p.position ?? null,
        p.manufacturer,
        p.partNumber,
        p.serial ?? null,
        p.lot ?? null,
      ),
    );
  }
}

export function putSoftware(c: Connection, entries: SoftwareEntry[]): void {
  const clear = c.stmt('DELETE FROM robot_software WHERE robot_id = ?');
  const insert = c.stmt('INSERT INTO robot_software (robot_id, target, version) VALUES (?, ?, ?)');
  for (const { robotId, software } of entries) {
    clear.run(robotId);
    for (const s of software) insert.run(robotId, s.target, s.version);
  }
}

export function findFittedComponent(c: Connection, partNumber: string, serial: string): string | null {
  const row = c
    .stmt(
      'SELECT robot_id FROM robot_components WHERE part_number = ? AND serial = ? AND removed_seq IS NULL LIMIT 1',
    )
    .get(partNumber, serial) as { robot_id: string } | undefined;
  return row?.robot_id ?? null;
}

export function findFittedComponents(c: Connection, parts: SerialisedPart[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of parts) {
    const robotId = findFittedComponent(c, part.partNumber, part.serial);
    if (robotId) found.set(serialisedPartKey(part), robotId);
  }
  return found;
}

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
