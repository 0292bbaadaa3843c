import type { Component } from '../../domain/lifecycle/events.js';
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

/** All the snapshots in one statement (each robot at most once: an upsert cannot touch a row twice). */
export async function putRobotStatuses(c: Connection, entries: RobotStatusEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await c.run(
    `INSERT INTO robot_status (robot_id, state, custodian_id, region, production_date, certified_until, status, last_seq,
       last_event_at, activated_at, last_serviced_at)
     SELECT e.r, e.st, e.c, e.g, e.d, e.u, e.j, e.q, e.le, e.ac, e.sv
     FROM json_to_recordset($1::json)
       AS e(r text, st text, c text, g text, d text, u text, j text, q bigint, le text, ac text, sv text)
     ON CONFLICT (robot_id) DO UPDATE SET state = excluded.state, custodian_id = excluded.custodian_id,
       region = excluded.region, production_date = excluded.production_date,
       certified_until = excluded.certified_until, status = excluded.status, last_seq = excluded.last_seq,
       last_event_at = excluded.last_event_at, activated_at = excluded.activated_at,
       last_serviced_at = excluded.last_serviced_at`,
    [
      JSON.stringify(
        entries.map((e) => ({
          r: e.robotId,
          st: e.status.state,
          c: e.status.custodianId,
          g: e.status.site?.region ?? null,
          d: e.status.productionDate,
          u: certifiedUntil(e.status),
          j: JSON.stringify({ ...e.status, components: undefined }),
          q: e.lastSeq,
          le: e.status.lastEventTime,
          ac: e.status.activatedAt ?? null,
          sv: e.status.lastServicedAt ?? null,
        })),
      ),
    ],
  );
}

interface Fit {
  robotId: string;
  seq: number;
  ordinal: number;
  part: Component;
}

interface Removal {
  robotId: string;
  seq: number;
  part: Component;
}

/**
 * All the changes in two statements, every fit and then every removal, whatever the batch's size. One by one, a
 * removal marks the first row of that part still fitted, in key order (fitted_seq, ordinal); so the k-th removal
 * of a part marks its k-th fitted row, and that row was fitted before the removal: the state machine lets a part
 * be removed only while it is fitted. Writing the later fits first therefore changes nothing a removal sees.
 */
export async function recordComponentChanges(c: Connection, changes: ComponentChange[]): Promise<void> {
  const fits: Fit[] = [];
  const removals: Removal[] = [];
  for (const change of changes) {
    for (const part of change.removed) removals.push({ robotId: change.robotId, seq: change.seq, part });
    change.fitted.forEach((part, ordinal) =>
      fits.push({ robotId: change.robotId, seq: change.seq, ordinal, part }),
    );
  }
  await fitParts(c, fits);
  await removeParts(c, removals);
}

/** All the fits in one statement, as one JSON array (see INSERT_EVENTS in events.ts for why JSON). */
async function fitParts(c: Connection, fits: Fit[]): Promise<void> {
  if (fits.length === 0) return;
  await c.run(
    `INSERT INTO robot_components
       (robot_id, fitted_seq, ordinal, kind, position, manufacturer, part_number, serial, lot)
     SELECT f.r, f.q, f.o, f.k, f.p, f.m, f.n, f.s, f.l
     FROM json_to_recordset($1::json)
       AS f(r text, q bigint, o integer, k text, p text, m text, n text, s text, l text)`,
    [
      JSON.stringify(
        fits.map((f) => ({
          r: f.robotId,
          q: f.seq,
          o: f.ordinal,
          k: f.part.kind,
          p: f.part.position ?? null,
          m: f.part.manufacturer,
          n: f.part.partNumber,
          s: f.part.serial ?? null,
          l: f.part.lot ?? null,
        })),
      ),
    ],
  );
}

/**
 * Each removal marks one fitted row of the same part (serial and lot compared NULL-safe): the k-th removal of a
 * part takes the k-th such row in key order, as k removals one by one would (each taking the first).
 * The row is found by a lateral lookup on the robot's own key range, the part compared as one row value, which no
 * index serves: so the planner cannot pick the part-number index instead (a common part number spans the whole
 * table; with statistics of a young table it did, and each batch got slower than the one before).
 */
const REMOVE_PARTS = `
  WITH wanted AS (
    SELECT w.*, row_number() OVER (PARTITION BY robot_id, part_number, serial, lot ORDER BY n) AS k
    FROM json_to_recordset($1::json)
      AS w(n integer, robot_id text, part_number text, serial text, lot text, removed_seq bigint)
  ), targets AS (
    SELECT f.robot_id, f.fitted_seq, f.ordinal, w.removed_seq
    FROM wanted w CROSS JOIN LATERAL (
      SELECT x.robot_id, x.fitted_seq, x.ordinal FROM robot_components x
      WHERE x.robot_id = w.robot_id AND x.removed_seq IS NULL
        AND (x.part_number, x.serial, x.lot) IS NOT DISTINCT FROM (w.part_number, w.serial, w.lot)
      ORDER BY x.fitted_seq, x.ordinal OFFSET w.k - 1 LIMIT 1
    ) f
  )
  UPDATE robot_components c SET removed_seq = t.removed_seq
  FROM targets t
  WHERE c.robot_id = t.robot_id AND c.fitted_seq = t.fitted_seq AND c.ordinal = t.ordinal`;

async function removeParts(c: Connection, removals: Removal[]): Promise<void> {
  if (removals.length === 0) return;
  await c.run(REMOVE_PARTS, [
    JSON.stringify(
      removals.map((r, place) => ({
        n: place,
        robot_id: r.robotId,
        part_number: r.part.partNumber,
        serial: r.part.serial ?? null,
        lot: r.part.lot ?? null,
        removed_seq: r.seq,
      })),
    ),
  ]);
}

export async function putSoftware(c: Connection, entries: SoftwareEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await c.run('DELETE FROM robot_software WHERE robot_id = ANY($1::text[])', [entries.map((e) => e.robotId)]);
  const rows = entries.flatMap((e) => e.software.map((s) => ({ robotId: e.robotId, ...s })));
  if (rows.length === 0) return;
  await c.run(
    'INSERT INTO robot_software (robot_id, target, version) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])',
    [rows.map((r) => r.robotId), rows.map((r) => r.target), rows.map((r) => r.version)],
  );
}

export async function findFittedComponent(
  c: Connection,
  partNumber: string,
  serial: string,
): Promise<string | null> {
  const row = await c.row<{ robot_id: string }>(
    'SELECT robot_id FROM robot_components WHERE part_number = $1 AND serial = $2 AND removed_seq IS NULL LIMIT 1',
    [partNumber, serial],
  );
  return row?.robot_id ?? null;
}

export async function findFittedComponents(
  c: Connection,
  parts: SerialisedPart[],
): Promise<Map<string, string>> {
  if (parts.length === 0) return new Map();
  const rows = await c.rows<{ part_number: string; serial: string; robot_id: string }>(
    `SELECT k.part_number, k.serial, k.robot_id
     FROM json_to_recordset($1::json) AS p(part_number text, serial text)
     JOIN robot_components k ON k.part_number = p.part_number AND k.serial = p.serial AND k.removed_seq IS NULL`,
    [JSON.stringify(parts.map((p) => ({ part_number: p.partNumber, serial: p.serial })))],
  );
  return new Map(
    rows.map((r) => [serialisedPartKey({ partNumber: r.part_number, serial: r.serial }), r.robot_id]),
  );
}

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
