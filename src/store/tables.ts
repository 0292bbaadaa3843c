/**
 * The registry's tables as plain rows, for copying a registry between stores (`robotid migrate-store`). Both
 * adapters' migrations end with these tables and columns; only their types differ (SQLite has no BOOLEAN and
 * calls BYTEA a BLOB), so a row here holds dialect-free values and each adapter converts on the way in and out.
 * schema_migrations is not listed: each store records its own migrations.
 */

/** text: string; integer: a JS number (seqs and sizes stay far below 2^53); boolean; bytes: a Buffer. */
export type ColumnKind = 'text' | 'integer' | 'boolean' | 'bytes';

export type RawValue = string | number | boolean | Buffer | null;

/** One row's values in the order of its table's `columns`. */
export type RawRow = RawValue[];

export interface TableSpec {
  name: string;
  columns: readonly { name: string; kind: ColumnKind }[];
  /** The primary key, in order: rows are read in pages ordered by it (keyset pagination). */
  key: readonly string[];
  /** The migrations create this table's rows (log_state's one row): a copy overwrites them. */
  seededByMigrations?: boolean;
}

const t = (name: string) => ({ name, kind: 'text' as const });
const i = (name: string) => ({ name, kind: 'integer' as const });
const b = (name: string) => ({ name, kind: 'bytes' as const });

