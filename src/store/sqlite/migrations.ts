import type { Connection } from './connection.js';
import { logEventsStoredBeforeTheLog } from './events.js';

/**
 * A party is an organisation or a person (pseudonymous); a person's name and contacts are sealed in personal_data
 * (src/app/personal-data/envelope.ts), and an erasure deletes that row and keeps only the fact of it.
 */
const PERSONAL_DATA_SQL = `
  ALTER TABLE organisations ADD COLUMN kind TEXT NOT NULL DEFAULT 'organisation';
  CREATE TABLE personal_data (
    party_id TEXT PRIMARY KEY REFERENCES organisations(id),
    kek_version INTEGER NOT NULL,
    wrapped_key BLOB NOT NULL,
    nonce BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    auth_tag BLOB NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  -- Key rotation finds the data keys still wrapped under an older key-encryption key.
  CREATE INDEX personal_data_by_kek ON personal_data (kek_version);
  CREATE TABLE personal_data_erasures (
    party_id TEXT PRIMARY KEY REFERENCES organisations(id),
    erased_at TEXT NOT NULL,
    erased_by TEXT,
    legal_basis TEXT NOT NULL,
    request_reference TEXT NOT NULL
  ) STRICT;
`;

/**
 * Recall campaigns (src/domain/safety/recalls.ts): the campaign's text and criteria as one JSON document; its
 * robots keyed by campaign, with an index by robot (a robot's campaigns) and by state (progress counts).
 */
const RECALLS_SQL = `
  CREATE TABLE recalls (
    seq INTEGER PRIMARY KEY,
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
  ) STRICT;
  CREATE INDEX recalls_by_status ON recalls (status);
  CREATE TABLE recall_robots (
    recall TEXT NOT NULL,
    robot_id TEXT NOT NULL,
    custodian_id TEXT NOT NULL,
    state TEXT NOT NULL,
    matched_at TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    remedy_seq INTEGER,
    suspension_seq INTEGER,
    stop_use TEXT,
    note TEXT,
    PRIMARY KEY (recall, robot_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX recall_robots_by_robot ON recall_robots (robot_id);
  CREATE INDEX recall_robots_by_state ON recall_robots (recall, state);
`;

/**
 * The parts fitted in a robot when an incident happened are no longer copied with the incident (five B-trees
 * written per part, every report): they are read from robot_components by seq (fitted before the report, not
 * removed by then). incident_parts keeps the parts the report named (involved = 1).
 */
const INCIDENT_PARTS_BY_REFERENCE_SQL = `
  -- The trend indexes served the fitted copies (several rows an incident); the named parts, about one row per
  -- incident, are grouped without them, and fitted parts are read from robot_components by seq. Dropped first,
  -- so that the delete does not update them.
  DROP INDEX incident_parts_part_trend;
  DROP INDEX incident_parts_lot_trend;
  DELETE FROM incident_parts WHERE involved = 0;
`;

