import type pg from 'pg';
import { lockedTransaction } from './connection.js';

/**
 * Versioned schema changes; append only. Version 1 is the schema the SQLite migrations end up with after their
 * version 5, written for PostgreSQL. PostgreSQL databases start fresh, so SQLite's upgrade steps (and the backfill
 * that logged events stored before the log existed) have no counterpart here.
 *
 * Differences from SQLite, all invisible at the store interface:
 * - seq columns are plain BIGINT keys that the adapter sets to max(seq) + 1 inside the serialised write, as SQLite
 *   does for a rowid: a sequence would leave gaps when a unit of work rolls back, and an event's seq is its leaf.
 * - Text that is ordered or compared by range (IDs, timestamps, witness names) is COLLATE "C": byte order, as
 *   SQLite's BINARY, whatever the database's default collation.
 * - JSON (event payloads, specs, status) is TEXT, not jsonb: the payload's exact bytes are committed to in the log.
 * - events.salt is NOT NULL: no event here predates the log.
 */
const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'registry with lifecycle ledger and transparency log',
    sql: `
      CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);

      CREATE TABLE organisations (
        seq BIGINT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        registration_number TEXT NOT NULL,
        enterprise_code TEXT UNIQUE,
        created_at TEXT NOT NULL,
        UNIQUE (jurisdiction, registration_number)
      );

      CREATE TABLE org_roles (
        org_id TEXT NOT NULL REFERENCES organisations(id),
        role TEXT NOT NULL,
        PRIMARY KEY (org_id, role)
      );
      CREATE INDEX org_roles_by_role ON org_roles (role, org_id);

      CREATE TABLE api_keys (
        seq BIGINT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        name TEXT NOT NULL,
        secret_hash BYTEA NOT NULL,
        created_at TEXT NOT NULL,
        created_by_key TEXT,
        revoked_at TEXT,
        last_used_at TEXT
      );
      CREATE INDEX api_keys_by_org ON api_keys (org_id);

      CREATE TABLE models (
        seq BIGINT PRIMARY KEY,
        enterprise_code TEXT NOT NULL,
        code TEXT NOT NULL,
        manufacturer_id TEXT NOT NULL REFERENCES organisations(id),
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        capability_level TEXT NOT NULL,
        specs TEXT NOT NULL,
        next_serial BIGINT NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        UNIQUE (enterprise_code, code)
      );

      CREATE TABLE issuances (
        seq BIGINT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        key_id TEXT,
        request_id TEXT,
        request_hash TEXT NOT NULL,
        enterprise_code TEXT NOT NULL,
        model_code TEXT NOT NULL,
        serial_source TEXT NOT NULL,
        count BIGINT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (org_id, request_id)
      );

      -- One row per issued ID, keyed by the ID itself; the issuance says who issued it and when.
      CREATE TABLE robots (
        id TEXT COLLATE "C" PRIMARY KEY,
        issuance BIGINT NOT NULL REFERENCES issuances(seq)
      );
      CREATE INDEX robots_by_issuance ON robots (issuance);

      CREATE TABLE audit_log (
        seq BIGINT PRIMARY KEY,
        at TEXT NOT NULL,
        org_id TEXT,
        key_id TEXT,
        action TEXT NOT NULL,
        target TEXT,
        outcome TEXT NOT NULL,
        detail TEXT
      );

      -- Accepted events in the order the registry accepted them: seq is their place in that one total order.
      CREATE TABLE events (
        seq BIGINT PRIMARY KEY,
        robot_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        event_time TEXT NOT NULL,
        record_time TEXT NOT NULL,
        org_id TEXT NOT NULL,
        key_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        content_hash BYTEA NOT NULL,
        late BOOLEAN NOT NULL,
        salt BYTEA NOT NULL
      );
      CREATE UNIQUE INDEX events_by_robot ON events (robot_id, event_id);
      -- Late reports are few: a partial index lists each organisation's without touching the rest.
      CREATE INDEX events_late_by_org ON events (org_id, seq) WHERE late;

      CREATE TABLE service_authorisations (
        seq BIGINT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        robot_id TEXT NOT NULL,
        org_id TEXT NOT NULL,
        granted_by TEXT NOT NULL,
        valid_from TEXT COLLATE "C" NOT NULL,
        valid_until TEXT COLLATE "C" NOT NULL,
        revoked_at TEXT
      );
      CREATE INDEX service_authorisations_by_robot ON service_authorisations (robot_id, org_id);

      -- What the state machine derived from each robot's events (a cache of the replay; the events are the truth),
      -- without the fitted components (robot_components holds those), with the searched fields as columns.
      CREATE TABLE robot_status (
        robot_id TEXT COLLATE "C" PRIMARY KEY,
        state TEXT NOT NULL,
        custodian_id TEXT NOT NULL,
        region TEXT,
        production_date TEXT COLLATE "C",
        certified_until TEXT COLLATE "C",
        status TEXT NOT NULL,
        last_seq BIGINT NOT NULL
      );
      CREATE INDEX robot_status_by_state ON robot_status (state);
      CREATE INDEX robot_status_by_custodian ON robot_status (custodian_id);
      CREATE INDEX robot_status_by_region ON robot_status (region);
      CREATE INDEX robot_status_by_production ON robot_status (production_date);

      -- Every component a robot has carried: fitted by the event at fitted_seq (ordinal: its place in that event),
      -- removed at removed_seq (NULL while fitted). Keyed by robot: a robot's parts are read and changed together.
      CREATE TABLE robot_components (
        robot_id TEXT COLLATE "C" NOT NULL,
        fitted_seq BIGINT NOT NULL,
        ordinal INTEGER NOT NULL,
        kind TEXT NOT NULL,
        position TEXT,
        manufacturer TEXT NOT NULL,
        part_number TEXT NOT NULL,
        serial TEXT,
        lot TEXT,
        removed_seq BIGINT,
        PRIMARY KEY (robot_id, fitted_seq, ordinal)
      );
      CREATE INDEX components_by_lot ON robot_components (lot, part_number) WHERE lot IS NOT NULL;
      CREATE INDEX components_by_part ON robot_components (part_number, serial);

      -- Installed firmware and software, current versions only.
      CREATE TABLE robot_software (
        robot_id TEXT COLLATE "C" NOT NULL,
        target TEXT NOT NULL,
        version TEXT NOT NULL,
        PRIMARY KEY (robot_id, target)
      );
      CREATE INDEX software_by_version ON robot_software (target, version);

      -- The tree, in tiles of 16 hashes (src/log/tiles.ts): tile (level, idx) holds tree level 4·level.
      CREATE TABLE log_tiles (
        level INTEGER NOT NULL,
        idx BIGINT NOT NULL,
        hashes BYTEA NOT NULL,
        PRIMARY KEY (level, idx)
      );
      CREATE TABLE log_state (id INTEGER PRIMARY KEY CHECK (id = 1), size BIGINT NOT NULL);
      INSERT INTO log_state (id, size) VALUES (1, 0);
      -- Tree heads the registry signed: one per size, never two.
      CREATE TABLE log_checkpoints (
        size BIGINT PRIMARY KEY,
        root_hash BYTEA NOT NULL,
        note TEXT NOT NULL,
        signed_at TEXT NOT NULL
      );
      CREATE TABLE log_cosignatures (
        size BIGINT NOT NULL REFERENCES log_checkpoints(size),
        witness TEXT COLLATE "C" NOT NULL,
        line TEXT NOT NULL,
        cosigned_at BIGINT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (size, witness)
      );
    `,
  },
  {
    version: 2,
    name: 'persons and their personal data',
    // As SQLite's version 6: a party is an organisation or a person, whose name and contacts are sealed apart.
    sql: `
      ALTER TABLE organisations ADD COLUMN kind TEXT NOT NULL DEFAULT 'organisation';
      CREATE TABLE personal_data (
        party_id TEXT COLLATE "C" PRIMARY KEY REFERENCES organisations(id),
        kek_version INTEGER NOT NULL,
        wrapped_key BYTEA NOT NULL,
        nonce BYTEA NOT NULL,
        ciphertext BYTEA NOT NULL,
        auth_tag BYTEA NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX personal_data_by_kek ON personal_data (kek_version);
      CREATE TABLE personal_data_erasures (
        party_id TEXT PRIMARY KEY REFERENCES organisations(id),
        erased_at TEXT NOT NULL,
        erased_by TEXT,
        legal_basis TEXT NOT NULL,
        request_reference TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'read audit',
    sql: `
      -- Every read of non-public data and every refused attempt (src/app/read-audit.ts). id follows the order the
      -- records were written (max + 1 under the writers' lock, as seqs), their time order up to a process's
      -- buffering window: lists are newest first by id, the indexes serve "by robot / organisation, newest
      -- first" and at bounds a search in time.
      CREATE TABLE read_audit (
        id BIGINT PRIMARY KEY,
        at TEXT COLLATE "C" NOT NULL,
        org_id TEXT,
        key_id TEXT,
        robot_id TEXT COLLATE "C",
        query TEXT,
        classes TEXT NOT NULL,
        purpose TEXT,
        outcome TEXT NOT NULL
      );
      CREATE INDEX read_audit_by_robot ON read_audit (robot_id, id) WHERE robot_id IS NOT NULL;
      CREATE INDEX read_audit_by_org ON read_audit (org_id, id);
      CREATE INDEX read_audit_by_time ON read_audit (at);
    `,
  },
  {
    version: 4,
    name: 'notice outbox',
    sql: `
      -- Notices written in the unit of work of what they announce; ids are max + 1 under the writers' lock, so
      -- they follow commit order and delivery can read after a watermark without missing one.
      CREATE TABLE notices (
        id BIGINT PRIMARY KEY,
        topic TEXT NOT NULL,
        created_at TEXT NOT NULL,
        robot_id TEXT COLLATE "C",
        audience TEXT NOT NULL,
        data TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'webhook subscriptions and deliveries',
    sql: `
      -- Webhook subscriptions: topics is a JSON array; the signing secret is sealed (AES-256-GCM) under the data
      -- directory's webhook key (src/app/notifications/secrets.ts). Removed ones are kept for their deliveries.
      CREATE TABLE subscriptions (
        id TEXT COLLATE "C" PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES organisations (id),
        url TEXT NOT NULL,
        topics TEXT NOT NULL,
        secret_sealed BYTEA NOT NULL,
        created_at TEXT NOT NULL,
        deleted_at TEXT
      );
      CREATE INDEX subscriptions_by_org ON subscriptions (org_id);
      -- How far each consumer of the notice outbox has read ('webhooks': fan-out; 'nats': the stream).
      CREATE TABLE notice_watermarks (
        name TEXT PRIMARY KEY,
        last_id BIGINT NOT NULL
      );
      -- One delivery per (subscription, notice): the unique key is a second guard against a double fan-out.
      CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        seq BIGINT NOT NULL UNIQUE,
        subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
        org_id TEXT NOT NULL,
        notice_id BIGINT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at TEXT COLLATE "C",
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_status INTEGER,
        last_error TEXT,
        UNIQUE (subscription_id, notice_id)
      );
      CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
      CREATE INDEX deliveries_by_org ON deliveries (org_id, state, seq);
      CREATE TABLE delivery_attempts (
        delivery_id TEXT NOT NULL REFERENCES deliveries (id),
        attempt INTEGER NOT NULL,
        at TEXT NOT NULL,
        duration_ms INTEGER NOT NULL,
        status INTEGER,
        error TEXT,
        PRIMARY KEY (delivery_id, attempt)
      );
    `,
  },
  {
    version: 6,
    name: 'compliance findings',
    sql: `
      -- What the compliance checker filters robots by (src/store/postgres/compliance.ts), copied with each snapshot
      -- from the status as reported, offset and all: the checker casts them to timestamptz, so that a capture pays
      -- no date parsing. Not indexed: the checker reads robot_status whole once a run, and an index would cost
      -- every capture a B-tree write.
      ALTER TABLE robot_status ADD COLUMN last_event_at TEXT COLLATE "C";
      ALTER TABLE robot_status ADD COLUMN activated_at TEXT COLLATE "C";
      ALTER TABLE robot_status ADD COLUMN last_serviced_at TEXT COLLATE "C";
      -- One pass over the events and one over the snapshots: per-robot subqueries took 83 s for 10,000 robots.
      WITH activated AS (
        SELECT DISTINCT ON (robot_id) robot_id, event_time FROM events
        WHERE type = 'activated' ORDER BY robot_id, seq
      ), serviced AS (
        SELECT DISTINCT ON (robot_id) robot_id, event_time FROM events
        WHERE type = 'serviced' AND payload::jsonb ->> 'kind' IN ('inspection', 'maintenance')
        ORDER BY robot_id, seq DESC
      )
      UPDATE robot_status r SET
        activated_at = a.event_time,
        last_serviced_at = s.event_time,
        last_event_at = r.status::jsonb ->> 'lastEventTime',
        status = CASE WHEN a.event_time IS NULL AND s.event_time IS NULL THEN r.status
          ELSE (r.status::jsonb || jsonb_strip_nulls(jsonb_build_object(
            'activatedAt', a.event_time, 'lastServicedAt', s.event_time)))::text END
      FROM robot_status o
        LEFT JOIN activated a ON a.robot_id = o.robot_id
        LEFT JOIN serviced s ON s.robot_id = o.robot_id
      WHERE o.robot_id = r.robot_id;

      -- Findings of the compliance rules (docs/compliance.md): open while resolved_at is NULL, at most one open per
      -- rule, organisation and key. Ids are max + 1 under the writers' lock, as elsewhere.
      CREATE TABLE compliance_findings (
        id BIGINT PRIMARY KEY,
        rule TEXT NOT NULL,
        org_id TEXT NOT NULL,
        robot_id TEXT COLLATE "C",
        key TEXT COLLATE "C" NOT NULL,
        detail TEXT NOT NULL,
        first_seen TEXT COLLATE "C" NOT NULL,
        last_seen TEXT COLLATE "C" NOT NULL,
        resolved_at TEXT COLLATE "C"
      );
      CREATE UNIQUE INDEX compliance_findings_open ON compliance_findings (rule, org_id, key)
        WHERE resolved_at IS NULL;
      CREATE INDEX compliance_findings_by_org ON compliance_findings (org_id, rule, id);
      -- Each run: an open finding was seen by the latest run (else it would be resolved), so its last_seen is
      -- read from here rather than rewritten on every finding each run.
      CREATE TABLE compliance_runs (
        at TEXT COLLATE "C" PRIMARY KEY,
        opened BIGINT NOT NULL,
        kept BIGINT NOT NULL,
        resolved BIGINT NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'incidents',
    // As SQLite's version 11.
    sql: `
      -- Incidents derived from accepted incident_reported events in the capture's unit of work
      -- (src/app/incidents/record.ts); id is the reporting event's seq. A correction of the report withdraws the
      -- incident (withdrawn_seq: the correction's seq). Trends group these tables (docs/incidents.md), so each
      -- dimension has an index: model, month, manufacturer, event time; parts by number and lot; software by
      -- target and version.
      CREATE TABLE incidents (
        id BIGINT PRIMARY KEY,
        robot_id TEXT COLLATE "C" NOT NULL,
        event_id TEXT NOT NULL,
        model TEXT COLLATE "C" NOT NULL,
        manufacturer_id TEXT NOT NULL,
        category TEXT NOT NULL,
        severity TEXT NOT NULL,
        injuries INTEGER,
        region TEXT,
        event_time TEXT COLLATE "C" NOT NULL,
        month TEXT COLLATE "C" NOT NULL,
        record_time TEXT NOT NULL,
        reported_by TEXT NOT NULL,
        source TEXT NOT NULL,
        operator_id TEXT,
        description TEXT,
        attachments TEXT NOT NULL,
        state TEXT NOT NULL,
        root_cause TEXT,
        withdrawn_seq BIGINT,
        withdrawn_at TEXT
      );
      CREATE UNIQUE INDEX incidents_by_event ON incidents (robot_id, event_id);
      CREATE INDEX incidents_by_manufacturer ON incidents (manufacturer_id, month);
      CREATE INDEX incidents_by_model ON incidents (model, month);
      CREATE INDEX incidents_by_month ON incidents (month);
      CREATE INDEX incidents_by_time ON incidents (event_time);
      CREATE INDEX incidents_by_state ON incidents (state);
      CREATE TABLE incident_parts (
        incident_id BIGINT NOT NULL REFERENCES incidents(id),
        ordinal INTEGER NOT NULL,
        involved INTEGER NOT NULL,
        kind TEXT,
        part_number TEXT COLLATE "C" NOT NULL,
        serial TEXT,
        lot TEXT COLLATE "C",
        -- 1 on the first row of its part number (of its lot) among the incident's parts named, or fitted: what
        -- trends count, so that a robot with two knees of one lot counts once without a DISTINCT over all rows.
        counts_part INTEGER NOT NULL,
        counts_lot INTEGER NOT NULL,
        PRIMARY KEY (incident_id, ordinal)
      );
      CREATE INDEX incident_parts_by_part ON incident_parts (part_number, lot, incident_id);
      CREATE INDEX incident_parts_part_trend ON incident_parts (involved, counts_part, part_number, incident_id);
      CREATE INDEX incident_parts_lot_trend ON incident_parts (involved, counts_lot, part_number, lot, incident_id);
      CREATE INDEX incident_parts_by_lot ON incident_parts (lot, incident_id) WHERE lot IS NOT NULL;
      CREATE TABLE incident_software (
        incident_id BIGINT NOT NULL REFERENCES incidents(id),
        target TEXT COLLATE "C" NOT NULL,
        version TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (incident_id, target)
      );
      CREATE INDEX incident_software_by_version ON incident_software (target, version, incident_id);
      CREATE TABLE incident_triage (
        incident_id BIGINT NOT NULL REFERENCES incidents(id),
        ordinal INTEGER NOT NULL,
        at TEXT NOT NULL,
        org_id TEXT NOT NULL,
        key_id TEXT,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        note TEXT,
        root_cause TEXT,
        PRIMARY KEY (incident_id, ordinal)
      );
    `,
  },
  {
    version: 8,
    name: 'recall campaigns',
    sql: `
      -- Recall campaigns (src/domain/safety/recalls.ts): text and criteria as one JSON document; the robots keyed by
      -- campaign, with indexes by robot (a robot's campaigns) and by state (progress counts).
      CREATE TABLE recalls (
        seq BIGINT PRIMARY KEY,
        number TEXT NOT NULL UNIQUE,
        manufacturer_id TEXT,
        scope TEXT,
        opened_by TEXT NOT NULL,
        opened_by_key TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        draft TEXT NOT NULL,
        status TEXT NOT NULL,
        closed_at TEXT,
        affected_set TEXT NOT NULL,
        computed_at TEXT
      );
      CREATE INDEX recalls_by_status ON recalls (status);
      CREATE TABLE recall_robots (
        recall TEXT COLLATE "C" NOT NULL,
        robot_id TEXT COLLATE "C" NOT NULL,
        custodian_id TEXT NOT NULL,
        state TEXT NOT NULL,
        matched_at TEXT COLLATE "C" NOT NULL,
        changed_at TEXT COLLATE "C" NOT NULL,
        remedy_seq BIGINT,
        suspension_seq BIGINT,
        stop_use TEXT,
        note TEXT,
        PRIMARY KEY (recall, robot_id)
      );
      CREATE INDEX recall_robots_by_robot ON recall_robots (robot_id);
      CREATE INDEX recall_robots_by_state ON recall_robots (recall, state);
    `,
  },
  {
    version: 9,
    name: 'incident parts fitted by reference',
    // As SQLite's version 13, and the incidents' robot index with the id.
    sql: `
      -- The parts fitted when an incident happened are read from robot_components by seq (fitted before the report,
      -- not removed by then), no longer copied with each incident: incident_parts keeps the parts the report named
      -- (involved = 1). The trend indexes served the fitted copies (several rows an incident); the named parts,
      -- about one row per incident, are grouped without them. Dropped first, so that the delete does not update them.
      DROP INDEX incident_parts_part_trend;
      DROP INDEX incident_parts_lot_trend;
      DELETE FROM incident_parts WHERE involved = 0;
      -- Lists filtered by a part or lot join the robots carrying it to their incidents by robot_id: with the id in
      -- the index (as SQLite's index entries carry the rowid), that join reads no incident rows. Same key, so no
      -- more B-trees to write.
      CREATE UNIQUE INDEX incidents_by_event_with_id ON incidents (robot_id, event_id) INCLUDE (id);
      DROP INDEX incidents_by_event;
      ALTER INDEX incidents_by_event_with_id RENAME TO incidents_by_event;
    `,
  },
  {
    version: 10,
    name: 'complete histories',
    sql: `
      -- Each event's leaf version, and for version 2 the leaf index of the robot's previous event (NULL: its
      -- first). Events logged before this version keep their version 1 leaves.
      ALTER TABLE events ADD COLUMN leaf_version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE events ADD COLUMN leaf_prev BIGINT;
      -- The robots' heads map of the latest checkpoint (src/log/heads-map.ts): its nodes by path ('0'/'1' from the
      -- root); a node of one robot holds that robot's key, leaf count and latest leaf index.
      CREATE TABLE log_heads (
        path TEXT COLLATE "C" PRIMARY KEY,
        hash BYTEA NOT NULL,
        robot_key BYTEA,
        leaf_count BIGINT,
        head BIGINT
      );
    `,
  },
  {
    version: 11,
    name: 'people',
    sql: `
      -- People of organisations (src/store/people): users with a scrypt password hash (its parameters with it) and
      -- a TOTP secret sealed as personal data is; invitations and sessions by the SHA-256 of their tokens only;
      -- failed sign-ins per account and per address, and their locks.
      CREATE TABLE users (
        seq BIGINT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        totp_kek_version INTEGER NOT NULL,
        totp_wrapped_key BYTEA NOT NULL,
        totp_nonce BYTEA NOT NULL,
        totp_ciphertext BYTEA NOT NULL,
        totp_auth_tag BYTEA NOT NULL,
        totp_last_step BIGINT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX users_by_org ON users (org_id);
      CREATE INDEX users_by_kek ON users (totp_kek_version);
      CREATE TABLE invitations (
        seq BIGINT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        email TEXT NOT NULL,
        role TEXT NOT NULL,
        token_hash BYTEA NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        expires_at TEXT COLLATE "C" NOT NULL,
        created_by TEXT,
        accepted_at TEXT
      );
      CREATE INDEX invitations_by_org ON invitations (org_id);
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        token_hash BYTEA NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX sessions_by_user ON sessions (user_id);
      CREATE TABLE sign_in_throttle (
        subject TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        window_started_at TEXT NOT NULL,
        locks INTEGER NOT NULL,
        locked_until TEXT
      );
    `,
  },
  {
    version: 12,
    name: 'passkeys',
    sql: `
      -- People's passkeys (WebAuthn credentials: id base64url, COSE public key, signature counter) and the
      -- challenges given out for them, each good once for five minutes.
      CREATE TABLE passkeys (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        name TEXT NOT NULL,
        public_key BYTEA NOT NULL,
        counter BIGINT NOT NULL,
        transports TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_used_at TEXT
      );
      CREATE INDEX passkeys_by_user ON passkeys (user_id);
      CREATE TABLE webauthn_challenges (
        id TEXT PRIMARY KEY,
        purpose TEXT NOT NULL,
        session_id TEXT,
        challenge TEXT NOT NULL,
        expires_at TEXT COLLATE "C" NOT NULL
      );
    `,
  },
  {
    version: 13,
    name: 'totp-enrolments',
    sql: `
      -- A new TOTP secret shown to a signed-in person and not yet confirmed by a code from it (one per session,
      -- ten minutes), sealed as the users' own are.
      CREATE TABLE totp_enrolments (
        session_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        kek_version INTEGER NOT NULL,
        wrapped_key BYTEA NOT NULL,
        nonce BYTEA NOT NULL,
        ciphertext BYTEA NOT NULL,
        auth_tag BYTEA NOT NULL,
        expires_at TEXT COLLATE "C" NOT NULL
      );
    `,
  },
  {
    version: 14,
    name: 'robot-gs1-keys',
    sql: `
      -- A robot's GS1 key (canonical Digital Link of its SGTIN), registered by its manufacturer: one key per
      -- robot, one robot per key, so that EPCIS documents naming robots by GS1 key resolve to one robot.
      CREATE TABLE robot_gs1_keys (
        robot_id TEXT PRIMARY KEY,
        gs1_key TEXT NOT NULL UNIQUE,
        registered_by TEXT NOT NULL,
        registered_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 15,
    name: 'epcis-capture-jobs',
    sql: `
      -- EPCIS capture jobs (POST /epcis/capture): the document is kept until its events are taken, so that a job
      -- accepted is never lost when the process stops; the result replaces it.
      CREATE TABLE epcis_capture_jobs (
        id TEXT PRIMARY KEY,
        seq BIGINT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        key_id TEXT NOT NULL,
        mode TEXT NOT NULL,
        state TEXT NOT NULL,
        event_count INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        document TEXT,
        result TEXT
      );
      CREATE INDEX epcis_capture_jobs_by_org ON epcis_capture_jobs (org_id, seq);
      CREATE INDEX epcis_capture_jobs_by_state ON epcis_capture_jobs (state, seq);
    `,
  },
  {
    version: 16,
    name: 'epcis-queries',
    sql: `
      -- EPCIS named queries (POST /epcis/queries), one name per organisation; params: the query parameters as
      -- given (JSON).
      CREATE TABLE epcis_queries (
        org_id TEXT NOT NULL REFERENCES organisations(id),
        name TEXT NOT NULL,
        params TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        PRIMARY KEY (org_id, name)
      );
      -- Streaming subscriptions to them: each is also a webhook subscription (same id, no notice topics) whose
      -- URL, sealed secret, deliveries and attempts are the webhooks' own.
      CREATE TABLE epcis_subscriptions (
        id TEXT PRIMARY KEY REFERENCES subscriptions(id),
        org_id TEXT NOT NULL,
        query_name TEXT NOT NULL,
        key_id TEXT NOT NULL,
        purpose TEXT,
        initial_record_time TEXT NOT NULL,
        created_at TEXT NOT NULL,
        deleted_at TEXT
      );
      CREATE INDEX epcis_subscriptions_by_query ON epcis_subscriptions (org_id, query_name);
      -- What the fan-out matched: one stored event's EPCIS events for one subscription, the delivery's body (the
      -- delivery's notice_id is event_seq).
      CREATE TABLE epcis_results (
        subscription_id TEXT NOT NULL REFERENCES epcis_subscriptions(id),
        event_seq BIGINT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (subscription_id, event_seq)
      );
    `,
  },
];

/** Name of the advisory lock under which migrations are applied (keyed with the schema, see schemaLockKey). */
const MIGRATION_LOCK = 'robotid-migrations';

/**
 * Applies the migrations not yet applied, all in one transaction (PostgreSQL's DDL is transactional) under an
 * advisory lock: two processes starting at once (say `admin init` beside `serve`) take turns, and the second finds
 * the work done. `schema`, when given, is created first (the pool's search_path names it). `upTo`: all by
 * default; tests stop earlier to test upgrades.
 */
export function migrate(pool: pg.Pool, schema?: string, upTo = Infinity): Promise<void> {
  return lockedTransaction(pool, MIGRATION_LOCK, async (c) => {
    if (schema) await c.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await c.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const applied = await c.rows<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(applied.map((r) => r.version));
    for (const migration of MIGRATIONS.filter((m) => !done.has(m.version) && m.version <= upTo)) {
      await c.exec(migration.sql);
      await c.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
  });
}
