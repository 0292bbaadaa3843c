/**
 * SQLite's capture path: a prepared statement per row written, run synchronously. In-process there is no round trip
 * to save, so the one statement per batch of ../events/queries.ts would only add a JSON encoding and decoding of the
 * batch, and an await would add a turn of the event loop per row. Component changes are written here alone. Reads
 * are the shared queries' (one statement a batch: a thousand robots' snapshots are looked up in SQLite's own loop
 * faster than by a thousand calls of a statement), but for the fitted parts' lookup.
 */
import { randomBytes } from 'node:crypto';
import { canonicalJson } from '../../lib/canonical-json.js';
import { SALT_BYTES } from '../../log/leaf.js';
import {
  FITTED_COMPONENT,
  ON_STATUS_CONFLICT,
  STATUS_COLUMNS,
  statusRecord,
  toEvent,
  type EventRow,
} from '../events/queries.js';
import { serialisedPartKey, type EventReader, type EventWriter, type NewEvent } from '../events/interface.js';
import type { QueriesOf } from '../sql/queries.js';
import type { Connection } from './connection.js';
import { chainLinks, LOG_SIZE, robotsWithPriorUnknown } from '../log/append.js';
import { appendEventLeaves } from './log.js';

const logSize = (c: Connection) => (c.stmt(LOG_SIZE).get() as { size: number }).size;

/** Inserts the events and (unless a benchmark says not to) appends their leaves to the log, in one transaction. */
export function insertEvents(c: Connection, events: NewEvent[], log = true): number[] {
  const insert = c.stmt(
    `INSERT INTO events (robot_id, event_id, type, event_time, record_time, org_id, key_id, payload, content_hash,
       late, salt, leaf_version, leaf_prev)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2, ?)`,
  );
  const links = log ? chainLinks(events, logSize(c) + 1, priorSeqs(c, events)) : [];
  const logged = events.map((e, i) => ({
    ...e,
    payloadJson: e.payloadJson ?? canonicalJson(e.payload),
    leaf: links[i] ?? { v: 2 as const, prev: null },
  }));
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
        e.leaf.v === 2 ? e.leaf.prev : null,
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

/** Each robot's latest seq before the batch (an indexed lookup a robot, as the rest of this file). */
function priorSeqs(c: Connection, events: NewEvent[]): Map<string, number> {
  const latest = c.stmt('SELECT max(seq) AS seq FROM events WHERE robot_id = ?');
  const found = new Map<string, number>();
  for (const robotId of robotsWithPriorUnknown(events)) {
    const row = latest.get(robotId) as { seq: number | null };
    if (row.seq !== null) found.set(robotId, row.seq);
  }
  return found;
}

/** Upgrade: gives every event stored before the log existed a salt and a leaf, in seq order. */
export function logEventsStoredBeforeTheLog(c: Connection): void {
  const read = c.stmt('SELECT * FROM events WHERE seq >= ? AND seq < ? ORDER BY seq');
  const setSalt = c.stmt('UPDATE events SET salt = ? WHERE seq = ?');
  for (let from = 1; ; from += 10_000) {
    const events = (read.all(from, from + 10_000) as EventRow[]).map(toEvent);
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

export const reads: Partial<QueriesOf<EventReader, Connection>> = {
  findFittedComponents(c, parts) {
    const found = new Map<string, string>();
    const fitted = c.stmt(FITTED_COMPONENT);
    for (const part of parts) {
      const row = fitted.get(part.partNumber, part.serial) as { robot_id: string } | undefined;
      if (row) found.set(serialisedPartKey(part), row.robot_id);
    }
    return found;
  },
};

export const writes: Partial<QueriesOf<EventWriter, Connection>> &
  Pick<QueriesOf<EventWriter, Connection>, 'recordComponentChanges'> = {
  insertEvents: (c, events) => insertEvents(c, events),

  putRobotStatuses(c, entries) {
    const put = c.stmt(
      `INSERT INTO robot_status (${STATUS_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ${ON_STATUS_CONFLICT}`,
    );
    // Positional, in STATUS_COLUMNS' order: better-sqlite3 binds them a quarter faster than named ones (measured).
    for (const entry of entries) {
      const { r, st, c: custodian, g, d, u, j, q, le, ac, sv } = statusRecord(entry);
      put.run(r, st, custodian, g, d, u, j, q, le, ac, sv);
    }
  },

  recordComponentChanges(c, changes) {
    const fit = c.stmt(
      `INSERT INTO robot_components
         (robot_id, fitted_seq, ordinal, kind, position, manufacturer, part_number, serial, lot)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // The first row of that part still fitted, in key order (fitted_seq, ordinal): the robot's own rows are side
    // by side (its key comes first), a handful of them.
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
  },

  putSoftware(c, entries) {
    const clear = c.stmt('DELETE FROM robot_software WHERE robot_id = ?');
    const insert = c.stmt('INSERT INTO robot_software (robot_id, target, version) VALUES (?, ?, ?)');
    for (const { robotId, software } of entries) {
      clear.run(robotId);
      for (const s of software) insert.run(robotId, s.target, s.version);
    }
  },
};
