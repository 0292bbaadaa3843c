/**
 * The shapes the CLI sends and reads: the HTTP edge's own TypeBox schemas, so that the two cannot drift apart
 * (types only: the CLI reaches the server over the network).
 */
import type { Static } from 'typebox';
import type * as S from '../http/schemas.js';
import type * as Compliance from '../http/routes/compliance.js';
import type * as Events from '../http/routes/events.js';
import type * as Notifications from '../http/routes/notifications.js';
import type * as ReadAudit from '../http/routes/read-audit.js';
import type * as Robots from '../http/routes/robots.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Organisation = Static<typeof S.Organisation>;
export type ApiKey = Static<typeof S.ApiKey>;
export type NewApiKey = ApiKey & { token: string };
export type Me = { keyId: string; organisation: Organisation };
export type Model = Static<typeof S.Model>;
export type IssueResult = Static<typeof S.IssueResult>;
export type Robot = Static<typeof S.Robot>;

/** One event as `POST /v1/events` takes it. */
export type IncomingEvent = Static<typeof Events.IncomingEvent>;
/** The answer of `POST /v1/events`; in rollback mode a refused batch is a problem document with `results`. */
export type CaptureResult = Static<typeof Events.CaptureResult>;
export type EventResult = Static<typeof Events.EventResult>;
export type EventProblem = NonNullable<EventResult['problem']>;
/** `GET /v1/robots/:id/events`. */
export type History = Static<typeof Events.History>;
export type HistoryEntry = Static<typeof Events.HistoryEntry>;
/** An item of `GET /v1/robots`. */
export type RobotSummary = Static<typeof Robots.RobotSummary>;
/** An item of `GET /v1/robots/:id/reads`. */
export type RobotRead = Static<typeof ReadAudit.RobotRead>;
/** An item of `GET /v1/read-audit`. */
export type ReadAuditLine = Static<typeof ReadAudit.ReadAuditLine>;
/** `GET /v1/organisations/:orgId/compliance`. */
export type ComplianceReport = Static<typeof Compliance.Report>;
/** `POST /v1/compliance/runs`. */
export type ComplianceRun = Static<typeof Compliance.Run>;
/** `GET /v1/subscriptions` items; `POST` adds the secret, `DELETE` the time it was removed. */
export type Subscription = Static<typeof Notifications.Subscription>;
export type CreatedSubscription = Static<typeof Notifications.CreatedSubscription>;
export type RemovedSubscription = Static<typeof Notifications.RemovedSubscription>;
/** `GET /v1/deliveries` items; `GET /v1/deliveries/:id` adds the attempts' log. */
export type Delivery = Static<typeof Notifications.Delivery>;
export type DeliveryWithLog = Static<typeof Notifications.DeliveryWithLog>;