/** Every table, parents before the tables whose foreign keys point at them. */
export const TABLES: readonly TableSpec[] = [
  { name: 'counters', columns: [t('name'), i('value')], key: ['name'] },
  {
    name: 'organisations',
    columns: [
      i('seq'),
      t('id'),
      t('kind'),
      t('name'),
      t('jurisdiction'),
      t('registration_number'),
      t('enterprise_code'),
      t('created_at'),
    ],
    key: ['seq'],
  },
  { name: 'org_roles', columns: [t('org_id'), t('role')], key: ['org_id', 'role'] },
  {
    name: 'api_keys',
    columns: [
      i('seq'),
      t('id'),
      t('org_id'),
      t('name'),
      b('secret_hash'),
      t('created_at'),
      t('created_by_key'),
      t('revoked_at'),
      t('last_used_at'),
    ],
    key: ['seq'],
  },
  {
    name: 'models',
    columns: [
      i('seq'),
      t('enterprise_code'),
      t('code'),
      t('manufacturer_id'),
      t('name'),
      t('category'),
      t('capability_level'),
      t('specs'),
      i('next_serial'),
      t('created_at'),
    ],
    key: ['seq'],
  },
  {
    name: 'issuances',
    columns: [
      i('seq'),
      t('id'),
      t('org_id'),
      t('key_id'),
      t('request_id'),
      t('request_hash'),
      t('enterprise_code'),
      t('model_code'),
      t('serial_source'),
      i('count'),
      t('created_at'),
    ],
    key: ['seq'],
  },
  { name: 'robots', columns: [t('id'), i('issuance')], key: ['id'] },
  {
    name: 'audit_log',
    columns: [
      i('seq'),
      t('at'),
      t('org_id'),
      t('key_id'),
      t('action'),
      t('target'),
      t('outcome'),
      t('detail'),
    ],
    key: ['seq'],
  },
  {
    name: 'read_audit',
    columns: [
      i('id'),
      t('at'),
      t('org_id'),
      t('key_id'),
      t('robot_id'),
      t('query'),
      t('classes'),
      t('purpose'),
      t('outcome'),
    ],
    key: ['id'],
  },
  {
    name: 'epcis_capture_jobs',
    columns: [
      t('id'),
      i('seq'),
      t('org_id'),
      t('key_id'),
      t('mode'),
      t('state'),
      i('event_count'),
      t('created_at'),
      t('started_at'),
      t('finished_at'),
      t('document'),
      t('result'),
    ],
    key: ['seq'],
  },
  {
    name: 'notices',
    columns: [i('id'), t('topic'), t('created_at'), t('robot_id'), t('audience'), t('data')],
    key: ['id'],
  },
  {
    name: 'notice_watermarks',
    columns: [t('name'), i('last_id')],
    key: ['name'],
  },
  {
    name: 'subscriptions',
    columns: [
      t('id'),
      t('org_id'),
      t('url'),
      t('topics'),
      b('secret_sealed'),
      t('created_at'),
      t('deleted_at'),
    ],
    key: ['id'],
  },
  {
    name: 'deliveries',
    columns: [
      t('id'),
      i('seq'),
      t('subscription_id'),
      t('org_id'),
      i('notice_id'),
      t('state'),
      i('attempts'),
      t('next_attempt_at'),
      t('created_at'),
      t('updated_at'),
      i('last_status'),
      t('last_error'),
    ],
    key: ['id'],
  },
  {
    name: 'epcis_queries',
    columns: [t('org_id'), t('name'), t('params'), t('created_at'), t('created_by')],
    key: ['org_id', 'name'],
  },
  {
    name: 'epcis_subscriptions',
    columns: [
      t('id'),
      t('org_id'),
      t('query_name'),
      t('key_id'),
      t('purpose'),
      t('initial_record_time'),
      t('created_at'),
      t('deleted_at'),
    ],
    key: ['id'],
  },
  {
    name: 'epcis_results',
    columns: [t('subscription_id'), i('event_seq'), t('body'), t('created_at')],
    key: ['subscription_id', 'event_seq'],
  },
  {
    name: 'delivery_attempts',
    columns: [t('delivery_id'), i('attempt'), t('at'), i('duration_ms'), i('status'), t('error')],
    key: ['delivery_id', 'attempt'],
  },
  {
    name: 'events',
    columns: [
      i('seq'),
      t('robot_id'),
      t('event_id'),
      t('type'),
      t('event_time'),
      t('record_time'),
      t('org_id'),
      t('key_id'),
      t('payload'),
      b('content_hash'),
      { name: 'late', kind: 'boolean' },
      b('salt'),
      i('leaf_version'),
      i('leaf_prev'),
    ],
    key: ['seq'],
  },
  {
    name: 'incidents',
    columns: [
      i('id'),
      t('robot_id'),
      t('event_id'),
      t('model'),
      t('manufacturer_id'),
      t('category'),
      t('severity'),
      i('injuries'),
      t('region'),
      t('event_time'),
      t('month'),
      t('record_time'),
      t('reported_by'),
      t('source'),
      t('operator_id'),
      t('description'),
      t('attachments'),
      t('state'),
      t('root_cause'),
      i('withdrawn_seq'),
      t('withdrawn_at'),
    ],
    key: ['id'],
  },
  {
    name: 'incident_parts',
    columns: [
      i('incident_id'),
      i('ordinal'),
      i('involved'),
      t('kind'),
      t('part_number'),
      t('serial'),
      t('lot'),
      i('counts_part'),
      i('counts_lot'),
    ],
    key: ['incident_id', 'ordinal'],
  },
  {
    name: 'incident_software',
    columns: [i('incident_id'), t('target'), t('version')],
    key: ['incident_id', 'target'],
  },
  {
    name: 'incident_triage',
    columns: [
      i('incident_id'),
      i('ordinal'),
      t('at'),
      t('org_id'),
      t('key_id'),
      t('from_state'),
      t('to_state'),
      t('note'),
      t('root_cause'),
    ],
    key: ['incident_id', 'ordinal'],
  },
  {
    name: 'service_authorisations',
    columns: [
      i('seq'),
      t('id'),
      t('robot_id'),
      t('org_id'),
      t('granted_by'),
      t('valid_from'),
      t('valid_until'),
      t('revoked_at'),
    ],
    key: ['seq'],
  },
  {
    name: 'robot_gs1_keys',
    columns: [t('robot_id'), t('gs1_key'), t('registered_by'), t('registered_at')],
    key: ['robot_id'],
  },
  {
    name: 'robot_status',
    columns: [
      t('robot_id'),
      t('state'),
      t('custodian_id'),
      t('region'),
      t('production_date'),
      t('certified_until'),
      t('status'),
      i('last_seq'),
      t('last_event_at'),
      t('activated_at'),
      t('last_serviced_at'),
    ],
    key: ['robot_id'],
  },
  {
    name: 'compliance_findings',
    columns: [
      i('id'),
      t('rule'),
      t('org_id'),
      t('robot_id'),
      t('key'),
      t('detail'),
      t('first_seen'),
      t('last_seen'),
      t('resolved_at'),
    ],
    key: ['id'],
  },
  {
    name: 'compliance_runs',
    columns: [t('at'), i('opened'), i('kept'), i('resolved')],
    key: ['at'],
  },
  {
    name: 'robot_components',
    columns: [
      t('robot_id'),
      i('fitted_seq'),
      i('ordinal'),
      t('kind'),
      t('position'),
      t('manufacturer'),
      t('part_number'),
      t('serial'),
      t('lot'),
      i('removed_seq'),
    ],
    key: ['robot_id', 'fitted_seq', 'ordinal'],
  },
  {
    name: 'robot_software',
    columns: [t('robot_id'), t('target'), t('version')],
    key: ['robot_id', 'target'],
  },
  {
    name: 'personal_data',
    columns: [
      t('party_id'),
      i('kek_version'),
      b('wrapped_key'),
      b('nonce'),
      b('ciphertext'),
      b('auth_tag'),
      t('created_at'),
      t('updated_at'),
    ],
    key: ['party_id'],
  },
  {
    name: 'personal_data_erasures',
    columns: [t('party_id'), t('erased_at'), t('erased_by'), t('legal_basis'), t('request_reference')],
    key: ['party_id'],
  },
  {
    name: 'recalls',
    columns: [
      i('seq'),
      t('number'),
      t('manufacturer_id'),
      t('scope'),
      t('opened_by'),
      t('opened_by_key'),
      t('opened_at'),
      t('draft'),
      t('status'),
      t('closed_at'),
      t('affected_set'),
      t('computed_at'),
    ],
    key: ['seq'],
  },
  {
    name: 'recall_robots',
    columns: [
      t('recall'),
      t('robot_id'),
      t('custodian_id'),
      t('state'),
      t('matched_at'),
      t('changed_at'),
      i('remedy_seq'),
      i('suspension_seq'),
      t('stop_use'),
      t('note'),
    ],
    key: ['recall', 'robot_id'],
  },
  { name: 'log_tiles', columns: [i('level'), i('idx'), b('hashes')], key: ['level', 'idx'] },
  { name: 'log_state', columns: [i('id'), i('size')], key: ['id'], seededByMigrations: true },
  {
    name: 'log_checkpoints',
    columns: [i('size'), b('root_hash'), t('note'), t('signed_at')],
    key: ['size'],
  },
  {
    name: 'log_heads',
    columns: [t('path'), b('hash'), b('robot_key'), i('leaf_count'), i('head')],
    key: ['path'],
  },
  {
    name: 'log_cosignatures',
    columns: [i('size'), t('witness'), t('line'), i('cosigned_at'), t('received_at')],
    key: ['size', 'witness'],
  },
  {
    name: 'users',
    columns: [
      i('seq'),
      t('id'),
      t('org_id'),
      t('email'),
      t('name'),
      t('role'),
      t('password_hash'),
      i('totp_kek_version'),
      b('totp_wrapped_key'),
      b('totp_nonce'),
      b('totp_ciphertext'),
      b('totp_auth_tag'),
      i('totp_last_step'),
      t('created_at'),
    ],
    key: ['seq'],
  },
  {
    name: 'invitations',
    columns: [
      i('seq'),
      t('id'),
      t('org_id'),
      t('email'),
      t('role'),
      b('token_hash'),
      t('created_at'),
      t('expires_at'),
      t('created_by'),
      t('accepted_at'),
    ],
    key: ['seq'],
  },
  {
    name: 'sessions',
    columns: [t('id'), b('token_hash'), t('user_id'), t('created_at'), t('last_seen_at'), t('expires_at')],
    key: ['id'],
  },
  {
    name: 'sign_in_throttle',
    columns: [t('subject'), i('failures'), t('window_started_at'), i('locks'), t('locked_until')],
    key: ['subject'],
  },
  {
    name: 'passkeys',
    columns: [
      t('id'),
      t('user_id'),
      t('name'),
      b('public_key'),
      i('counter'),
      t('transports'),
      t('created_at'),
      t('last_used_at'),
    ],
    key: ['id'],
  },
  {
    name: 'webauthn_challenges',
    columns: [t('id'), t('purpose'), t('session_id'), t('challenge'), t('expires_at')],
    key: ['id'],
  },
  {
    name: 'totp_enrolments',
    columns: [
      t('session_id'),
      t('user_id'),
      i('kek_version'),
      b('wrapped_key'),
      b('nonce'),
      b('ciphertext'),
      b('auth_tag'),
      t('expires_at'),
    ],
    key: ['session_id'],
  },
];

