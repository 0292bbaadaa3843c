import type { QueriesOf } from '../sql/queries.js';
import type {
  EpcisQueryReader,
  EpcisQueryRecord,
  EpcisQueryWriter,
  EpcisResultRecord,
  EpcisSubscriptionRecord,
} from './interface.js';

interface QueryRow {
  org_id: string;
  name: string;
  params: string;
  created_at: string;
  created_by: string;
}

interface SubscriptionRow {
  id: string;
  org_id: string;
  query_name: string;
  key_id: string;
  purpose: string | null;
  initial_record_time: string;
  created_at: string;
  deleted_at: string | null;
}

interface ResultRow {
  subscription_id: string;
  event_seq: number | string;
  body: string;
  created_at: string;
}

const toQuery = (row: QueryRow): EpcisQueryRecord => ({
  orgId: row.org_id,
  name: row.name,
  params: JSON.parse(row.params) as Record<string, unknown>,
  createdAt: row.created_at,
  createdBy: row.created_by,
});

const toSubscription = (row: SubscriptionRow): EpcisSubscriptionRecord => ({
  id: row.id,
  orgId: row.org_id,
  queryName: row.query_name,
  keyId: row.key_id,
  purpose: row.purpose,
  initialRecordTime: row.initial_record_time,
  createdAt: row.created_at,
  deletedAt: row.deleted_at,
});

const toResult = (row: ResultRow): EpcisResultRecord => ({
  subscriptionId: row.subscription_id,
  eventSeq: Number(row.event_seq),
  body: row.body,
  createdAt: row.created_at,
});

const RESULT_COLUMNS = {
  subscription_id: 'text',
  event_seq: 'integer',
  body: 'text',
  created_at: 'text',
} as const;

export const reads: QueriesOf<EpcisQueryReader> = {
  async getEpcisQuery(db, orgId, name) {
    const row = await db.get<QueryRow>('SELECT * FROM epcis_queries WHERE org_id = ? AND name = ?', [
      orgId,
      name,
    ]);
    return row ? toQuery(row) : null;
  },
  listEpcisQueries: async (db, orgId) =>
    (await db.all<QueryRow>('SELECT * FROM epcis_queries WHERE org_id = ? ORDER BY name', [orgId])).map(
      toQuery,
    ),
  async getEpcisSubscription(db, id) {
    const row = await db.get<SubscriptionRow>('SELECT * FROM epcis_subscriptions WHERE id = ?', [id]);
    return row ? toSubscription(row) : null;
  },
  async listEpcisSubscriptions(db, orgId, queryName) {
    const rows =
      orgId === null
        ? await db.all<SubscriptionRow>(
            `SELECT e.* FROM epcis_subscriptions e JOIN subscriptions s ON s.id = e.id
             WHERE e.deleted_at IS NULL AND s.deleted_at IS NULL ORDER BY e.created_at, e.id`,
          )
        : await db.all<SubscriptionRow>(
            `SELECT * FROM epcis_subscriptions WHERE org_id = ? AND query_name = ? AND deleted_at IS NULL
             ORDER BY created_at, id`,
            [orgId, queryName],
          );
    return rows.map(toSubscription);
  },
  async getEpcisResult(db, subscriptionId, eventSeq) {
    const row = await db.get<ResultRow>(
      'SELECT * FROM epcis_results WHERE subscription_id = ? AND event_seq = ?',
      [subscriptionId, eventSeq],
    );
    return row ? toResult(row) : null;
  },
  async lastEventSeq(db) {
    const row = await db.get<{ last: number | string | null }>('SELECT max(seq) AS last FROM events');
    return Number(row?.last ?? 0);
  },
};

export const writes: QueriesOf<EpcisQueryWriter> = {
  async insertEpcisQuery(db, q) {
    const { changes } = await db.run(
      `INSERT INTO epcis_queries (org_id, name, params, created_at, created_by) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (org_id, name) DO NOTHING`,
      [q.orgId, q.name, JSON.stringify(q.params), q.createdAt, q.createdBy],
    );
    return changes > 0;
  },
  async deleteEpcisQuery(db, orgId, name) {
    const { changes } = await db.run('DELETE FROM epcis_queries WHERE org_id = ? AND name = ?', [
      orgId,
      name,
    ]);
    return changes > 0;
  },
  async insertEpcisSubscription(db, s) {
    await db.run(
      `INSERT INTO epcis_subscriptions
         (id, org_id, query_name, key_id, purpose, initial_record_time, created_at, deleted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [s.id, s.orgId, s.queryName, s.keyId, s.purpose, s.initialRecordTime, s.createdAt, s.deletedAt],
    );
  },
  async deleteEpcisSubscription(db, id, at) {
    const { changes } = await db.run(
      'UPDATE epcis_subscriptions SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL',
      [at, id],
    );
    return changes > 0;
  },
  async insertEpcisResults(db, results) {
    if (results.length === 0) return;
    const records = results.map((r) => ({
      subscription_id: r.subscriptionId,
      event_seq: r.eventSeq,
      body: r.body,
      created_at: r.createdAt,
    }));
    // One statement for the round's results, sent as one JSON array (a round trip each would be PostgreSQL's cost).
    await db.run(
      `INSERT INTO epcis_results (subscription_id, event_seq, body, created_at)
       SELECT r.subscription_id, r.event_seq, r.body, r.created_at
       FROM ${db.dialect.jsonRecords('r', RESULT_COLUMNS)}
       WHERE true -- SQLite reads ON CONFLICT after a bare FROM as a join's
       ON CONFLICT (subscription_id, event_seq) DO NOTHING`,
      [JSON.stringify(records)],
    );
  },
};
