import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { Type } from 'typebox';
import {
  getEpcisCaptureJob,
  kickCaptureJobs,
  listEpcisCaptureJobs,
  submitEpcisCapture,
  INLINE_EVENTS,
} from '../../../../app/epcis/capture.js';
import { MAX_BATCH } from '../../../../app/capture/index.js';
import type { AppContext } from '../../../../app/context.js';
import { LARGEST_BODY } from '../../limits.js';
import { sendProblem } from '../../problems.js';
import { problemResponses } from '../../schemas.js';
import { bodyText, checkedJsonParser } from '../../text.js';
import { validatorCompiler } from '../../validation.js';
import { EventResult, captureModeOf } from '../events.js';

/** What the binding's capture discovery (OPTIONS) and every /epcis answer advertise. */
export const EPCIS_VERSION = '2.0.0';
export const CBV_VERSION = '2.0.0';
export const CAPTURE_LIMIT = MAX_BATCH;
export const CAPTURE_FILE_SIZE_LIMIT = LARGEST_BODY;
const ERROR_BEHAVIOUR = 'gs1-capture-error-behaviour';
const JSON_LD = 'application/ld+json';

const Problem = EventResult.properties.problem;
export const CaptureJob = Type.Object(
  {
    captureID: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    finishedAt: Type.Optional(Type.String({ format: 'date-time' })),
    running: Type.Boolean({ description: 'Whether the job is still taking events' }),
    success: Type.Boolean({ description: 'Whether no event was rejected (so far)' }),
    captureErrorBehaviour: Type.String({ enum: ['rollback', 'proceed'] }),
    eventCount: Type.Integer({ description: 'Events in the document' }),
    accepted: Type.Integer({ description: 'Events recorded' }),
    duplicates: Type.Integer({ description: 'Events already recorded (a document sent again)' }),
    rejected: Type.Integer({ description: 'Events not recorded, each in errors with its reason' }),
    errors: Type.Array(
      Type.Object({
        index: Type.Optional(Type.Integer({ description: 'The event’s place in epcisBody.eventList' })),
        eventID: Type.Optional(Type.Union([Type.String(), Type.Null()])),
        problem: Type.Unsafe(Problem),
      }),
      { description: 'Events not recorded, or (without index) why the whole job failed' },
    ),
  },
  { $id: 'EpcisCaptureJob' },
);

const VersionHeaders = Type.Object({
  [ERROR_BEHAVIOUR]: Type.Optional(Type.String({ enum: ['rollback', 'proceed'] })),
  'gs1-epcis-version': Type.Optional(Type.String({ pattern: '^2(\\.[0-9]+){0,2}$' })),
  'gs1-cbv-version': Type.Optional(Type.String({ pattern: '^2(\\.[0-9]+){0,2}$' })),
});

/**
 * The document is checked by the capture itself (app/epcis/validate-document.ts: envelope, then each event under
 * its own index) rather than by the route's union schema, whose faults could not say which event type was meant.
 */
const bodyCheckedByCapture: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body' ? () => true : validatorCompiler(route);

export interface EpcisCaptureOptions {
  /** Documents of up to this many events are taken before the answer (INLINE_EVENTS unless given). */
  inlineEvents?: number;
}

