import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { DOCS_UI } from './docs-ui.js';
import type { FastifyBaseLogger, FastifySchema } from 'fastify';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { installAuthentication } from './auth.js';
import { installCors } from './cors.js';
import {
  DEFAULT_REQUEST_LIMITS,
  installBodyTimeout,
  installInFlightLimits,
  type RequestLimits,
} from './limits.js';
import { installReadScope, READ_AFTER_HEADER } from './read-scope.js';
import { installProblemHandlers } from './problems.js';
import { PURPOSE_HEADER_DOC, PURPOSE_HEADER_KEY } from './purpose.js';
import { complianceRoutes } from './routes/compliance.js';
import { CONSOLE_PATH, consoleRoutes } from './routes/console.js';
import { credentialRoutes } from './routes/credentials.js';
import { eventRoutes } from './routes/events.js';
import { epcisCaptureRoutes, type EpcisCaptureOptions } from './routes/epcis/capture.js';
import { eventTypeRoutes } from './routes/event-types.js';
import { healthRoutes } from './routes/health.js';
import { incidentRoutes } from './routes/incidents.js';
import { labelSheetRoutes } from './routes/label-sheets.js';
import { landingRoutes } from './routes/landing.js';
import { logRoutes } from './routes/log.js';
import { meRoutes } from './routes/me.js';
import { modelRoutes } from './routes/models.js';
import { notificationRoutes } from './routes/notifications.js';
import { organisationRoutes } from './routes/organisations.js';
import { passportRoutes } from './routes/passport.js';
import { passkeyRoutes } from './routes/passkeys.js';
import { peopleRoutes, User } from './routes/people.js';
import { personRoutes } from './routes/persons.js';
import { readAuditRoutes } from './routes/read-audit.js';
import { recallRoutes } from './routes/recalls.js';
import { resolveRoutes } from './routes/resolve.js';
import { robotRoutes } from './routes/robots.js';
import { serviceRoutes } from './routes/service.js';
import { robotGs1KeyRoutes } from './routes/epcis/robot-gs1-keys.js';
import { epcisNamedQueryRoutes } from './routes/epcis/queries.js';
import { epcisQueryRoutes } from './routes/epcis/query.js';
import { todoRoutes } from './routes/todo.js';
import { sessionRoutes } from './routes/session.js';
import { installCookies } from './session-cookie.js';
import { EPCIS_SCHEMAS } from '../../domain/epcis/document-schema.js';
import { ApiKey, Model, Organisation, Problem, Robot, problemResponses } from './schemas.js';
import { installTextChecks } from './text.js';
import { validatorCompiler } from './validation.js';
import { MAX_PARAM_LENGTH, clientErrorHandler, frameworkErrors } from './wire-errors.js';
import { buildCachedSerializer } from './serializers.js';

export const API_VERSION = '0.1.0';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request reached the registry. */
    receivedAt: number;
  }
}

/** Schema-validated bodies; prototype poisoning attempts are refused, not parsed. */
const JSON_PARSING = { onProtoPoisoning: 'error', onConstructorPoisoning: 'error' } as const;

export interface ServerOptions {
  logger?: FastifyServerOptions['logger'];
  /** A logger made by the caller (the process's own, main/logging.ts), in place of `logger`'s options. */
  loggerInstance?: FastifyBaseLogger;
  /** Serve the interactive API docs at /docs (off in tests for speed). */
  docsUi?: boolean;
  /** Request bodies in flight and their receive timeout (limits.ts); the defaults where not given. */
  limits?: Partial<RequestLimits>;
  /**
   * Reverse proxies whose X-Forwarded-For gives the client's address (Fastify's trustProxy: true, or addresses
   * or CIDRs separated by commas); none by default.
   */
  trustProxy?: boolean | string;
  /** The registry console's address, linked from the landing page: its own /console/ unless given. */
  consoleUrl?: string;
  /** The built console it serves at /console/ (routes/console.ts); dist-console/ unless given. */
  consoleDir?: string;
  /** EPCIS capture settings (routes/epcis/capture.ts); the defaults where not given. */
  epcisCapture?: EpcisCaptureOptions;
}

