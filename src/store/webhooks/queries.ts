import type { NoticeTopic } from '../../domain/safety/notices.js';
import { pageOf } from '../sql/page.js';
import type { QueriesOf } from '../sql/queries.js';
import type {
  DeliveryAttempt,
  DeliveryFilter,
  DeliveryRecord,
  DeliveryState,
  SubscriptionRecord,
  WebhookReader,
  WebhookWriter,
} from './interface.js';

interface SubscriptionRow {
  id: string;
  org_id: string;
  url: string;
  topics: string;
  secret_sealed: Buffer;
  created_at: string;
  deleted_at: string | null;
}

const toSubscription = (row: SubscriptionRow): SubscriptionRecord => ({
  id: row.id,
  orgId: row.org_id,
  url: row.url,
  topics: JSON.parse(row.topics) as NoticeTopic[],
  secretSealed: Buffer.from(row.secret_sealed),
  createdAt: row.created_at,
  deletedAt: row.deleted_at,
});

interface DeliveryRow {
  id: string;
  seq: number;
  subscription_id: string;
  org_id: string;
  notice_id: number;
  state: string;
  attempts: number;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
  last_status: number | null;
  last_error: string | null;
}

const toDelivery = (row: DeliveryRow): DeliveryRecord => ({
  id: row.id,
  seq: row.seq,
  subscriptionId: row.subscription_id,
  orgId: row.org_id,
  noticeId: row.notice_id,
  state: row.state as DeliveryState,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastStatus: row.last_status,
  lastError: row.last_error,
});

/** A claim's answer in due order (RETURNING promises none). */
const byDue = (a: DeliveryRecord, b: DeliveryRecord) =>
  (a.nextAttemptAt ?? '') < (b.nextAttemptAt ?? '') ? -1 : a.seq - b.seq;

interface DeliveryAttemptRow {
  delivery_id: string;
  attempt: number;
  at: string;
  duration_ms: number;
  status: number | null;
  error: string | null;
}

const toDeliveryAttempt = (row: DeliveryAttemptRow): DeliveryAttempt => ({
  deliveryId: row.delivery_id,
  attempt: row.attempt,
  at: row.at,
  durationMs: row.duration_ms,
  status: row.status,
  error: row.error,
});

/** A delivery search's conditions, only those asked for (eight shapes at most, each a prepared statement). */
function deliveryWhere(filter: DeliveryFilter, after: number): { where: string; values: unknown[] } {
  const clauses = ['seq > ?'];
  const values: unknown[] = [after];
  const add = (column: string, value: unknown) => {
    clauses.push(`${column} = ?`);
    values.push(value);
  };
  if (filter.orgId !== undefined) add('org_id', filter.orgId);
  if (filter.subscriptionId !== undefined) add('subscription_id', filter.subscriptionId);
  if (filter.state !== undefined) add('state', filter.state);
  return { where: clauses.join(' AND '), values };
}

/** A new delivery as one record of `insertDeliveries`'s batch; `place` keeps the batch's order. */
const DELIVERY_RECORD = {
  place: 'integer',
  id: 'text',
  subscription_id: 'text',
  org_id: 'text',
  notice_id: 'integer',
  state: 'text',
  attempts: 'integer',
  next_attempt_at: 'text',
  created_at: 'text',
  updated_at: 'text',
  last_status: 'integer',
  last_error: 'text',
} as const;

export const reads: QueriesOf<WebhookReader> = {
  async getSubscription(db, id) {
    const row = await db.get<SubscriptionRow>('SELECT * FROM subscriptions WHERE id = ?', [id]);
    return row ? toSubscription(row) : null;
  },

  async listSubscriptions(db, orgId) {
    const rows =
      orgId === null
        ? await db.all<SubscriptionRow>(
            'SELECT * FROM subscriptions WHERE deleted_at IS NULL ORDER BY created_at, id',
          )
        : await db.all<SubscriptionRow>(
            'SELECT * FROM subscriptions WHERE org_id = ? AND deleted_at IS NULL ORDER BY created_at, id',
            [orgId],
          );
    return rows.map(toSubscription);
  },

  async getDelivery(db, id) {
    const row = await db.get<DeliveryRow>('SELECT * FROM deliveries WHERE id = ?', [id]);
    return row ? toDelivery(row) : null;
  },

  async listDeliveries(db, filter, page) {
    const { where, values } = deliveryWhere(filter, page.after);
    const rows = await db.all<DeliveryRow>(`SELECT * FROM deliveries WHERE ${where} ORDER BY seq LIMIT ?`, [
      ...values,
      page.limit + 1,
    ]);
    return pageOf(rows, page.limit, toDelivery);
  },

  async listDeliveryAttempts(db, deliveryId) {
    const rows = await db.all<DeliveryAttemptRow>(
      'SELECT * FROM delivery_attempts WHERE delivery_id = ? ORDER BY attempt',
      [deliveryId],
    );
    return rows.map(toDeliveryAttempt);
  },
};

