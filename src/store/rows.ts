/**
 * Rows as every adapter's SQL returns them (same column names in each dialect) and their mapping to the records of
 * store.ts: one place, so that the adapters differ only in their SQL.
 */
import type { StoredEvent } from './store.js';
import type { Component } from '../domain/lifecycle/events.js';
import { conflict } from '../domain/errors.js';
import type { RobotModel } from '../domain/model/model.js';
import type { CheckpointRecord, CosignatureRecord, Page, RobotFilter, RobotSummary } from './store.js';

export interface ModelRow {
  seq: number;
  enterprise_code: string;
  code: string;
  manufacturer_id: string;
  name: string;
  category: RobotModel['category'];
  capability_level: RobotModel['capabilityLevel'];
  specs: string;
  created_at: string;
}

export const toModel = (row: ModelRow): RobotModel => ({
  enterpriseCode: row.enterprise_code,
  code: row.code,
  manufacturerId: row.manufacturer_id,
  name: row.name,
  category: row.category,
  capabilityLevel: row.capability_level,
  specs: JSON.parse(row.specs) as RobotModel['specs'],
  createdAt: row.created_at,
});

export interface CheckpointRow {
  size: number;
  root_hash: Buffer;
  note: string;
  signed_at: string;
}

export const toCheckpoint = (r: CheckpointRow): CheckpointRecord => ({
  size: r.size,
  rootHash: r.root_hash,
  note: r.note,
  signedAt: r.signed_at,
});

export interface CosignatureRow {
  size: number;
  witness: string;
  line: string;
  cosigned_at: number;
  received_at: string;
}

export const toCosignature = (r: CosignatureRow): CosignatureRecord => ({
  size: r.size,
  witness: r.witness,
  line: r.line,
  cosignedAt: r.cosigned_at,
  receivedAt: r.received_at,
});

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
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  late: number | boolean;
  salt: Buffer;
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
  late: row.late === 1 || row.late === true,
  salt: row.salt,
});

/** A second checkpoint for a tree size: the registry signs one tree head per size, so this is refused. */
export const checkpointExists = (size: number) =>
  conflict('checkpoint-exists', `a checkpoint of tree size ${size} is signed already`);

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

/** A robot search's row: `SELECT DISTINCT … robot_id, state, region, production_date, certified_until`. */
export interface SummaryRow {
  robot_id: string;
  state: string;
  region: string | null;
  production_date: string | null;
  certified_until: string | null;
}

/** A search's page from `limit + 1` rows: the next page starts after the last robot ID shown. */
export function toSummaryPage(rows: SummaryRow[], limit: number): Page<RobotSummary, string> {
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map((r) => ({
    id: r.robot_id,
    state: r.state,
    region: r.region,
    productionDate: r.production_date,
    certifiedUntil: r.certified_until,
  }));
  return { items, next: more ? items[items.length - 1]!.id : null };
}

/** Filters that only a robot's status snapshot can meet: a robot with no events yet (state issued) meets none. */
export const needsStatus = (f: RobotFilter) =>
  f.component !== undefined ||
  f.software !== undefined ||
  (f.state !== undefined && f.state !== 'issued') ||
  f.region !== undefined ||
  f.custodianId !== undefined ||
  f.scopeCustodianId !== undefined ||
  f.producedFrom !== undefined ||
  f.producedTo !== undefined;

// Records as the values of their INSERTs, in column order: both adapters write the same columns (PostgreSQL adds
// the seq itself in SQL).

/** Columns: enterprise_code, code, manufacturer_id, name, category, capability_level, specs, created_at. */
export const modelValues = (m: RobotModel) => [
  m.enterpriseCode,
  m.code,
  m.manufacturerId,
  m.name,
  m.category,
  m.capabilityLevel,
  JSON.stringify(m.specs),
  m.createdAt,
];