/** The GS1 EPCIS 2.0 REST binding's capture interface, under /epcis (docs/epcis.md). */
export async function epcisCaptureRoutes(
  server: FastifyInstance,
  ctx: AppContext,
  options: EpcisCaptureOptions = {},
) {
  await server.register(async (scope) => {
    scope.addContentTypeParser(JSON_LD, { parseAs: 'buffer' }, checkedJsonParser(scope, JSON_PARSING));
    const limits = {
      'GS1-EPCIS-Capture-Limit': String(CAPTURE_LIMIT),
      'GS1-EPCIS-Capture-File-Size-Limit': String(CAPTURE_FILE_SIZE_LIMIT),
      'GS1-Capture-Error-Behaviour': 'rollback, proceed',
    };
    scope.addHook('onSend', async (request, reply) => {
      reply.header('GS1-EPCIS-Version', EPCIS_VERSION).header('GS1-CBV-Version', CBV_VERSION);
      // OPTIONS is answered by the CORS preflight handling (cors.ts) before any route: the discovery headers are
      // added to that answer here.
      if (request.method === 'OPTIONS' && request.url.split('?')[0] === '/epcis/capture') {
        reply.headers({ ...limits, Allow: 'OPTIONS, GET, POST' });
      }
    });
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();

    // The binding's discovery (OPTIONS /epcis/capture): answered 204 by the CORS handling, with the headers the
    // onSend hook above adds. Not listed in the API description: an OPTIONS never reaches authentication.
    app.options('/epcis/capture', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(204)
        .headers({ ...limits, Allow: 'OPTIONS, GET, POST' })
        .send(null),
    );

    app.post(
      '/epcis/capture',
      {
        bodyLimit: CAPTURE_FILE_SIZE_LIMIT,
        validatorCompiler: bodyCheckedByCapture,
        schema: {
          operationId: 'captureEpcis',
          tags: ['EPCIS'],
          summary: 'Capture an EPCIS 2.0 document (asynchronous: answers 202 with the capture job)',
          description:
            'An `EPCISDocument` as `application/ld+json` or `application/json`. A document that is not valid ' +
            'EPCIS 2.0 is 400 naming each fault by a JSON pointer; a valid one becomes a capture job ' +
            '(`Location: /epcis/capture/{captureID}`), in which each event is recorded as a lifecycle event or ' +
            'rejected with its reason. `GS1-Capture-Error-Behaviour`: `rollback` (default) records all events or ' +
            'none; `proceed` records the good ones. At most `GS1-EPCIS-Capture-Limit` events and ' +
            '`GS1-EPCIS-Capture-File-Size-Limit` bytes (OPTIONS /epcis/capture). Small documents are taken ' +
            'before the answer, larger ones in the background, in order (docs/epcis.md).',
          security: [{ apiKey: [] }],
          headers: VersionHeaders,
          body: {
            content: {
              [JSON_LD]: { schema: Type.Ref('EPCISDocument') },
              'application/json': { schema: Type.Ref('EPCISDocument') },
            },
          },
          response: {
            202: CaptureJob,
            ...problemResponses(400, 401, 403, 413, 415),
          },
        },
      },
      async (request, reply) => {
        const mode = captureModeOf(request.headers[ERROR_BEHAVIOUR]);
        const events = (request.body as { epcisBody?: { eventList?: unknown } } | null)?.epcisBody?.eventList;
        if (Array.isArray(events) && events.length > CAPTURE_LIMIT) {
          return sendProblem(
            request,
            reply,
            413,
            'capture-limit-exceeded',
            `the document has ${events.length} events; a capture takes at most ${CAPTURE_LIMIT} (GS1-EPCIS-Capture-Limit)`,
            [{ field: '/epcisBody/eventList', message: `has more than ${CAPTURE_LIMIT} events` }],
          );
        }
        const failed = (error: unknown) => request.log.error({ err: error }, 'EPCIS capture job failed');
        const job = await submitEpcisCapture(
          ctx,
          request.caller,
          request.body,
          mode,
          options.inlineEvents ?? INLINE_EVENTS,
          failed,
          bodyText(request.body),
        );
        if (job.running) void kickCaptureJobs(ctx, failed);
        return reply
          .code(202)
          .headers(limits)
          .header('Location', `/epcis/capture/${job.captureID}`)
          .send(job);
      },
    );

    app.get(
      '/epcis/capture',
      {
        schema: {
          operationId: 'listEpcisCaptureJobs',
          tags: ['EPCIS'],
          summary: 'The caller’s organisation’s capture jobs, newest first (the latest 100)',
          security: [{ apiKey: [] }],
          response: { 200: Type.Array(CaptureJob), ...problemResponses(401) },
        },
      },
      async (request) => listEpcisCaptureJobs(ctx, request.caller),
    );

    app.get(
      '/epcis/capture/:captureID',
      {
        schema: {
          operationId: 'getEpcisCaptureJob',
          tags: ['EPCIS'],
          summary: 'A capture job: running, success, and each event not recorded with its reason',
          security: [{ apiKey: [] }],
          params: Type.Object({ captureID: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 200: CaptureJob, ...problemResponses(401, 404) },
        },
      },
      async (request) => getEpcisCaptureJob(ctx, request.caller, request.params.captureID),
    );
  });
}

const JSON_PARSING = { onProtoPoisoning: 'error', onConstructorPoisoning: 'error' } as const;
