/**
 * Accepted events and what they leave (each robot's snapshot, fitted components, software), written once. The
 * capture path reads and writes once per accepted batch of up to 10,000 events, here in one statement per batch:
 * a round trip per row would be most of a batch's time on a database server. SQLite, in-process, pays no round
 * trip: it runs a prepared statement per row instead, synchronously (sqlite/events.ts). Component changes are each
 * adapter's own (see `writes`); PostgreSQL reads a snapshot in one statement (postgres/events.ts).
 */
import type { Component } from '../../domain/lifecycle/events.js';
import type { RobotStatus } from '../../domain/lifecycle/status.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import {
  LOG_SIZE,
  appendEventLeaves,
  chainLinks,
  priorSeqsQuery,
  robotsWithPriorUnknown,
} from '../log/append.js';
import type { ColumnType } from '../sql/db.js';
import { pageOf } from '../sql/page.js';
import type { QueriesOf } from '../sql/queries.js';
import {
  serialisedPartKey,
  type EventReader,
  type EventWriter,
  type RobotStatusEntry,
  type StoredEvent,
} from './interface.js';

export interface EventRow {
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
  /** 1 or 0 in SQLite. */
  late: number | boolean;
  salt: Buffer;
  leaf_version: number;
  leaf_prev: number | null;
}

export const toEvent = (row: EventRow): StoredEvent => ({
  seq: row.seq,
  robotId: row.robot_id,
  eventId: row.event_id,
  type: row.type,
  eventTime: row.event_time,
  recordTime: row.record_time,
  orgId: row.org_id,
  keyId: row.key_id,
  payload: JSON.parse(row.payload) as unknown,
  payloadJson: row.payload,
  contentHash: row.content_hash,
  late: Boolean(row.late),
  salt: row.salt,
  // A row read before the upgrade that added the columns (an older migration's) has version 1 leaves too.
  leaf:
    row.leaf_version === 2 ? { v: 2, prev: row.leaf_prev === null ? null : Number(row.leaf_prev) } : { v: 1 },
});

/** A fitted component's row in robot_components (the columns a status snapshot reads back). */
export interface ComponentRow {
  kind: Component['kind'];
  position: string | null;
  manufacturer: string;
  part_number: string;
  serial: string | null;
  lot: string | null;
}

export const toComponent = (r: ComponentRow): Component => ({
  kind: r.kind,
  ...(r.position === null ? {} : { position: r.position }),
  manufacturer: r.manufacturer,
  partNumber: r.part_number,
  ...(r.serial === null ? {} : { serial: r.serial }),
  ...(r.lot === null ? {} : { lot: r.lot }),
});

/** A snapshot is stored without its components (those fitted now are read from robot_components). */
export const withComponents = (status: string, components: Component[]): RobotStatus => ({
  ...(JSON.parse(status) as Omit<RobotStatus, 'components'>),
  components,
});

export const ROBOT_STATUS = 'SELECT status FROM robot_status WHERE robot_id = ?';

export const FITTED_COMPONENTS = `
  SELECT kind, position, manufacturer, part_number, serial, lot FROM robot_components
  WHERE robot_id = ? AND removed_seq IS NULL ORDER BY fitted_seq, ordinal`;

export const FITTED_COMPONENT =
  'SELECT robot_id FROM robot_components WHERE part_number = ? AND serial = ? AND removed_seq IS NULL LIMIT 1';

/** The certification's end as a sortable column: '9999' for a pass without end, NULL for none or a fail. */
const certifiedUntil = (s: RobotStatus) =>
  s.certification?.result === 'pass' ? (s.certification.validUntil ?? '9999-12-31T23:59:59.999Z') : null;

/** robot_status's columns in `statusRecord`'s order. */
export const STATUS_COLUMNS = `robot_id, state, custodian_id, region, production_date, certified_until, status,
  last_seq, last_event_at, activated_at, last_serviced_at`;

export const ON_STATUS_CONFLICT = `
  ON CONFLICT (robot_id) DO UPDATE SET state = excluded.state, custodian_id = excluded.custodian_id,
    region = excluded.region, production_date = excluded.production_date,
    certified_until = excluded.certified_until, status = excluded.status, last_seq = excluded.last_seq,
    last_event_at = excluded.last_event_at, activated_at = excluded.activated_at,
    last_serviced_at = excluded.last_serviced_at`;

/** `statusRecord`'s fields as a batch of JSON records. */
const STATUS_FIELDS = {
  r: 'text',
  st: 'text',
  c: 'text',
  g: 'text',
  d: 'text',
  u: 'text',
  j: 'text',
  q: 'integer',
  le: 'text',
  ac: 'text',
  sv: 'text',
} as const satisfies Record<string, ColumnType>;

