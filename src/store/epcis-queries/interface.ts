/**
 * EPCIS named queries and their subscriptions (the GS1 REST binding's /queries), with the results each streaming
 * subscription has to send. Records, and this area's part of the store interface (composed in ../store.ts).
 */

/** An organisation's named query: the GET /epcis/events parameters as given, under a name unique in the org. */
export interface EpcisQueryRecord {
  orgId: string;
  name: string;
  /** The parameters as the caller gave them (JSON object: strings with `|`, or arrays of strings). */
  params: Record<string, unknown>;
  createdAt: string;
  createdBy: string;
}

/**
 * A streaming subscription to a named query. Its id is that of the webhook subscription (../webhooks) it delivers
 * through: that row holds `dest` as its URL and the sealed signing secret, so deliveries, retries and the
 * delivery log are the webhooks' own.
 */
export interface EpcisSubscriptionRecord {
  id: string;
  orgId: string;
  queryName: string;
  /** The key that subscribed: deliveries are read as that key would read them. */
  keyId: string;
  /** The purpose stated when subscribing (regulators must state one), kept with each read. */
  purpose: string | null;
  /** Events recorded from this time on are sent (ISO 8601 UTC): the binding's initialRecordTime, else createdAt. */
  initialRecordTime: string;
  createdAt: string;
  deletedAt: string | null;
}

/** One stored event's matching EPCIS events for one subscription: the delivery's body, made at fan-out. */
export interface EpcisResultRecord {
  subscriptionId: string;
  /** The stored lifecycle event's seq (the delivery's noticeId for a query subscription). */
  eventSeq: number;
  /** The EPCISQueryDocument as sent (JSON). */
  body: string;
  createdAt: string;
}

export interface EpcisQueryReader {
  getEpcisQuery(orgId: string, name: string): Promise<EpcisQueryRecord | null>;
  /** An organisation's named queries, by name. */
  listEpcisQueries(orgId: string): Promise<EpcisQueryRecord[]>;
  getEpcisSubscription(id: string): Promise<EpcisSubscriptionRecord | null>;
  /**
   * Subscriptions not removed, of one organisation's query (or, both null, of every organisation, only those whose
   * webhook subscription is not removed either: what the fan-out serves), oldest first.
   */
  listEpcisSubscriptions(orgId: string | null, queryName: string | null): Promise<EpcisSubscriptionRecord[]>;
  getEpcisResult(subscriptionId: string, eventSeq: number): Promise<EpcisResultRecord | null>;
  /** The highest stored event seq (0 when none). */
  lastEventSeq(): Promise<number>;
}

export interface EpcisQueryWriter {
  /** False when the organisation already has a query of this name. */
  insertEpcisQuery(query: EpcisQueryRecord): Promise<boolean>;
  /** False when there was none. */
  deleteEpcisQuery(orgId: string, name: string): Promise<boolean>;
  insertEpcisSubscription(subscription: EpcisSubscriptionRecord): Promise<void>;
  /** Marks it removed; false if there was no such subscription not removed yet. */
  deleteEpcisSubscription(id: string, at: string): Promise<boolean>;
  /** Appends results; one already there for the same subscription and event is kept. */
  insertEpcisResults(results: EpcisResultRecord[]): Promise<void>;
}
