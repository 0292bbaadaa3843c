/**
 * Errors Fastify and Node answer before any route runs: a path that does not decode, a path parameter over the
 * limit, a request line or headers over Node's size limit, bytes that are not HTTP. Each is an RFC 9457 problem
 * like every other error, and none echoes the (possibly huge) input.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { PROBLEM_MEDIA_TYPE, problemTitle, problemType, sendProblem } from './problems.js';

/** The longest path parameter the router takes (Fastify's maxParamLength); longer ones are 414. */
export const MAX_PARAM_LENGTH = 200;

/** Fastify's `frameworkErrors`: routing faults as problems. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return sendProblem(request, reply, 400, 'bad-url', 'the path has a percent-encoding that is not UTF-8');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return sendProblem(
        request,
        reply,
        414,
        'uri-too-long',
        `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`,
      );
    default:
      request.log.error({ err: error }, 'framework error');
      return sendProblem(request, reply, 500, 'internal-error', 'the registry failed to route this request');
  }
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers-too-large', 'the request line and headers exceed 16 KiB'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request-timeout', 'the request did not arrive in time'],
};

/**
 * Node's 'clientError' (Fastify's `clientErrorHandler`): the request could not be parsed, so no route, hook or
 * reply exists; the answer is written to the socket by hand and the connection closed, as Node does.
 */
export const clientErrorHandler: FastifyServerOptions['clientErrorHandler'] = (error, socket: Socket) => {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ECONNRESET' || socket.destroyed) return;
  const [status, problem, detail] = CLIENT_ERRORS[code] ?? [
    400,
    'bad-request',
    'the request is not valid HTTP/1.1',
  ];
  const title = problemTitle(status);
  const body = JSON.stringify({ type: problemType(problem), title, status, detail });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: ${PROBLEM_MEDIA_TYPE}; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
};
