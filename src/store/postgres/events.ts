import type { Component } from '../../domain/lifecycle/events.js';
import type { RobotStatus } from '../../domain/lifecycle/status.js';
import type { NewEvent, Page, PageRequest, StoredEvent } from '../store.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { Connection } from './connection.js';
import { appendEventLeaves } from './log.js';
import { type ComponentRow, type EventRow, toComponent, toEvent } from '../rows.js';

export async function findEvent(
  c: Connection,
  robotId: string,
  eventId: string,
): Promise<StoredEvent | null> {
  const row = await c.row<EventRow>('SELECT * FROM events WHERE robot_id = $1 AND event_id = $2', [
    robotId,
    eventId,
  ]);
  return row ? toEvent(row) : null;
}

export const listEvents = async (c: Connection, robotId: string): Promise<StoredEvent[]> =>
  (await c.rows<EventRow>('SELECT * FROM events WHERE robot_id = $1 ORDER BY seq', [robotId])).map(toEvent);

export const listEventsBySeq = async (c: Connection, from: number, to: number): Promise<StoredEvent[]> =>
  (await c.rows<EventRow>('SELECT * FROM events WHERE seq >= $1 AND seq < $2 ORDER BY seq', [from, to])).map(
    toEvent,
  );

/**
 * The events in one statement (a batch may hold 40,000), sent as one JSON array: V8 writes JSON natively, where pg
 * would escape every element of eleven text arrays in JavaScript. Each gets the seq after the largest so far plus
 * its place in the batch: no sequence, which would leave gaps when a unit of work rolls back (the writers' lock
 * makes max(seq) safe to read).
 */
const INSERT_EVENTS = `
  INSERT INTO events
    (seq, robot_id, event_id, type, event_time, record_time, org_id, key_id, payload, content_hash, late, salt)
  SELECT (SELECT coalesce(max(seq), 0) FROM events) + e.n,
         e.r, e.i, e.t, e.et, e.rt, e.o, e.k, e.p, decode(e.h, 'hex'), e.l, decode(e.s, 'hex')
  FROM json_to_recordset($1::json)
    AS e(n bigint, r text, i text, t text, et text, rt text, o text, k text, p text, h text, l boolean, s text)
  RETURNING seq`;

/** Inserts the events and appends their leaves to the log, in the caller's transaction. */
export async function insertEvents(c: Connection, events: NewEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const logged = events.map((e) => ({ ...e, payloadJson: e.payloadJson ?? canonicalJson(e.payload) }));
  const rows = await c.rows<{ seq: number }>(INSERT_EVENTS, [
    JSON.stringify(
      logged.map((e, place) => ({
        n: place + 1,
        r: e.robotId,
        i: e.eventId,
        t: e.type,
        et: e.eventTime,
        rt: e.recordTime,
        o: e.orgId,
        k: e.keyId,
        p: e.payloadJson,
        h: e.contentHash.toString('hex'),
        l: e.late,
        s: e.salt.toString('hex'),
      })),
    ),
  ]);
  // seq = base + place in the batch, so sorted seqs are in the order given. Consecutive: checked, not assumed.
  const seqs = rows.map((r) => r.seq).sort((a, b) => a - b);
  if (seqs.length !== events.length || seqs[seqs.length - 1]! - seqs[0]! !== seqs.length - 1)
    throw new Error('events were not given consecutive seqs');
  await appendEventLeaves(c, seqs[0]!, logged);
  return seqs;
}

/**
 * The snapshot is stored without its components: those fitted now are read from robot_components, in the same
 * statement (a history read is a few statements, each a round trip).
 */
export async function getRobotStatus(c: Connection, robotId: string): Promise<RobotStatus | null> {
  const row = await c.row<{ status: string; components: ComponentRow[] }>(
    `SELECT s.status, coalesce((
       SELECT json_agg(json_build_object('kind', k.kind, 'position', k.position, 'manufacturer', k.manufacturer,
                         'part_number', k.part_number, 'serial', k.serial, 'lot', k.lot)
                       ORDER BY k.fitted_seq, k.ordinal)
       FROM robot_components k WHERE k.robot_id = s.robot_id AND k.removed_seq IS NULL), '[]') AS components
     FROM robot_status s WHERE s.robot_id = $1`,
    [robotId],
  );
  if (!row) return null;
  return {
    ...(JSON.parse(row.status) as Omit<RobotStatus, 'components'>),
    components: row.components.map(toComponent),
  };
}

/** Two statements for any number of robots: their snapshots, then all their fitted components in order. */
export async function getRobotStatuses(c: Connection, ids: string[]): Promise<Map<string, RobotStatus>> {
  const found = new Map<string, RobotStatus>();
  if (ids.length === 0) return found;
  const rows = await c.rows<{ robot_id: string; status: string }>(
    'SELECT robot_id, status FROM robot_status WHERE robot_id = ANY($1::text[])',
    [ids],
  );
  const parts = await c.rows<ComponentRow & { robot_id: string }>(
    `SELECT robot_id, kind, position, manufacturer, part_number, serial, lot FROM robot_components
     WHERE robot_id = ANY($1::text[]) AND removed_seq IS NULL ORDER BY robot_id, fitted_seq, ordinal`,
    [rows.map((r) => r.robot_id)],
  );
  const components = new Map<string, Component[]>();
  for (const part of parts) {
    const list = components.get(part.robot_id);
    if (list) list.push(toComponent(part));
    else components.set(part.robot_id, [toComponent(part)]);
  }
  for (const row of rows)
    found.set(row.robot_id, {
      ...(JSON.parse(row.status) as Omit<RobotStatus, 'components'>),
      components: components.get(row.robot_id) ?? [],
    });
  return found;
}

export async function listLateEvents(
  c: Connection,
  orgId: string,
  page: PageRequest,
): Promise<Page<StoredEvent>> {
  const rows = await c.rows<EventRow>(
    'SELECT * FROM events WHERE org_id = $1 AND late AND seq > $2 ORDER BY seq LIMIT $3',
    [orgId, page.after, page.limit + 1],
  );
  return Connection.page(rows, page.limit, toEvent);
}
