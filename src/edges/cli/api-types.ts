/**
 * Names for the shapes the CLI sends and reads where a function of its own takes them, all taken from the client
 * types generated from openapi.json (generated/openapi.ts, `npm run openapi`): the CLI depends on the published
 * contract, not on the server's code. Each call's own types come from openapi-fetch (client.ts).
 */
import type { components, paths } from './generated/openapi.js';

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** The JSON body of a route's answer with `status` (200 unless named). */
type Answer<P extends keyof paths, M extends Method, S extends number = 200> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': infer B } } };
}
  ? B
  : never;
/** The JSON body a route takes. */
export type RequestBody<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;
/** The query parameters a route takes. */
export type Query<P extends keyof paths, M extends Method = 'get'> = paths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;

export type Me = Answer<'/v1/me', 'get'>;
export type Robot = components['schemas']['Robot'];
export type IssueResult = Answer<'/v1/ids', 'post', 201>;

/** One event as `POST /v1/events` declares it: an object (each type's fields: docs/lifecycle.md). */
export type IncomingEvent = RequestBody<'/v1/events', 'post'>['events'][number];
/** `GS1-Capture-Error-Behaviour`: all or nothing (`rollback`), or the good events and a report of the bad. */
export type CaptureMode = NonNullable<
  NonNullable<paths['/v1/events']['post']['parameters']['header']>['gs1-capture-error-behaviour']
>;
/** The answer of `POST /v1/events`; in rollback mode a refused batch is a problem document with `results`. */
export type CaptureResult = Answer<'/v1/events', 'post'>;
export type EventResult = CaptureResult['results'][number];
export type EventProblem = NonNullable<EventResult['problem']>;
/** `GET /v1/robots/:id/events`. */
export type History = Answer<'/v1/robots/{id}/events', 'get'>;
export type HistoryEntry = History['events'][number];
/** `GET /v1/organisations/:orgId/compliance`. */
export type ComplianceReport = Answer<'/v1/organisations/{orgId}/compliance', 'get'>;
/** A recall campaign (`GET /v1/recalls/:number`). */
export type Recall = Answer<'/v1/recalls/{number}', 'get'>;
/** An incident as the API shows it to the caller (fields it may not see are absent). */
export type Incident = Answer<'/v1/incidents/{id}', 'get'>;
/** An EPCIS capture job (`POST /epcis/capture`, `GET /epcis/capture/{captureID}`). */
export type EpcisCaptureJob = Answer<'/epcis/capture', 'post', 202>;
export type EpcisCaptureError = EpcisCaptureJob['errors'][number];
/** `GET /epcis/events`'s query parameters, as the binding names them. */
export type EpcisEventsQuery = Query<'/epcis/events'>;
/** Why a capture job did not record an event (or, without an index, anything). */
export type EpcisJobProblem = NonNullable<EpcisCaptureError['problem']>;
