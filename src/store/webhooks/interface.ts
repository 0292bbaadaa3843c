/**
 * Webhook subscriptions, deliveries and their attempts. Records, and this area's part of the store interface
 * (composed in ../store.ts).
 */
import type { NoticeTopic } from '../../domain/safety/notices.js';
import type { Page, PageRequest } from '../page.js';

/** An organisation's webhook: the notices of these topics that concern it are sent to `url`. */
export interface SubscriptionRecord {
  id: string;
  orgId: string;
  url: string;
  topics: NoticeTopic[];
  /** The signing secret, sealed under the webhook key (src/app/notifications/secrets.ts). */
  secretSealed: Buffer;
  createdAt: string;
  /** Removed: nothing more is sent; kept for its deliveries' history. */
  deletedAt: string | null;
}

export type DeliveryState = 'pending' | 'delivered' | 'dead';

/** One notice to one subscription: sent until the receiver answers 2xx, or dead after the last attempt. */
export interface DeliveryRecord {
  /** Stable across retries: the webhook-id header, the receiver's key for de-duplication. */
  id: string;
  /** Its place in the order deliveries were created (pages continue after it). */
  seq: number;
  subscriptionId: string;
  orgId: string;
  noticeId: number;
  state: DeliveryState;
  attempts: number;
  /** When pending: when it is due (or, while an attempt runs, when that attempt's claim lapses). */
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  lastStatus: number | null;
  lastError: string | null;
}

export type NewDelivery = Omit<DeliveryRecord, 'seq'>;

/** What a delivery becomes after an attempt or a redelivery. */
export type DeliveryUpdate = Pick<
  DeliveryRecord,
  'state' | 'attempts' | 'nextAttemptAt' | 'updatedAt' | 'lastStatus' | 'lastError'
>;

/** One attempt at a delivery, as the delivery log records it. */
export interface DeliveryAttempt {
  deliveryId: string;
  /** 1 for the first. */
  attempt: number;
  at: string;
  durationMs: number;
  /** The receiver's HTTP status, if it answered. */
  status: number | null;
  /** Why the attempt failed without a status (refused, timed out…). */
  error: string | null;
}

/** Delivery search; every field narrows. */
export interface DeliveryFilter {
  orgId?: string;
  subscriptionId?: string;
  state?: DeliveryState;
}

export interface WebhookReader {
  getSubscription(id: string): Promise<SubscriptionRecord | null>;
  /** Subscriptions not removed, of one organisation (or all: null), oldest first. */
  listSubscriptions(orgId: string | null): Promise<SubscriptionRecord[]>;
  getDelivery(id: string): Promise<DeliveryRecord | null>;
  /** Deliveries in creation order, after `page.after` (a seq). */
  listDeliveries(filter: DeliveryFilter, page: PageRequest): Promise<Page<DeliveryRecord>>;
  /** A delivery's attempts, first first. */
  listDeliveryAttempts(deliveryId: string): Promise<DeliveryAttempt[]>;
}

export interface WebhookWriter {
  insertSubscription(subscription: SubscriptionRecord): Promise<void>;
  /** Marks it removed; false if there was no such subscription not removed yet. */
  deleteSubscription(id: string, at: string): Promise<boolean>;
  /** Appends deliveries, each given the next seq; one already there for the same subscription and notice is kept. */
  insertDeliveries(deliveries: NewDelivery[]): Promise<void>;
  /**
   * Pending deliveries due at `now` (at most `limit`, the longest due first), their due time moved to `leaseUntil`:
   * no other claim takes them while an attempt runs, and a crash mid-attempt leaves them due again then.
   */
  claimDueDeliveries(now: string, leaseUntil: string, limit: number): Promise<DeliveryRecord[]>;
  updateDelivery(id: string, update: DeliveryUpdate): Promise<void>;
  insertDeliveryAttempt(attempt: DeliveryAttempt): Promise<void>;
  /** Ends a removed subscription's pending deliveries as dead, with `error` as the reason. */
  endPendingDeliveries(subscriptionId: string, at: string, error: string): Promise<void>;
}
