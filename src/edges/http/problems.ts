import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorKind, type FieldIssue } from '../../domain/errors.js';
import { requestIssues } from './validation.js';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  locked: 429,
  not_found: 404,
  gone: 410,
  conflict: 409,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const problemType = (code: string) => `urn:robotid:problem:${code}`;

/** The media type of every error the registry answers (RFC 9457). */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** A problem's `title`: the registry's wording where it has one, else Node's reason phrase. */
export const problemTitle = (status: number) => TITLES[status] ?? STATUS_CODES[status] ?? 'Error';

/** The longest request path a problem echoes as its `instance`: a longer one is left out, not echoed. */
const MAX_INSTANCE_LENGTH = 512;

const shortPath = (path: string) =>
  path.length <= MAX_INSTANCE_LENGTH ? path : `${path.slice(0, 64)}… (${path.length} characters)`;

const instanceOf = (request: FastifyRequest) =>
  request.url.length <= MAX_INSTANCE_LENGTH ? { instance: request.url } : {};

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  errors: FieldIssue[] = [],
  extensions: Record<string, unknown> = {},
) {
  if (status === 401) reply.header('WWW-Authenticate', 'Bearer realm="robotid"');
  // Too much at once (429) or not now (503): the client may try again in a second, or when the problem says (a
  // locked sign-in: `retryAfter` seconds).
  const retryAfter = typeof extensions.retryAfter === 'number' ? extensions.retryAfter : 1;
  if (status === 429 || status === 503) reply.header('Retry-After', String(retryAfter));
  // The rest of a request that timed out may still be on its way: the connection cannot carry another.
  if (status === 408) reply.header('Connection', 'close');
  return reply
    .code(status)
    .type(PROBLEM_MEDIA_TYPE)
    .send({
      type: problemType(code),
      title: problemTitle(status),
      status,
      detail,
      ...instanceOf(request),
      ...(errors.length > 0 ? { errors } : {}),
      ...extensions,
    });
}

/** Fastify's own errors (parsing, limits, media types) by their stable codes. */
const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed-json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed-json'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body-too-large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid-content-length'],
  ROBOTID_BODY_TIMEOUT: [408, 'body-timeout'], // limits.ts: a body that did not arrive in time
};

/** Every error leaves as an RFC 9457 problem document; nothing internal is leaked. */
export function installProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      return sendProblem(
        request,
        reply,
        STATUS[error.kind],
        error.code,
        error.message,
        error.fields,
        error.extensions,
      );
    }
    if (error.validation) {
      const errors = requestIssues(error.validation as never, error.validationContext);
      return sendProblem(
        request,
        reply,
        400,
        'validation-failed',
        'the request does not match the schema',
        errors,
      );
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) return sendProblem(request, reply, known[0], known[1], error.message);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(request, reply, error.statusCode, 'bad-request', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      request,
      reply,
      500,
      'internal-error',
      'the registry failed to handle this request; it has been logged',
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      404,
      'route-not-found',
      `no route ${request.method} ${shortPath(request.url.split('?')[0]!)}`,
    ),
  );
}
