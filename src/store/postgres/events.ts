/**
 * PostgreSQL's own event queries: a snapshot read in one round trip, and a batch's component changes in two
 * statements (the removals' needs LATERAL, which SQLite lacks).
 */
import type { Component } from '../../domain/lifecycle/events.js';
import { toComponent, withComponents, type ComponentRow } from '../events/queries.js';
import type { EventReader, EventWriter } from '../events/interface.js';
import type { QueriesOf } from '../sql/queries.js';
import type { Connection } from './connection.js';

export const reads: Partial<QueriesOf<EventReader, Connection>> = {
  /**
   * The snapshot with the components fitted now in one statement: a history read is a few statements, each a
   * round trip (written once, it is two).
   */
  async getRobotStatus(c, robotId) {
    const row = await c.row<{ status: string; components: ComponentRow[] }>(
      `SELECT s.status, coalesce((
         SELECT json_agg(json_build_object('kind', k.kind, 'position', k.position, 'manufacturer', k.manufacturer,
                           'part_number', k.part_number, 'serial', k.serial, 'lot', k.lot)
                         ORDER BY k.fitted_seq, k.ordinal)
         FROM robot_components k WHERE k.robot_id = s.robot_id AND k.removed_seq IS NULL), '[]') AS components
       FROM robot_status s WHERE s.robot_id = $1`,
      [robotId],
    );
    return row ? withComponents(row.status, row.components.map(toComponent)) : null;
  },
};

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

export const writes: Pick<QueriesOf<EventWriter, Connection>, 'recordComponentChanges'> = {
  /**
   * All the changes in two statements, every fit and then every removal, whatever the batch's size. One by one, a
   * removal marks the first row of that part still fitted, in key order (fitted_seq, ordinal); so the k-th removal
   * of a part marks its k-th fitted row, and that row was fitted before the removal: the state machine lets a part
   * be removed only while it is fitted. Writing the later fits first therefore changes nothing a removal sees.
   */
  async recordComponentChanges(c, changes) {
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
  },
};

/** All the fits in one statement, as one JSON array (see insertEvents in ../events/queries.ts). */
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
      WHERE x.robot_id = w.robot_id AND x.removed_seq IS NULL AND x.fitted_seq < w.removed_seq
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
