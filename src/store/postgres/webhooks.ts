import type {
  DeliveryAttempt,
  DeliveryFilter,
  DeliveryRecord,
  DeliveryUpdate,
  NewDelivery,
  Page,
  PageRequest,
  SubscriptionRecord,
} from '../store.js';
import type { Connection } from './connection.js';
import {
  byDue,
  deliveryValues,
  deliveryWhere,
  subscriptionValues,
  toDelivery,
  toDeliveryAttempt,
  toDeliveryPage,
  toSubscription,
  type DeliveryAttemptRow,
  type DeliveryRow,
  type SubscriptionRow,
} from '../rows.js';

export async function getSubscription(c: Connection, id: string): Promise<SubscriptionRecord | null> {
  const row = await c.row<SubscriptionRow>('SELECT * FROM subscriptions WHERE id = $1', [id]);
  return row ? toSubscription(row) : null;
}

export async function listSubscriptions(c: Connection, orgId: string | null): Promise<SubscriptionRecord[]> {
  const rows = await c.rows<SubscriptionRow>(
    `SELECT * FROM subscriptions WHERE ($1::text IS NULL OR org_id = $1) AND deleted_at IS NULL
     ORDER BY created_at, id`,
    [orgId],
  );
  return rows.map(toSubscription);
}

export async function insertSubscription(c: Connection, s: SubscriptionRecord): Promise<void> {
  await c.run(
    `INSERT INTO subscriptions (id, org_id, url, topics, secret_sealed, created_at, deleted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [...subscriptionValues(s)],
  );
}

export async function deleteSubscription(c: Connection, id: string, at: string): Promise<boolean> {
  const rows = await c.rows(
    'UPDATE subscriptions SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL RETURNING id',
    [at, id],
  );
  return rows.length > 0;
}

/** Seqs continue after the largest so far: every unit of work holds the writers' lock (as for notices). */
const INSERT_DELIVERIES = `
  INSERT INTO deliveries (id, seq, subscription_id, org_id, notice_id, state, attempts, next_attempt_at,
    created_at, updated_at, last_status, last_error)
  SELECT e.id, (SELECT coalesce(max(seq), 0) FROM deliveries) + e.n, e.s, e.o, e.notice, e.state, e.attempts,
    e.next, e.created, e.updated, e.status, e.error
  FROM json_to_recordset($1::json) AS e(id text, n bigint, s text, o text, notice bigint, state text,
    attempts int, next text, created text, updated text, status int, error text)
  ORDER BY e.n
  ON CONFLICT (subscription_id, notice_id) DO NOTHING`;

export async function insertDeliveries(c: Connection, deliveries: NewDelivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  const rows = deliveries.map((d, place) => {
    const [s, o, notice, state, attempts, next, created, updated, status, error] = deliveryValues(d);
    return { id: d.id, n: place + 1, s, o, notice, state, attempts, next, created, updated, status, error };
  });
  await c.run(INSERT_DELIVERIES, [JSON.stringify(rows)]);
}

export async function getDelivery(c: Connection, id: string): Promise<DeliveryRecord | null> {
  const row = await c.row<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1', [id]);
  return row ? toDelivery(row) : null;
}

export async function listDeliveries(
  c: Connection,
  filter: DeliveryFilter,
  page: PageRequest,
): Promise<Page<DeliveryRecord>> {
  const { where, values } = deliveryWhere(filter, page.after, (n) => `$${n}`);
  const rows = await c.rows<DeliveryRow>(
    `SELECT * FROM deliveries WHERE ${where} ORDER BY seq LIMIT $${values.length + 1}`,
    [...values, page.limit + 1],
  );
  return toDeliveryPage(rows, page.limit);
}

export async function claimDueDeliveries(
  c: Connection,
  now: string,
  leaseUntil: string,
  limit: number,
): Promise<DeliveryRecord[]> {
  const rows = await c.rows<DeliveryRow>(
    `UPDATE deliveries SET next_attempt_at = $1
     WHERE id IN (SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $2
                  ORDER BY next_attempt_at, seq LIMIT $3)
     RETURNING *`,
    [leaseUntil, now, limit],
  );
  return rows.map(toDelivery).sort(byDue);
}

export async function updateDelivery(c: Connection, id: string, u: DeliveryUpdate): Promise<void> {
  await c.run(
    `UPDATE deliveries SET state = $1, attempts = $2, next_attempt_at = $3, updated_at = $4, last_status = $5,
       last_error = $6 WHERE id = $7`,
    [u.state, u.attempts, u.nextAttemptAt, u.updatedAt, u.lastStatus, u.lastError, id],
  );
}

export async function insertDeliveryAttempt(c: Connection, a: DeliveryAttempt): Promise<void> {
  await c.run(
    `INSERT INTO delivery_attempts (delivery_id, attempt, at, duration_ms, status, error)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [a.deliveryId, a.attempt, a.at, a.durationMs, a.status, a.error],
  );
}

export async function listDeliveryAttempts(c: Connection, deliveryId: string): Promise<DeliveryAttempt[]> {
  const rows = await c.rows<DeliveryAttemptRow>(
    'SELECT * FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt',
    [deliveryId],
  );
  return rows.map(toDeliveryAttempt);
}

export async function endPendingDeliveries(
  c: Connection,
  subscriptionId: string,
  at: string,
  error: string,
): Promise<void> {
  await c.run(
    `UPDATE deliveries SET state = 'dead', next_attempt_at = NULL, updated_at = $1, last_error = $2
     WHERE subscription_id = $3 AND state = 'pending'`,
    [at, error, subscriptionId],
  );
}