/** The HTTP edge: routes are thin, every rule lives in the use cases below them. */
export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: options.logger ?? false }),
    bodyLimit: 256 * 1024,
    ...JSON_PARSING,
    requestIdHeader: 'x-request-id',
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
    clientErrorHandler,
    schemaController: { compilersFactory: { buildSerializer: buildCachedSerializer } },
  });
  app.setValidatorCompiler(validatorCompiler);
  // The API speaks JSON only; a text body is a client mistake, answered 415 rather than a confusing 400.
  app.removeContentTypeParser('text/plain');
  installTextChecks(app, JSON_PARSING);
  installProblemHandlers(app);
  for (const schema of [Problem, Organisation, ApiKey, Model, Robot, User, ...EPCIS_SCHEMAS])
    app.addSchema(schema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'robotid registry API',
        version: API_VERSION,
        description:
          'National lifecycle registry for humanoid robots. Errors are RFC 9457 problem documents. With a read ' +
          'replica, a write answers with a `RobotID-Commit-Position` header; send it back as `RobotID-Read-After` ' +
          'on reads through any server process to see that write (docs/api.md).',
        // As package.json: no licence is granted.
        license: { name: 'UNLICENSED' },
      },
      // Relative: the API is where this document was fetched from, whatever address that was (so /docs works
      // from http://127.0.0.1:8080 as from the public URL). A client generated from it is given its base URL.
      servers: [{ url: '/', description: 'The registry that serves this document' }],
      tags: TAGS,
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'rid_<key id>_<secret>',
            description: 'An organisation’s API key (docs/api.md, Authentication)',
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'robotid_session',
            description:
              'A person signed in (POST /v1/session; docs/people.md). Changes need an Origin of the registry itself.',
          },
        },
      },
    },
    // Every operation takes RobotID-Read-After (read-scope.ts reads it before routing), every read RobotID-Purpose
    // (purpose.ts, recorded in the read audit): documented on each. A route that declares no security is public.
    transform: ({ schema, url, route }) => ({
      schema: withCommonResponses(
        withCommonHeaders(withSecurity(schema), isRead(route.method)),
        takesBody(route.method),
      ),
      url,
    }),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) ?? `def-${i}`,
    },
  });
  if (options.docsUi) await app.register(swaggerUi, DOCS_UI);

  // W3C Server Timing: how long the registry itself took, so a client can tell it from the network's share.
  // (Fastify's own reply.elapsedTime is 0 unless a logger or an onResponse hook is installed.) Not on a failed
  // authentication (401): its time is nobody's business, and could tell which key IDs exist.
  app.decorateRequest('receivedAt', 0);
  app.addHook('onRequest', async (request) => {
    request.receivedAt = performance.now();
  });
  app.addHook('onSend', async (request, reply) => {
    if (reply.statusCode === 401) return;
    reply.header('server-timing', `app;dur=${(performance.now() - request.receivedAt).toFixed(2)}`);
  });
  // After the clock starts (a preflight is answered in this hook), before authentication (whose 401 must carry
  // the CORS headers for a page to read it).
  await installCors(app);
  installReadScope(app);
  await installCookies(app);
  installAuthentication(app, ctx);
  const limits = { ...DEFAULT_REQUEST_LIMITS, ...options.limits };
  installInFlightLimits(app, limits);
  installBodyTimeout(app, limits);
  landingRoutes(app, { consoleUrl: options.consoleUrl ?? CONSOLE_PATH });
  await consoleRoutes(app, { dir: options.consoleDir });
  healthRoutes(app, ctx);
  meRoutes(app, ctx);
  sessionRoutes(app, ctx);
  peopleRoutes(app, ctx);
  passkeyRoutes(app, ctx);
  credentialRoutes(app, ctx);
  organisationRoutes(app, ctx);
  personRoutes(app, ctx);
  modelRoutes(app, ctx);
  robotRoutes(app, ctx);
  labelSheetRoutes(app, ctx);
  eventRoutes(app, ctx);
  await epcisCaptureRoutes(app, ctx, options.epcisCapture);
  eventTypeRoutes(app, ctx);
  serviceRoutes(app, ctx);
  robotGs1KeyRoutes(app, ctx);
  readAuditRoutes(app, ctx);
  notificationRoutes(app, ctx);
  recallRoutes(app, ctx);
  incidentRoutes(app, ctx);
  resolveRoutes(app, ctx);
  logRoutes(app, ctx);
  passportRoutes(app, ctx);
  complianceRoutes(app, ctx);
  todoRoutes(app, ctx);
  epcisQueryRoutes(app, ctx);
  epcisNamedQueryRoutes(app, ctx);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}

