/** The response shapes the CLI reads: the server's own schemas, so the two cannot drift apart. */
import type { Static } from 'typebox';
import type * as S from '../http/schemas.js';
import type { IncomingEvent as IncomingEventSchema } from '../../app/event-schemas.js';
// The lifecycle routes keep their response schemas private; these are the types those schemas are written from.
import type {
  CaptureResult as CaptureResultShape,
  EventProblem as EventProblemShape,
  EventResult as EventResultShape,
} from '../../app/capture/index.js';
import type { HistoryEntry as HistoryEntryShape } from '../../app/robots.js';
import type {
  ReadAuditLine as ReadAuditLineShape,
  RobotRead as RobotReadShape,
} from '../../app/read-audit-queries.js';
import type { RobotSummary as RobotSummaryShape } from '../../store/store.js';
import type { ComplianceRun as ComplianceRunShape } from '../../app/compliance/check.js';
import type { ComplianceReport as ComplianceReportShape } from '../../app/compliance/report.js';

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
export type IncomingEvent = Static<typeof IncomingEventSchema>;
/** The answer of `POST /v1/events`; in rollback mode a refused batch is a problem document with `results`. */
export type CaptureResult = CaptureResultShape;
export type EventResult = EventResultShape;
export type EventProblem = EventProblemShape;
/** `GET /v1/robots/:id/events`. */
export type HistoryEntry = HistoryEntryShape;
export interface History {
  robotId: string;
  state: string;
  access: Robot['access'];
  events: HistoryEntry[];
}
/** An item of `GET /v1/robots`. */
export type RobotSummary = RobotSummaryShape;
/** An item of `GET /v1/robots/:id/reads`. */
export type RobotRead = RobotReadShape;
/** An item of `GET /v1/read-audit`. */
export type ReadAuditLine = ReadAuditLineShape;
/** `GET /v1/organisations/:orgId/compliance`. */
export type ComplianceReport = ComplianceReportShape;
/** `POST /v1/compliance/runs`. */
export type ComplianceRun = ComplianceRunShape;