/** A snapshot as the values of `STATUS_COLUMNS` (short names: a batch of them travels as JSON). */
export const statusRecord = ({ robotId, status, lastSeq }: RobotStatusEntry) => ({
  r: robotId,
  st: status.state,
  c: status.custodianId,
  g: status.site?.region ?? null,
  d: status.productionDate,
  u: certifiedUntil(status),
  j: JSON.stringify({ ...status, components: undefined }),
  q: lastSeq,
  le: status.lastEventTime,
  ac: status.activatedAt ?? null,
  sv: status.lastServicedAt ?? null,
});

/** An event's fields in `insertEvents`' batch of JSON records (short names: a batch may hold 40,000 events). */
const EVENT_FIELDS = {
  n: 'integer',
  r: 'text',
  i: 'text',
  t: 'text',
  et: 'text',
  rt: 'text',
  o: 'text',
  k: 'text',
  p: 'text',
  h: 'bytes',
  l: 'boolean',
  s: 'bytes',
  pv: 'integer',
} as const satisfies Record<string, ColumnType>;

export const reads: QueriesOf<EventReader> = {
  async findEvent(db, robotId, eventId) {
    const row = await db.get<EventRow>('SELECT * FROM events WHERE robot_id = ? AND event_id = ?', [
      robotId,
      eventId,
    ]);
    return row ? toEvent(row) : null;
  },

  listEvents: async (db, robotId) =>
    (await db.all<EventRow>('SELECT * FROM events WHERE robot_id = ? ORDER BY seq', [robotId])).map(toEvent),

  async getRobotStatus(db, robotId) {
    const row = await db.get<{ status: string }>(ROBOT_STATUS, [robotId]);
    if (!row) return null;
    return withComponents(
      row.status,
      (await db.all<ComponentRow>(FITTED_COMPONENTS, [robotId])).map(toComponent),
    );
  },

  /** Two statements for any number of robots: their snapshots, then all their fitted components in order. */
  async getRobotStatuses(db, ids) {
    const found = new Map<string, RobotStatus>();
    if (ids.length === 0) return found;
    const { inList, listValue } = db.dialect;
    const rows = await db.all<{ robot_id: string; status: string }>(
      `SELECT robot_id, status FROM robot_status WHERE ${inList('robot_id')}`,
      [listValue(ids)],
    );
    const parts = await db.all<ComponentRow & { robot_id: string }>(
      `SELECT robot_id, kind, position, manufacturer, part_number, serial, lot FROM robot_components
       WHERE ${inList('robot_id')} AND removed_seq IS NULL ORDER BY robot_id, fitted_seq, ordinal`,
      [listValue(rows.map((r) => r.robot_id))],
    );
    const components = new Map<string, Component[]>();
    for (const part of parts) {
      const list = components.get(part.robot_id);
      if (list) list.push(toComponent(part));
      else components.set(part.robot_id, [toComponent(part)]);
    }
    for (const row of rows)
      found.set(row.robot_id, withComponents(row.status, components.get(row.robot_id) ?? []));
    return found;
  },

  async scanEvents(db, after, limit, filter) {
    const where = ['seq > ?'];
    const params: unknown[] = [after];
    if (filter.types) {
      where.push(db.dialect.inList('type'));
      params.push(db.dialect.listValue(filter.types));
    }
    if (filter.eventIds) {
      where.push(db.dialect.inList('event_id'));
      params.push(db.dialect.listValue(filter.eventIds));
    }
    if (filter.recordedFrom !== undefined) {
      where.push('record_time >= ?');
      params.push(filter.recordedFrom);
    }
    if (filter.recordedBefore !== undefined) {
      where.push('record_time < ?');
      params.push(filter.recordedBefore);
    }
    const rows = await db.all<EventRow>(
      `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
      [...params, limit],
    );
    return rows.map(toEvent);
  },

  async listLateEvents(db, orgId, page) {
    const rows = await db.all<EventRow>(
      `SELECT * FROM events WHERE org_id = ? AND ${db.dialect.isTrue('late')} AND seq > ? ORDER BY seq LIMIT ?`,
      [orgId, page.after, page.limit + 1],
    );
    return pageOf(rows, page.limit, toEvent);
  },

  async findFittedComponent(db, partNumber, serial) {
    const row = await db.get<{ robot_id: string }>(FITTED_COMPONENT, [partNumber, serial]);
    return row?.robot_id ?? null;
  },

  async findFittedComponents(db, parts) {
    if (parts.length === 0) return new Map();
    const rows = await db.all<{ part_number: string; serial: string; robot_id: string }>(
      `SELECT k.part_number, k.serial, k.robot_id
       FROM ${db.dialect.jsonRecords('p', { part_number: 'text', serial: 'text' })}
       JOIN robot_components k ON k.part_number = p.part_number AND k.serial = p.serial AND k.removed_seq IS NULL`,
      [JSON.stringify(parts.map((p) => ({ part_number: p.partNumber, serial: p.serial })))],
    );
    return new Map(
      rows.map((r) => [serialisedPartKey({ partNumber: r.part_number, serial: r.serial }), r.robot_id]),
    );
  },
};

/**
 * recordComponentChanges is each adapter's own: SQLite's fits and removes a part at a time; PostgreSQL's removes a
 * batch's parts in one statement that needs LATERAL, which SQLite lacks (postgres/events.ts).
 */
export const writes: QueriesOf<Omit<EventWriter, 'recordComponentChanges'>> = {
  /**
   * The events in one statement, their leaves appended to the log in the same unit of work. Each gets the seq after
   * the largest so far plus its place in the batch: no sequence, which would leave gaps when a unit of work rolls
   * back (the writers' lock makes max(seq) safe to read).
   */
  async insertEvents(db, events) {
    if (events.length === 0) return [];
    const firstSeq = (await db.get<{ size: number }>(LOG_SIZE))!.size + 1;
    const unknown = robotsWithPriorUnknown(events);
    const prior =
      unknown.length === 0
        ? []
        : await db.all<{ robot_id: string; seq: number }>(priorSeqsQuery(db.dialect), [
            db.dialect.listValue(unknown),
          ]);
    const links = chainLinks(events, firstSeq, new Map(prior.map((r) => [r.robot_id, Number(r.seq)])));
    const logged = events.map((e, i) => ({
      ...e,
      payloadJson: e.payloadJson ?? canonicalJson(e.payload),
      leaf: links[i]!,
    }));
    const rows = await db.all<{ seq: number }>(
      `INSERT INTO events (seq, robot_id, event_id, type, event_time, record_time, org_id, key_id, payload,
         content_hash, late, salt, leaf_version, leaf_prev)
       SELECT (SELECT coalesce(max(seq), 0) FROM events) + e.n, e.r, e.i, e.t, e.et, e.rt, e.o, e.k, e.p, e.h, e.l,
         e.s, 2, e.pv
       FROM ${db.dialect.jsonRecords('e', EVENT_FIELDS)}
       RETURNING seq`,
      [
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
            pv: e.leaf.v === 2 ? e.leaf.prev : null,
          })),
        ),
      ],
    );
    // seq = base + place in the batch, so sorted seqs are in the order given. Consecutive: checked, not assumed.
    const seqs = rows.map((r) => r.seq).sort((a, b) => a - b);
    if (seqs.length !== events.length || seqs[seqs.length - 1]! - seqs[0]! !== seqs.length - 1)
      throw new Error('events were not given consecutive seqs');
    await appendEventLeaves(db, seqs[0]!, logged);
    return seqs;
  },

  /** All the snapshots in one statement (each robot at most once: an upsert cannot touch a row twice). */
  async putRobotStatuses(db, given) {
    const entries = lastPerRobot(given);
    if (entries.length === 0) return;
    // WHERE true: SQLite reads an upsert's ON after a bare FROM as a join's.
    await db.run(
      `INSERT INTO robot_status (${STATUS_COLUMNS})
       SELECT r, st, c, g, d, u, j, q, le, ac, sv FROM ${db.dialect.jsonRecords('e', STATUS_FIELDS)}
       WHERE true ${ON_STATUS_CONFLICT}`,
      [JSON.stringify(entries.map(statusRecord))],
    );
  },

  /** Each robot's software replaced: two statements for the batch. */
  async putSoftware(db, given) {
    const entries = lastPerRobot(given);
    if (entries.length === 0) return;
    const { inList, listValue, jsonRecords } = db.dialect;
    await db.run(`DELETE FROM robot_software WHERE ${inList('robot_id')}`, [
      listValue(entries.map((e) => e.robotId)),
    ]);
    const rows = entries.flatMap((e) =>
      e.software.map((s) => ({ robot_id: e.robotId, target: s.target, version: s.version })),
    );
    if (rows.length === 0) return;
    await db.run(
      `INSERT INTO robot_software (robot_id, target, version)
       SELECT robot_id, target, version FROM ${jsonRecords('s', { robot_id: 'text', target: 'text', version: 'text' })}`,
      [JSON.stringify(rows)],
    );
  },
};

/** A robot named twice in one batch keeps its later entry, as one statement per entry in order would leave it. */
const lastPerRobot = <T extends { robotId: string }>(entries: T[]): T[] =>
  entries.length < 2 ? entries : [...new Map(entries.map((e) => [e.robotId, e])).values()];