/** The operations' groups, as /docs shows them. */
const TAGS = [
  { name: 'robot IDs', description: 'Issuing robot IDs to manufacturers' },
  {
    name: 'robots',
    description: 'Robot records, labels, passports and the QR resolver, cut to what the caller may see',
  },
  { name: 'lifecycle events', description: 'Reporting what happens to a robot, and reading its history' },
  {
    name: 'EPCIS',
    description:
      'GS1 EPCIS 2.0 (REST binding) under /epcis: capture of EPCIS documents as lifecycle events, and queries of ' +
      'the events you may see (docs/epcis.md)',
  },
  { name: 'models', description: 'Robot models under manufacturers’ enterprise codes' },
  { name: 'organisations', description: 'Organisations admitted to the registry and their roles' },
  { name: 'api keys', description: 'Organisations’ API keys and who a key acts for' },
  { name: 'people', description: 'Users of organisations: invitations, roles, console sign-in and sessions' },
  { name: 'persons', description: 'Natural persons who own robots, and their sealed personal data' },
  { name: 'recalls', description: 'Recall campaigns and the remedy state of each affected robot' },
  { name: 'incidents', description: 'Reported incidents, their triage and trends' },
  { name: 'notifications', description: 'Webhook subscriptions and their deliveries' },
  { name: 'read audit', description: 'Who read which non-public data, and why' },
  { name: 'compliance', description: 'Reporting deadlines and the compliance rules' },
  {
    name: 'transparency log',
    description:
      'The C2SP/RFC 6962 transparency log: key, checkpoints, proofs, leaves and proof bundles. Its tiles are ' +
      'served at `/tlog/tile/<L>/<N>[.p/<W>]` and `/tlog/tile/entries/<N>[.p/<W>]` as C2SP tlog-tiles defines ' +
      'them (`application/octet-stream`, immutable; entry bundles gzipped on request), next to ' +
      '`/tlog/checkpoint`; they are not listed as operations because a tile name spans several path segments.',
    externalDocs: { url: 'https://c2sp.org/tlog-tiles' },
  },
  { name: 'operations', description: 'Liveness and readiness probes' },
];

const isRead = (method: string | string[]) => [method].flat().some((m) => m === 'GET' || m === 'HEAD');
/** Fastify reads a body (and applies its size limit and parsers) for these methods only. */
const takesBody = (method: string | string[]) =>
  [method].flat().some((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m));

/**
 * Answers any request can get, whichever the operation: 400 (a path that does not decode, a bad RobotID-Purpose),
 * 401 (a bad key: the key is checked on every route), 408 (too slow to arrive), 414 (a path parameter over the
 * limit), 429 (the caller's request bodies in flight over its share: any request that declares a body), 431
 * (request line and headers over 16 KiB), 500, 503 (the store busy or unreachable, the server's bodies in flight
 * over its limit; Retry-After); with a body also 413 (over the route's limit) and 415 (not JSON). All problem
 * documents.
 */
const COMMON_STATUSES = [400, 401, 408, 414, 429, 431, 500, 503];
const BODY_STATUSES = [413, 415];

function withCommonResponses(schema: FastifySchema, body: boolean): FastifySchema {
  if (!schema || (schema as { hide?: boolean }).hide) return schema;
  const declared = (schema.response ?? {}) as Record<string, unknown>;
  const statuses = [...COMMON_STATUSES, ...(body ? BODY_STATUSES : [])].filter((s) => !(s in declared));
  return { ...schema, response: { ...declared, ...problemResponses(...statuses) } };
}

/**
 * Public unless the route says otherwise: `security: []` (no key needed; a key sent must still be valid). Wherever
 * an API key is accepted, so is a person's session cookie (auth.ts).
 */
function withSecurity(schema: FastifySchema): FastifySchema {
  if (!schema || (schema as { hide?: boolean }).hide) return schema;
  if (!('security' in schema)) return { ...schema, security: [] } as FastifySchema;
  const security = (schema as { security: Record<string, string[]>[] }).security;
  if (!security.some((s) => 'apiKey' in s)) return schema;
  return { ...schema, security: [...security, { session: [] }] } as FastifySchema;
}

/**
 * A route's documented schema with the optional request headers every operation takes added to its headers:
 * RobotID-Read-After, and on reads RobotID-Purpose.
 */
function withCommonHeaders(schema: FastifySchema, read: boolean): FastifySchema {
  if (!schema || (schema as { hide?: boolean }).hide) return schema;
  const headers = (schema.headers ?? { type: 'object', properties: {} }) as {
    properties?: Record<string, unknown>;
  };
  return {
    ...schema,
    headers: {
      ...headers,
      properties: {
        ...headers.properties,
        [READ_AFTER_HEADER]: {
          type: 'string',
          description:
            'A RobotID-Commit-Position from an earlier answer: this request sees that write (with a read replica).',
        },
        ...(read ? { [PURPOSE_HEADER_KEY]: PURPOSE_HEADER_DOC } : {}),
      },
    },
  };
}
