import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendProblem } from './problems.js';

/** How much of the server one request body, one caller and everyone together may hold at a time. */
export interface RequestLimits {
  /** Request body bytes one caller (its API key; an anonymous caller by address) may have in flight at once. */
  inFlightBytesPerCaller: number;
  /** Request body bytes in flight at once over all callers of this process. */
  inFlightBytesTotal: number;
  /** How long a request's body may take to arrive, from when the registry starts to read it. */
  bodyTimeoutMs: number;
}

const MiB = 1024 * 1024;

/**
 * A 31 MiB capture batch takes 0.5 to 0.8 GB of memory while it is parsed, prepared and written (measured:
 * docs/operations.md, "Request limits"): one such batch at once per caller, two at once per process.
 */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  inFlightBytesPerCaller: 32 * MiB,
  inFlightBytesTotal: 64 * MiB,
  bodyTimeoutMs: 30_000,
};

/**
 * The largest body any route takes: a capture batch (routes/events.ts). A caller's limit below it would refuse such
 * a batch always.
 */
export const LARGEST_BODY = 32 * MiB;

/**
 * Bounds the request bodies in flight, per caller and in total, counted as their declared size (Content-Length; a
 * chunked body as the route's limit). Decided before the body is read, after authentication (so that a caller is
 * its key); the share is given back when the exchange ends however it ends (answered, aborted, failed). Excess is
 * refused at once (429 for the caller's share, 503 for the server's) with Retry-After, rather than queued: a queue
 * would hold the connections, and the bytes the clients have already sent, all the same.
 */
export function installInFlightLimits(app: FastifyInstance, limits: RequestLimits) {
  const byCaller = new Map<string, number>();
  let total = 0;
  app.addHook('onRequest', async (request, reply) => {
    const bytes = declaredBodyBytes(request);
    if (bytes === 0) return;
    const caller = request.caller ? `key ${request.caller.keyId}` : `address ${request.ip}`;
    const callers = byCaller.get(caller) ?? 0;
    if (callers + bytes > limits.inFlightBytesPerCaller) {
      return sendProblem(
        request,
        reply,
        429,
        'too-much-in-flight',
        `${request.caller ? 'this API key' : 'this address'} has ${mib(callers)} of request bodies in flight ` +
          `and may have ${mib(limits.inFlightBytesPerCaller)} at once; this one declares ${mib(bytes)}`,
      );
    }
    if (total + bytes > limits.inFlightBytesTotal) {
      return sendProblem(
        request,
        reply,
        503,
        'server-busy',
        `the registry has ${mib(total)} of request bodies in flight and takes ${mib(limits.inFlightBytesTotal)} at ` +
          `once; this one declares ${mib(bytes)}`,
      );
    }
    byCaller.set(caller, callers + bytes);
    total += bytes;
    // 'close' comes once the answer is sent or the connection is gone, whichever way the request ended.
    reply.raw.once('close', () => {
      total -= bytes;
      const left = byCaller.get(caller)! - bytes;
      if (left === 0) byCaller.delete(caller);
      else byCaller.set(caller, left);
    });
  });
}

/**
 * Answers 408 to a body that has not fully arrived within the limit (a client that sent part of it and stalled),
 * and closes the connection (sendProblem). The body is read through a stream of ours that fails when time is up,
 * so the answer takes Fastify's usual error path; bodies that came with their headers need no guard.
 */
export function installBodyTimeout(app: FastifyInstance, limits: RequestLimits) {
  app.addHook('preParsing', async (request, reply, payload) => {
    if (request.raw.complete || declaredBodyBytes(request) === 0) return payload;
    const guarded = new PassThrough();
    const timer = setTimeout(() => {
      payload.unpipe(guarded);
      guarded.destroy(new BodyTimeout(limits.bodyTimeoutMs));
    }, limits.bodyTimeoutMs);
    payload.once('end', () => clearTimeout(timer));
    reply.raw.once('close', () => clearTimeout(timer));
    // Answered before the body was read (415, 413, a parse error): the rest of the body is drained, as Node does
    // for an unread body. Left piped into a stream nobody reads, it would stall the connection's next request.
    reply.raw.once('finish', () => {
      if (payload.readableEnded) return;
      payload.unpipe(guarded);
      payload.resume();
    });
    return payload.pipe(guarded);
  });
  // Node's own limit on receiving a whole request stays as a backstop, for bodies the registry never reads (say
  // after a 401): its bare 408 closes such a connection. Node checks it every 30 s or so.
  app.server.requestTimeout = limits.bodyTimeoutMs + 10_000;
  app.server.headersTimeout = Math.min(app.server.headersTimeout, app.server.requestTimeout);
}

/** The body did not arrive in time: handled in problems.ts as a 408 problem. */
export class BodyTimeout extends Error {
  readonly statusCode = 408;
  readonly code = 'ROBOTID_BODY_TIMEOUT';
  constructor(ms: number) {
    super(`the request body did not arrive within ${ms / 1000} s`);
  }
}

/** What a request's body may hold: its Content-Length, or with chunked encoding all the route takes. */
function declaredBodyBytes(request: FastifyRequest): number {
  const limit = request.routeOptions.bodyLimit ?? LARGEST_BODY;
  const length = request.headers['content-length'];
  if (length !== undefined) {
    const bytes = Number(length);
    return Number.isSafeInteger(bytes) && bytes >= 0 ? Math.min(bytes, limit) : limit;
  }
  return request.headers['transfer-encoding'] === undefined ? 0 : limit;
}

const mib = (bytes: number) => (bytes < MiB ? `${bytes} bytes` : `${(bytes / MiB).toFixed(1)} MiB`);