/** Reads of one consistent snapshot of a store's tables. */
export interface RawReader {
  /** The latest migration applied (each dialect numbers its own). */
  schemaVersion(): Promise<number>;
  count(table: TableSpec): Promise<number>;
  /** Up to `limit` rows with a key after `after`'s (from the start when null), in key order. */
  rows(table: TableSpec, after: RawRow | null, limit: number): Promise<RawRow[]>;
}

export interface RawLoader extends RawReader {
  /** Inserts the rows; for a table seeded by the migrations, a row with an existing key replaces it. */
  insert(table: TableSpec, rows: readonly RawRow[]): Promise<void>;
}

/**
 * Whole-table access beside the `Store` interface, for maintenance (copying a registry between stores). Both
 * adapters implement it; the use cases never need it.
 */
export interface RawTables {
  /** Runs `work` on one snapshot: a registry that keeps writing meanwhile does not tear the copy. */
  snapshot<T>(work: (reader: RawReader) => Promise<T>): Promise<T>;
  /** Runs `work` in one transaction under the writers' lock: every row lands, or none. */
  load<T>(work: (loader: RawLoader) => Promise<T>): Promise<T>;
}

/** The key columns' values of a row (where the next page starts). */
export const keyOf = (table: TableSpec, row: RawRow): RawRow =>
  table.key.map((k) => row[table.columns.findIndex((c) => c.name === k)] ?? null);