export const writes: QueriesOf<WebhookWriter> = {
  async insertSubscription(db, s) {
    await db.run(
      `INSERT INTO subscriptions (id, org_id, url, topics, secret_sealed, created_at, deleted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [s.id, s.orgId, s.url, JSON.stringify(s.topics), s.secretSealed, s.createdAt, s.deletedAt],
    );
  },

  async deleteSubscription(db, id, at) {
    const { changes } = await db.run(
      'UPDATE subscriptions SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL',
      [at, id],
    );
    return changes > 0;
  },

  // One statement for the batch. Seqs continue after the largest so far (the writers' lock makes max + n safe),
  // numbered over the deliveries not already there, so that one kept leaves no gap.
  async insertDeliveries(db, deliveries) {
    if (deliveries.length === 0) return;
    const batch = deliveries.map((d, place) => ({
      place,
      id: d.id,
      subscription_id: d.subscriptionId,
      org_id: d.orgId,
      notice_id: d.noticeId,
      state: d.state,
      attempts: d.attempts,
      next_attempt_at: d.nextAttemptAt,
      created_at: d.createdAt,
      updated_at: d.updatedAt,
      last_status: d.lastStatus,
      last_error: d.lastError,
    }));
    await db.run(
      `INSERT INTO deliveries (id, seq, subscription_id, org_id, notice_id, state, attempts, next_attempt_at,
         created_at, updated_at, last_status, last_error)
       SELECT n.id, (SELECT coalesce(max(seq), 0) FROM deliveries) + row_number() OVER (ORDER BY n.place),
         n.subscription_id, n.org_id, n.notice_id, n.state, n.attempts, n.next_attempt_at, n.created_at,
         n.updated_at, n.last_status, n.last_error
       FROM ${db.dialect.jsonRecords('n', DELIVERY_RECORD)}
       WHERE NOT EXISTS (SELECT 1 FROM deliveries d
                         WHERE d.subscription_id = n.subscription_id AND d.notice_id = n.notice_id)
       ON CONFLICT (subscription_id, notice_id) DO NOTHING`,
      [JSON.stringify(batch)],
    );
  },

  // Both stores serialise units of work (SQLite's one writer; PostgreSQL's writers' advisory lock, across
  // processes): no other claim runs meanwhile, so no row locks are skipped or waited for.
  async claimDueDeliveries(db, now, leaseUntil, limit) {
    const rows = await db.all<DeliveryRow>(
      `UPDATE deliveries SET next_attempt_at = ?
       WHERE id IN (SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, seq LIMIT ?)
       RETURNING *`,
      [leaseUntil, now, limit],
    );
    return rows.map(toDelivery).sort(byDue);
  },

  async updateDelivery(db, id, u) {
    await db.run(
      `UPDATE deliveries SET state = ?, attempts = ?, next_attempt_at = ?, updated_at = ?, last_status = ?,
         last_error = ? WHERE id = ?`,
      [u.state, u.attempts, u.nextAttemptAt, u.updatedAt, u.lastStatus, u.lastError, id],
    );
  },

  async insertDeliveryAttempt(db, a) {
    await db.run(
      `INSERT INTO delivery_attempts (delivery_id, attempt, at, duration_ms, status, error)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [a.deliveryId, a.attempt, a.at, a.durationMs, a.status, a.error],
    );
  },

  async endPendingDeliveries(db, subscriptionId, at, error) {
    await db.run(
      `UPDATE deliveries SET state = 'dead', next_attempt_at = NULL, updated_at = ?, last_error = ?
       WHERE subscription_id = ? AND state = 'pending'`,
      [at, error, subscriptionId],
    );
  },
};
