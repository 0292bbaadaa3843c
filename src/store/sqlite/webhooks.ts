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

export function getSubscription(c: Connection, id: string): SubscriptionRecord | null {
  const row = c.stmt('SELECT * FROM subscriptions WHERE id = ?').get(id) as SubscriptionRow | undefined;
  return row ? toSubscription(row) : null;
}

export function listSubscriptions(c: Connection, orgId: string | null): SubscriptionRecord[] {
  const rows = (
    orgId === null
      ? c.stmt('SELECT * FROM subscriptions WHERE deleted_at IS NULL ORDER BY created_at, id').all()
      : c
          .stmt('SELECT * FROM subscriptions WHERE org_id = ? AND deleted_at IS NULL ORDER BY created_at, id')
          .all(orgId)
  ) as SubscriptionRow[];
  return rows.map(toSubscription);
}

export function insertSubscription(c: Connection, s: SubscriptionRecord): void {
  c.stmt(
    `INSERT INTO subscriptions (id, org_id, url, topics, secret_sealed, created_at, deleted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(...subscriptionValues(s));
}

export function deleteSubscription(c: Connection, id: string, at: string): boolean {
  return (
    c.stmt('UPDATE subscriptions SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(at, id)
      .changes > 0
  );
}

export function insertDeliveries(c: Connection, deliveries: NewDelivery[]): void {
  const insert = c.stmt(
    `INSERT INTO deliveries (id, seq, subscription_id, org_id, notice_id, state, attempts, next_attempt_at,
       created_at, updated_at, last_status, last_error)
     VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM deliveries), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (subscription_id, notice_id) DO NOTHING`,
  );
  for (const d of deliveries) insert.run(d.id, ...deliveryValues(d));
}

export function getDelivery(c: Connection, id: string): DeliveryRecord | null {
  const row = c.stmt('SELECT * FROM deliveries WHERE id = ?').get(id) as DeliveryRow | undefined;
  return row ? toDelivery(row) : null;
}

export function listDeliveries(
  c: Connection,
  filter: DeliveryFilter,
  page: PageRequest,
): Page<DeliveryRecord> {
  const { where, values } = deliveryWhere(filter, page.after, () => '?');
  const rows = c
    .stmt(`SELECT * FROM deliveries WHERE ${where} ORDER BY seq LIMIT ?`)
    .all(...values, page.limit + 1) as DeliveryRow[];
  return toDeliveryPage(rows, page.limit);
}

export function claimDueDeliveries(
  c: Connection,
  now: string,
  leaseUntil: string,
  limit: number,
): DeliveryRecord[] {
  const rows = c
    .stmt(
      `UPDATE deliveries SET next_attempt_at = ?
       WHERE id IN (SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ?
                    ORDER BY next_attempt_at, seq LIMIT ?)
       RETURNING *`,
    )
    .all(leaseUntil, now, limit) as DeliveryRow[];
  return rows.map(toDelivery).sort(byDue);
}

export function updateDelivery(c: Connection, id: string, u: DeliveryUpdate): void {
  c.stmt(
    `UPDATE deliveries SET state = ?, attempts = ?, next_attempt_at = ?, updated_at = ?, last_status = ?,
       last_error = ? WHERE id = ?`,
  ).run(u.state, u.attempts, u.nextAttemptAt, u.updatedAt, u.lastStatus, u.lastError, id);
}

export function insertDeliveryAttempt(c: Connection, a: DeliveryAttempt): void {
  c.stmt(
    'INSERT INTO delivery_attempts (delivery_id, attempt, at, duration_ms, status, error) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(a.deliveryId, a.attempt, a.at, a.durationMs, a.status, a.error);
}

export function listDeliveryAttempts(c: Connection, deliveryId: string): DeliveryAttempt[] {
  const rows = c
    .stmt('SELECT * FROM delivery_attempts WHERE delivery_id = ? ORDER BY attempt')
    .all(deliveryId) as DeliveryAttemptRow[];
  return rows.map(toDeliveryAttempt);
}

export function endPendingDeliveries(c: Connection, subscriptionId: string, at: string, error: string): void {
  c.stmt(
    `UPDATE deliveries SET state = 'dead', next_attempt_at = NULL, updated_at = ?, last_error = ?
     WHERE subscription_id = ? AND state = 'pending'`,
  ).run(at, error, subscriptionId);
}
