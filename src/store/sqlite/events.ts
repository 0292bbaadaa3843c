import type { Component } from '../../domain/lifecycle/events.js';
import type { RobotStatus } from '../../domain/lifecycle/status.js';
import type { NewEvent, Page, PageRequest, StoredEvent } from '../store.js';
import { randomBytes } from 'node:crypto';
import { SALT_BYTES } from '../../log/leaf.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { Connection } from './connection.js';
import { appendEventLeaves } from './log.js';
import { type ComponentRow, type EventRow, toComponent, toEvent } from '../rows.js';

export function findEvent(c: Connection, robotId: string, eventId: string): StoredEvent | null {
  const row = c.stmt('SELECT * FROM events WHERE robot_id = ? AND event_id = ?').get(robotId, eventId);
  return row ? toEvent(row as EventRow) : null;
}

export const listEvents = (c: Connection, robotId: string): StoredEvent[] =>
  (c.stmt('SELECT * FROM events WHERE robot_id = ? ORDER BY seq').all(robotId) as EventRow[]).map(toEvent);

export const listEventsBySeq = (c: Connection, from: number, to: number): StoredEvent[] =>
  (c.stmt('SELECT * FROM events WHERE seq >= ? AND seq < ? ORDER BY seq').all(from, to) as EventRow[]).map(
    toEvent,
  );

/** Inserts the events and (unless a benchmark says not to) appends their leaves to the log, in one transaction. */
export function insertEvents(c: Connection, events: NewEvent[], log = true): number[] {
  const insert = c.stmt(
    `INSERT INTO events
       (robot_id, event_id, type, event_time, record_time, org_id, key_id, payload, content_hash, late, salt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const logged = events.map((e) => ({ ...e, payloadJson: e.payloadJson ?? canonicalJson(e.payload) }));
  const seqs = logged.map((e) =>
    Number(
      insert.run(
        e.robotId,
        e.eventId,
        e.type,
        e.eventTime,
        e.recordTime,
        e.orgId,
        e.keyId,
        e.payloadJson,
        e.contentHash,
        e.late ? 1 : 0,
        e.salt,
      ).lastInsertRowid,
    ),
  );
  if (seqs.length === 0 || !log) return seqs;
  // One writer inserts in one go: the seqs are consecutive, so the leaves are too. Checked, not assumed.
  if (seqs[seqs.length - 1]! - seqs[0]! !== seqs.length - 1)
    throw new Error('events were not given consecutive seqs');
  appendEventLeaves(c, seqs[0]!, logged);
  return seqs;
}

/** Upgrade: gives every event stored before the log existed a salt and a leaf, in seq order. */
export function logEventsStoredBeforeTheLog(c: Connection): void {
  const setSalt = c.stmt('UPDATE events SET salt = ? WHERE seq = ?');
  for (let from = 1; ; from += 10_000) {
    const events = listEventsBySeq(c, from, from + 10_000);
    if (events.length === 0) return;
    if (events[0]!.seq !== from || events[events.length - 1]!.seq !== from + events.length - 1)
      throw new Error(`events from seq ${from} have gaps: they cannot be logged in order`);
    for (const e of events) {
      e.salt = randomBytes(SALT_BYTES);
      setSalt.run(e.salt, e.seq);
    }
    appendEventLeaves(c, from, events);
  }
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

/** One indexed lookup each: in-process SQLite pays no round trip, so a batch query would only add work. */
export function getRobotStatuses(c: Connection, ids: string[]): Map<string, RobotStatus> {
  const found = new Map<string, RobotStatus>();
  for (const id of ids) {
    const status = getRobotStatus(c, id);
    if (status) found.set(id, status);
  }
  return found;
}

function fittedComponents(c: Connection, robotId: string): Component[] {
  const rows = c
    .stmt(
      `SELECT kind, position, manufacturer, part_number, serial, lot FROM robot_components
       WHERE robot_id = ? AND removed_seq IS NULL ORDER BY fitted_seq, ordinal`,
    )
    .all(robotId) as ComponentRow[];
  return rows.map(toComponent);
}

export function listLateEvents(c: Connection, orgId: string, page: PageRequest): Page<StoredEvent> {
  const rows = c
    .stmt('SELECT * FROM events WHERE org_id = ? AND late = 1 AND seq > ? ORDER BY seq LIMIT ?')
    .all(orgId, page.after, page.limit + 1) as EventRow[];
  return Connection.page(rows, page.limit, toEvent);
}