/** Versioned schema changes; append only. Each runs in its own transaction with its version recorded. */
const MIGRATIONS: {
  version: number;
  name: string;
  sql: string;
  /** Data work that SQL alone cannot do, in the same transaction. */
  then?: (conn: Connection) => void;
}[] = [
  {
    version: 1,
    name: 'registry foundation',
    sql: `
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;

      CREATE TABLE organisations (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        registration_number TEXT NOT NULL,
        enterprise_code TEXT UNIQUE,
        created_at TEXT NOT NULL,
        UNIQUE (jurisdiction, registration_number)
      ) STRICT;

      CREATE TABLE org_roles (
        org_id TEXT NOT NULL REFERENCES organisations(id),
        role TEXT NOT NULL,
        PRIMARY KEY (org_id, role)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX org_roles_by_role ON org_roles (role, org_id);

      CREATE TABLE api_keys (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        name TEXT NOT NULL,
        secret_hash BLOB NOT NULL,
        created_at TEXT NOT NULL,
        created_by_key TEXT,
        revoked_at TEXT,
        last_used_at TEXT
      ) STRICT;
      CREATE INDEX api_keys_by_org ON api_keys (org_id);

      CREATE TABLE models (
        seq INTEGER PRIMARY KEY,
        enterprise_code TEXT NOT NULL,
        code TEXT NOT NULL,
        manufacturer_id TEXT NOT NULL REFERENCES organisations(id),
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        capability_level TEXT NOT NULL,
        specs TEXT NOT NULL,
        next_serial INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        UNIQUE (enterprise_code, code)
      ) STRICT;

      CREATE TABLE issuances (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        key_id TEXT,
        request_id TEXT,
        request_hash TEXT NOT NULL,
        enterprise_code TEXT NOT NULL,
        model_code TEXT NOT NULL,
        serial_source TEXT NOT NULL,
        count INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (org_id, request_id)
      ) STRICT;

      -- One row per issued ID, keyed by the ID itself (its parts need no columns of their own); the issuance
      -- says who issued it and when. Kept narrow: issuing 100,000 IDs writes 100,000 of these.
      CREATE TABLE robots (
        id TEXT PRIMARY KEY,
        issuance INTEGER NOT NULL REFERENCES issuances(seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX robots_by_issuance ON robots (issuance);

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        org_id TEXT,
        key_id TEXT,
        action TEXT NOT NULL,
        target TEXT,
        outcome TEXT NOT NULL,
        detail TEXT
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'lifecycle ledger',
    sql: `
      -- Accepted events in the order the registry accepted them: seq is their place in that one total order.
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        robot_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        event_time TEXT NOT NULL,
        record_time TEXT NOT NULL,
        org_id TEXT NOT NULL,
        key_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        content_hash BLOB NOT NULL,
        late INTEGER NOT NULL
      ) STRICT;
      -- One index serves idempotency (robot, client event id) and a robot's history (its few rows, sorted by seq).
      CREATE UNIQUE INDEX events_by_robot ON events (robot_id, event_id);
      -- Late reports are few: a partial index lists each organisation's without touching the rest.
      CREATE INDEX events_late_by_org ON events (org_id, seq) WHERE late = 1;

      -- A custodian lets a service provider report service and incidents for its robot, for a period.
      CREATE TABLE service_authorisations (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        robot_id TEXT NOT NULL,
        org_id TEXT NOT NULL,
        granted_by TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_until TEXT NOT NULL,
        revoked_at TEXT
      ) STRICT;
      CREATE INDEX service_authorisations_by_robot ON service_authorisations (robot_id, org_id);

      -- What the state machine derived from each robot's events (a cache of the replay; the events are the truth),
      -- with the fields robots are searched by as columns.
      CREATE TABLE robot_status (
        robot_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        custodian_id TEXT NOT NULL,
        region TEXT,
        production_date TEXT,
        certified_until TEXT,
        status TEXT NOT NULL,
        last_seq INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX robot_status_by_state ON robot_status (state);
      CREATE INDEX robot_status_by_custodian ON robot_status (custodian_id);
      CREATE INDEX robot_status_by_region ON robot_status (region);
      CREATE INDEX robot_status_by_production ON robot_status (production_date);

      -- Every component a robot has carried: fitted by the event at fitted_seq, removed at removed_seq (NULL while
      -- fitted). Answers "which robots carry lot X" from an index, including parts fitted later in service.
      CREATE TABLE robot_components (
        robot_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        position TEXT,
        part_number TEXT NOT NULL,
        serial TEXT,
        lot TEXT,
        fitted_seq INTEGER NOT NULL,
        removed_seq INTEGER
      ) STRICT;
      CREATE INDEX components_by_lot ON robot_components (lot, part_number) WHERE lot IS NOT NULL;
      CREATE INDEX components_by_part ON robot_components (part_number, serial);
      CREATE INDEX components_by_robot ON robot_components (robot_id);

      -- Installed firmware and software, current versions only.
      CREATE TABLE robot_software (
        robot_id TEXT NOT NULL,
        target TEXT NOT NULL,
        version TEXT NOT NULL,
        PRIMARY KEY (robot_id, target)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX software_by_version ON robot_software (target, version);
    `,
  },
  {
    version: 3,
    name: 'compact robot status',
    // The status snapshot repeated every fitted component (kilobytes a robot), and a WITHOUT ROWID table with rows
    // that large puts each in overflow pages: most of the bytes written per event. Components live in
    // robot_components already; the snapshot keeps the rest, in an ordinary rowid table.
    sql: `
      -- The manufacturer of each part, so that the fitted ones can be read back whole. Rows removed before this
      -- migration keep '' (their maker is in the event that fitted them).
      ALTER TABLE robot_components ADD COLUMN manufacturer TEXT NOT NULL DEFAULT '';
      UPDATE robot_components SET manufacturer = coalesce((
        SELECT json_extract(j.value, '$.manufacturer')
        FROM robot_status s, json_each(s.status, '$.components') j
        WHERE s.robot_id = robot_components.robot_id
          AND json_extract(j.value, '$.partNumber') = robot_components.part_number
          AND json_extract(j.value, '$.serial') IS robot_components.serial
          AND json_extract(j.value, '$.lot') IS robot_components.lot
        LIMIT 1), '')
      WHERE removed_seq IS NULL;

      CREATE TABLE robot_status_compact (
        robot_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        custodian_id TEXT NOT NULL,
        region TEXT,
        production_date TEXT,
        certified_until TEXT,
        status TEXT NOT NULL,
        last_seq INTEGER NOT NULL
      ) STRICT;
      INSERT INTO robot_status_compact
        SELECT robot_id, state, custodian_id, region, production_date, certified_until,
               json_remove(status, '$.components'), last_seq
        FROM robot_status ORDER BY robot_id;
      DROP TABLE robot_status;
      ALTER TABLE robot_status_compact RENAME TO robot_status;
      CREATE INDEX robot_status_by_state ON robot_status (state);
      CREATE INDEX robot_status_by_custodian ON robot_status (custodian_id);
      CREATE INDEX robot_status_by_region ON robot_status (region);
      CREATE INDEX robot_status_by_production ON robot_status (production_date);
    `,
  },
  {
    version: 4,
    name: 'components clustered by robot',
    // A robot's parts are read and changed together: keyed by robot, its rows sit side by side and the separate
    // robot index (one more B-tree written for every part fitted) goes. ordinal is the part's place in the event.
    sql: `
      CREATE TABLE robot_components_by_robot (
        robot_id TEXT NOT NULL,
        fitted_seq INTEGER NOT NULL,
        ordinal INTEGER NOT NULL,
        kind TEXT NOT NULL,
        position TEXT,
        manufacturer TEXT NOT NULL,
        part_number TEXT NOT NULL,
        serial TEXT,
        lot TEXT,
        removed_seq INTEGER,
        PRIMARY KEY (robot_id, fitted_seq, ordinal)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO robot_components_by_robot
        SELECT robot_id, fitted_seq, row_number() OVER (PARTITION BY robot_id, fitted_seq ORDER BY rowid) - 1,
               kind, position, manufacturer, part_number, serial, lot, removed_seq
        FROM robot_components ORDER BY robot_id, fitted_seq, rowid;
      DROP TABLE robot_components;
      ALTER TABLE robot_components_by_robot RENAME TO robot_components;
      CREATE INDEX components_by_lot ON robot_components (lot, part_number) WHERE lot IS NOT NULL;
      CREATE INDEX components_by_part ON robot_components (part_number, serial);
    `,
  },
  {
    version: 5,
    name: 'transparency log',
    sql: `
      -- The random salt of each event's commitment in its log leaf. NULL only until this migration has logged the
      -- events stored before the log existed.
      ALTER TABLE events ADD COLUMN salt BLOB;
      -- The tree, in tiles of 16 hashes (src/log/tiles.ts): tile (level, idx) holds tree level 4·level.
      CREATE TABLE log_tiles (
        level INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        hashes BLOB NOT NULL,
        PRIMARY KEY (level, idx)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE log_state (id INTEGER PRIMARY KEY CHECK (id = 1), size INTEGER NOT NULL) STRICT;
      INSERT INTO log_state (id, size) VALUES (1, 0);
      -- Tree heads the registry signed: one per size, never two.
      CREATE TABLE log_checkpoints (
        size INTEGER PRIMARY KEY,
        root_hash BLOB NOT NULL,
        note TEXT NOT NULL,
        signed_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE log_cosignatures (
        size INTEGER NOT NULL REFERENCES log_checkpoints(size),
        witness TEXT NOT NULL,
        line TEXT NOT NULL,
        cosigned_at INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (size, witness)
      ) STRICT;
    `,
    then: logEventsStoredBeforeTheLog,
  },
  {
    version: 6,
    name: 'persons and their personal data',
    sql: PERSONAL_DATA_SQL,
  },
  {
    version: 7,
    name: 'read audit',
    sql: `
      -- Every read of non-public data and every refused attempt (src/app/read-audit.ts). id follows the order the
      -- records were written, which is their time order up to a process's buffering window (100 ms): lists are
      -- newest first by id, and (robot_id) / (org_id) indexes end in the rowid, so serve "by robot / by
      -- organisation, newest first" directly; at bounds a search in time.
      CREATE TABLE read_audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        org_id TEXT,
        key_id TEXT,
        robot_id TEXT,
        query TEXT,
        classes TEXT NOT NULL,
        purpose TEXT,
        outcome TEXT NOT NULL
      ) STRICT;
      CREATE INDEX read_audit_by_robot ON read_audit (robot_id) WHERE robot_id IS NOT NULL;
      CREATE INDEX read_audit_by_org ON read_audit (org_id);
      CREATE INDEX read_audit_by_time ON read_audit (at);
    `,
  },
  {
    version: 8,
    name: 'notice outbox',
    sql: `
      -- Notices written in the unit of work of what they announce (src/app/notifications/announce.ts); delivery
      -- reads them in id order after its own watermark. audience and data are JSON.
      CREATE TABLE notices (
        id INTEGER PRIMARY KEY,
        topic TEXT NOT NULL,
        created_at TEXT NOT NULL,
        robot_id TEXT,
        audience TEXT NOT NULL,
        data TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 9,
    name: 'webhook subscriptions and deliveries',
    sql: `
      -- Webhook subscriptions: topics is a JSON array; the signing secret is sealed (AES-256-GCM) under the data
      -- directory's webhook key (src/app/notifications/secrets.ts). Removed ones are kept for their deliveries.
      CREATE TABLE subscriptions (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES organisations (id),
        url TEXT NOT NULL,
        topics TEXT NOT NULL,
        secret_sealed BLOB NOT NULL,
        created_at TEXT NOT NULL,
        deleted_at TEXT
      ) STRICT;
      CREATE INDEX subscriptions_by_org ON subscriptions (org_id);
      -- How far each consumer of the notice outbox has read ('webhooks': fan-out; 'nats': the stream).
      CREATE TABLE notice_watermarks (
        name TEXT PRIMARY KEY,
        last_id INTEGER NOT NULL
      ) STRICT;
      -- One delivery per (subscription, notice): the unique key is a second guard against a double fan-out.
      CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
        org_id TEXT NOT NULL,
        notice_id INTEGER NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_status INTEGER,
        last_error TEXT,
        UNIQUE (subscription_id, notice_id)
      ) STRICT;
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
      ) STRICT;
    `,
  },
  {
    version: 10,
    name: 'compliance findings',
    sql: `
      -- What the compliance checker filters robots by (src/store/sqlite/compliance.ts), copied with each snapshot
      -- from the status (robot-search.ts putRobotStatuses) as reported, offset and all: the checker compares them
      -- with julianday(), so that a capture pays no date parsing. Not indexed: the checker reads robot_status whole
      -- once a run, and an index would cost every capture a B-tree write.
      ALTER TABLE robot_status ADD COLUMN last_event_at TEXT;
      ALTER TABLE robot_status ADD COLUMN activated_at TEXT;
      ALTER TABLE robot_status ADD COLUMN last_serviced_at TEXT;
      -- Snapshots written before this version: their first activation and latest inspection or maintenance from
      -- the events (a robot's few rows by index; corrections are not replayed here: the next event's replay is).
      UPDATE robot_status SET
        activated_at = (SELECT e.event_time FROM events e
                        WHERE e.robot_id = robot_status.robot_id AND e.type = 'activated' ORDER BY e.seq LIMIT 1),
        last_serviced_at = (SELECT e.event_time FROM events e
                            WHERE e.robot_id = robot_status.robot_id AND e.type = 'serviced'
                              AND json_extract(e.payload, '$.kind') IN ('inspection', 'maintenance')
                            ORDER BY e.seq DESC LIMIT 1);
      UPDATE robot_status SET status = json_set(status, '$.activatedAt', activated_at)
      WHERE activated_at IS NOT NULL;
      UPDATE robot_status SET status = json_set(status, '$.lastServicedAt', last_serviced_at)
      WHERE last_serviced_at IS NOT NULL;
      UPDATE robot_status SET last_event_at = json_extract(status, '$.lastEventTime');

      -- Findings of the compliance rules (docs/compliance.md): open while resolved_at is NULL, at most one open per
      -- rule, organisation and key; detail is JSON.
      CREATE TABLE compliance_findings (
        id INTEGER PRIMARY KEY,
        rule TEXT NOT NULL,
        org_id TEXT NOT NULL,
        robot_id TEXT,
        key TEXT NOT NULL,
        detail TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        resolved_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX compliance_findings_open ON compliance_findings (rule, org_id, key)
        WHERE resolved_at IS NULL;
      CREATE INDEX compliance_findings_by_org ON compliance_findings (org_id, rule);
      -- Each run: an open finding was seen by the latest run (else it would be resolved), so its last_seen is
      -- read from here rather than rewritten on every finding each run.
      CREATE TABLE compliance_runs (
        at TEXT PRIMARY KEY,
        opened INTEGER NOT NULL,
        kept INTEGER NOT NULL,
        resolved INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 11,
    name: 'incidents',
    sql: `
      -- Incidents derived from accepted incident_reported events in the capture's unit of work
      -- (src/app/incidents/record.ts); id is the reporting event's seq. A correction of the report withdraws the
      -- incident (withdrawn_seq: the correction's seq). Trends group these tables (docs/incidents.md), so each
      -- dimension has an index: model, month, manufacturer, event time; parts by number and lot; software by
      -- target and version.
      CREATE TABLE incidents (
        id INTEGER PRIMARY KEY,
        robot_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        model TEXT NOT NULL,
        manufacturer_id TEXT NOT NULL,
        category TEXT NOT NULL,
        severity TEXT NOT NULL,
        injuries INTEGER,
        region TEXT,
        event_time TEXT NOT NULL,
        month TEXT NOT NULL,
        record_time TEXT NOT NULL,
        reported_by TEXT NOT NULL,
        source TEXT NOT NULL,
        operator_id TEXT,
        description TEXT,
        attachments TEXT NOT NULL,
        state TEXT NOT NULL,
        root_cause TEXT,
        withdrawn_seq INTEGER,
        withdrawn_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX incidents_by_event ON incidents (robot_id, event_id);
      CREATE INDEX incidents_by_manufacturer ON incidents (manufacturer_id, month);
      CREATE INDEX incidents_by_model ON incidents (model, month);
      CREATE INDEX incidents_by_month ON incidents (month);
      CREATE INDEX incidents_by_time ON incidents (event_time);
      CREATE INDEX incidents_by_state ON incidents (state);
      -- Parts named in the report (involved = 1) and those fitted when it happened (involved = 0).
      CREATE TABLE incident_parts (
        incident_id INTEGER NOT NULL REFERENCES incidents(id),
        ordinal INTEGER NOT NULL,
        involved INTEGER NOT NULL,
        kind TEXT,
        part_number TEXT NOT NULL,
        serial TEXT,
        lot TEXT,
        -- 1 on the first row of its part number (of its lot) among the incident's parts named, or fitted: what
        -- trends count, so that a robot with two knees of one lot counts once without a DISTINCT over all rows.
        counts_part INTEGER NOT NULL,
        counts_lot INTEGER NOT NULL,
        PRIMARY KEY (incident_id, ordinal)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX incident_parts_by_part ON incident_parts (part_number, lot, incident_id);
      CREATE INDEX incident_parts_part_trend ON incident_parts (involved, counts_part, part_number, incident_id);
      CREATE INDEX incident_parts_lot_trend ON incident_parts (involved, counts_lot, part_number, lot, incident_id);
      CREATE INDEX incident_parts_by_lot ON incident_parts (lot, incident_id) WHERE lot IS NOT NULL;
      CREATE TABLE incident_software (
        incident_id INTEGER NOT NULL REFERENCES incidents(id),
        target TEXT NOT NULL,
        version TEXT NOT NULL,
        PRIMARY KEY (incident_id, target)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX incident_software_by_version ON incident_software (target, version, incident_id);
      -- Each triage move by a regulator, in order per incident.
      CREATE TABLE incident_triage (
        incident_id INTEGER NOT NULL REFERENCES incidents(id),
        ordinal INTEGER NOT NULL,
        at TEXT NOT NULL,
        org_id TEXT NOT NULL,
        key_id TEXT,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        note TEXT,
        root_cause TEXT,
        PRIMARY KEY (incident_id, ordinal)
      ) STRICT;
    `,
  },
  {
    version: 12,
    name: 'recall campaigns',
    sql: RECALLS_SQL,
  },
  {
    version: 13,
    name: 'incident parts fitted by reference',
    sql: INCIDENT_PARTS_BY_REFERENCE_SQL,
  },
  {
    version: 14,
    name: 'complete histories',
    sql: `
      -- Each event's leaf version, and for version 2 the leaf index of the robot's previous event (NULL: its
      -- first). Events logged before this version keep their version 1 leaves.
      ALTER TABLE events ADD COLUMN leaf_version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE events ADD COLUMN leaf_prev INTEGER;
      -- The robots' heads map of the latest checkpoint (src/log/heads-map.ts): its nodes by path ('0'/'1' from the
      -- root); a node of one robot holds that robot's key, leaf count and latest leaf index.
      CREATE TABLE log_heads (
        path TEXT PRIMARY KEY,
        hash BLOB NOT NULL,
        robot_key BLOB,
        leaf_count INTEGER,
        head INTEGER
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 15,
    name: 'people',
    sql: `
      -- People of organisations (src/store/people): users with a scrypt password hash (its parameters with it) and
      -- a TOTP secret sealed as personal data is; invitations and sessions by the SHA-256 of their tokens only;
      -- failed sign-ins per account and per address, and their locks.
      CREATE TABLE users (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        totp_kek_version INTEGER NOT NULL,
        totp_wrapped_key BLOB NOT NULL,
        totp_nonce BLOB NOT NULL,
        totp_ciphertext BLOB NOT NULL,
        totp_auth_tag BLOB NOT NULL,
        totp_last_step INTEGER,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX users_by_org ON users (org_id);
      CREATE INDEX users_by_kek ON users (totp_kek_version);
      CREATE TABLE invitations (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES organisations(id),
        email TEXT NOT NULL,
        role TEXT NOT NULL,
        token_hash BLOB NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        created_by TEXT,
        accepted_at TEXT
      ) STRICT;
      CREATE INDEX invitations_by_org ON invitations (org_id);
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        token_hash BLOB NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users(id),
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sessions_by_user ON sessions (user_id);
      CREATE TABLE sign_in_throttle (
        subject TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        window_started_at TEXT NOT NULL,
        locks INTEGER NOT NULL,
        locked_until TEXT
      ) STRICT;
    `,
  },
  {
    version: 16,
    name: 'passkeys',
    sql: `
      -- People's passkeys (WebAuthn credentials: id base64url, COSE public key, signature counter) and the
      -- challenges given out for them, each good once for five minutes.
      CREATE TABLE passkeys (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        name TEXT NOT NULL,
        public_key BLOB NOT NULL,
        counter INTEGER NOT NULL,
        transports TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_used_at TEXT
      ) STRICT;
      CREATE INDEX passkeys_by_user ON passkeys (user_id);
      CREATE TABLE webauthn_challenges (
        id TEXT PRIMARY KEY,
        purpose TEXT NOT NULL,
        session_id TEXT,
        challenge TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 17,
    name: 'totp-enrolments',
    sql: `
      -- A new TOTP secret shown to a signed-in person and not yet confirmed by a code from it (one per session,
      -- ten minutes), sealed as the users' own are.
      CREATE TABLE totp_enrolments (
        session_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        kek_version INTEGER NOT NULL,
        wrapped_key BLOB NOT NULL,
        nonce BLOB NOT NULL,
        ciphertext BLOB NOT NULL,
        auth_tag BLOB NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 18,
    name: 'robot-gs1-keys',
    sql: `
      -- A robot's GS1 key (canonical Digital Link of its SGTIN), registered by its manufacturer: one key per
      -- robot, one robot per key, so that EPCIS documents naming robots by GS1 key resolve to one robot.
      CREATE TABLE robot_gs1_keys (
        robot_id TEXT PRIMARY KEY,
        gs1_key TEXT NOT NULL UNIQUE,
        registered_by TEXT NOT NULL,
        registered_at TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 19,
    name: 'epcis-capture-jobs',
    sql: `
      -- EPCIS capture jobs (POST /epcis/capture): the document is kept until its events are taken, so that a job
      -- accepted is never lost when the process stops; the result replaces it.
      CREATE TABLE epcis_capture_jobs (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
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
      ) STRICT;
      CREATE INDEX epcis_capture_jobs_by_org ON epcis_capture_jobs (org_id, seq);
      CREATE INDEX epcis_capture_jobs_by_state ON epcis_capture_jobs (state, seq);
    `,
  },
  {
    version: 20,
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
      ) STRICT;
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
      ) STRICT;
      CREATE INDEX epcis_subscriptions_by_query ON epcis_subscriptions (org_id, query_name);
      -- What the fan-out matched: one stored event's EPCIS events for one subscription, the delivery's body (the
      -- delivery's notice_id is event_seq).
      CREATE TABLE epcis_results (
        subscription_id TEXT NOT NULL REFERENCES epcis_subscriptions(id),
        event_seq INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (subscription_id, event_seq)
      ) STRICT;
    `,
  },
];

/** Applies the migrations not yet applied, up to `upTo` (all by default; tests stop earlier to test upgrades). */
export function migrate(conn: Connection, upTo = Infinity): void {
  conn.db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const isApplied = conn.db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  for (const migration of MIGRATIONS.filter((m) => m.version <= upTo)) {
    // Checked inside the write lock: another process (say `admin init` beside `serve`) may have just applied it.
    conn.db
      .transaction(() => {
        if (isApplied.get(migration.version)) return;
        conn.db.exec(migration.sql);
        migration.then?.(conn);
        conn.db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, new Date().toISOString());
      })
      .immediate();
  }
}
