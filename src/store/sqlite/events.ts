import type { Component } from '../../domain/lifecycle/events.js';
import type { RobotStatus } from '../../domain/lifecycle/status.js';
import type { NewEvent, Page, PageRequest, StoredEvent } from '../store.js';
import { Connection } from './connection.js';

interface EventRow {
  seq: number;
  robot_id: string;
  event_id: string;
  type: StoredEvent['type'];
  event_time: string;
  record_time: string;
  org_id: string;
  key_id: string;
  payload: string;
  content_hash: Buffer;
  late: number;
}

const toEvent = (row: EventRow): StoredEvent => ({
  seq: row.seq,
  robotId: row.robot_id,
  eventId: row.event_id,
  type: row.type,
  eventTime: row.event_time,
  recordTime: row.record_time,
  orgId: row.org_id,
  keyId: row.key_id,
  payload: JSON.parse(row.payload) as unknown,
  contentHash: row.content_hash,
  late: row.late === 1,
});

export function findEvent(c: Connection, robotId: string, eventId: string): StoredEvent | null {
  const row = c.stmt('SELECT * FROM events WHERE robot_id = ? AND event_id = ?').get(robotId, eventId);
  return row ? toEvent(row as EventRow) : null;
}

export const listEvents = (c: Connection, robotId: string): StoredEvent[] =>
  (c.stmt('SELECT * FROM events WHERE robot_id = ? ORDER BY seq').all(robotId) as EventRow[]).map(toEvent);

export function insertEvents(c: Connection, events: NewEvent[]): number[] {
  const insert = c.stmt(
    `INSERT INTO events (robot_id, event_id, type, event_time, record_time, org_id, key_id, payload, content_hash, late)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return events.map((e) =>
    Number(
      insert.run(
        e.robotId,
        e.eventId,
        e.type,
        e.eventTime,
        e.recordTime,
        e.orgId,
        e.keyId,
        e.payloadJson ?? JSON.stringify(e.payload),
        e.contentHash,
        e.late ? 1 : 0,
      ).lastInsertRowid,
    ),
  );
}

/** The snapshot is stored without its components: those fitted now are read from robot_components. */
export function getRobotStatus(c: Connection, robotId: string): RobotStatus | null {
  const row = c.stmt('SELECT status FROM robot_status WHERE robot_id = ?').get(robotId) as
    { status: string } | undefined;
  if (!row) return null;
  return {
    ...(JSON.parse(row.status) as Omit<RobotStatus, 'components'>),
    components: fittedComponents(c, robotId),
  };
}

interface ComponentRow {
  kind: Component['kind'];
  position: string | null;
  manufacturer: string;
  part_number: string;
  serial: string | null;
  lot: string | null;
}

function fittedComponents(c: Connection, robotId: string): Component[] {
  const rows = c
    .stmt(
      `SELECT kind, position, manufacturer, part_number, serial, lot FROM robot_components
       WHERE robot_id = ? AND removed_seq IS NULL ORDER BY fitted_seq, rowid`,
    )
    .all(robotId) as ComponentRow[];
  return rows.map((r) => ({
    kind: r.kind,
    ...(r.position === null ? {} : { position: r.position }),
    manufacturer: r.manufacturer,
    partNumber: r.part_number,
    ...(r.serial === null ? {} : { serial: r.serial }),
    ...(r.lot === null ? {} : { lot: r.lot }),
  }));
}

export function listLateEvents(c: Connection, orgId: string, page: PageRequest): Page<StoredEvent> {
  const rows = c
    .stmt('SELECT * FROM events WHERE org_id = ? AND late = 1 AND seq > ? ORDER BY seq LIMIT ?')
    .all(orgId, page.after, page.limit + 1) as EventRow[];
  return Connection.page(rows, page.limit, toEvent);
}
