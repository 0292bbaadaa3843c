/**
 * The transparency log over HTTP: its key, checkpoints, proofs, leaves, cosignatures, the C2SP tlog-tiles layout
 * under /tlog/, and robots' offline proof bundles. Log data is public; bundles and by-event proofs follow the
 * robot's history access.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../../app/access.js';
import type { AppContext } from '../../../app/context.js';
import { notFound } from '../../../domain/errors.js';
import { robotBundle } from '../../../app/log/bundle.js';
import { acceptsGzip } from '../encoding.js';
import { checkpointNote, signCheckpoint } from '../../../app/log/checkpoints.js';
import { addCosignatures } from '../../../app/log/cosignatures.js';
import {
  MAX_LEAVES_PER_REQUEST,
  consistency,
  inclusionByIndex,
  inclusionOfEvent,
  leaves,
  tlogTile,
} from '../../../app/log/proofs.js';
import { parseTilePath } from '../../../log/tlog-tiles.js';
import { Binary, RobotIdParam, problemResponses, withMediaType } from '../schemas.js';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipped = promisify(gzip);

const Closed = { additionalProperties: false } as const;
const Size = (description: string) =>
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });
const Hashes = Type.Array(Type.String({ description: 'base64 SHA-256' }));

const InclusionProof = Type.Object({
  leafIndex: Type.Integer(),
  treeSize: Type.Integer(),
  leafHash: Type.String({ description: 'base64 RFC 6962 leaf hash' }),
  proof: Hashes,
});

const TEXT = 'text/plain; charset=utf-8';

export function logRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['transparency log'];

  app.get(
    '/v1/log/key',
    {
      schema: {
        operationId: 'getLogKey',
        tags,
        summary:
          'The registry’s log verifier key (C2SP signed-note vkey): what checkpoints and bundles are checked with',
        response: { 200: withMediaType('text/plain', Type.String(), 'The vkey line') },
      },
    },
    async (_request, reply) => reply.type(TEXT).send(`${ctx.log.verifierKey}\n`),
  );

  const latestCheckpoint = async () => (await checkpointNote(ctx)) ?? (await signCheckpoint(ctx)).note;
  const checkpointRoutes = { '/v1/log/checkpoint': 'getCheckpoint', '/tlog/checkpoint': 'getTlogCheckpoint' };
  for (const [url, operationId] of Object.entries(checkpointRoutes)) {
    app.get(
      url,
      {
        schema: {
          operationId,
          tags,
          summary:
            'Latest signed checkpoint (C2SP tlog-checkpoint in a signed note), with witnesses’ cosignatures',
          response: { 200: withMediaType('text/plain', Type.String(), 'The signed note') },
        },
      },
      async (_request, reply) =>
        reply
          .type(TEXT)
          .header('cache-control', 'no-store')
          .send(await latestCheckpoint()),
    );
  }

  app.post(
    '/v1/log/checkpoints',
    {
      schema: {
        operationId: 'signCheckpoint',
        tags,
        summary: 'Sign a checkpoint now (no-op when the latest covers every leaf)',
        security: [{ apiKey: [] }],
        response: {
          201: Type.Object({ size: Type.Integer(), rootHash: Type.String(), note: Type.String() }),
          ...problemResponses(401, 503),
        },
      },
    },
    async (request, reply) => {
      requireActor(request.caller);
      const cp = await signCheckpoint(ctx);
      return reply.code(201).send({ size: cp.size, rootHash: cp.rootHash.toString('base64'), note: cp.note });
    },
  );

  app.post(
    '/v1/log/cosignatures',
    {
      schema: {
        operationId: 'addCosignatures',
        tags,
        summary: 'Hand in witnesses’ cosignatures: the checkpoint note with their cosignature lines added',
        body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 65536 }) }, Closed),
        response: {
          201: Type.Object({ size: Type.Integer(), witnesses: Type.Array(Type.String()) }),
          ...problemResponses(400, 409),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await addCosignatures(ctx, request.body.note)),
  );

  app.get(
    '/v1/log/proofs/inclusion',
    {
      schema: {
        operationId: 'getInclusionProof',
        tags,
        summary: 'Inclusion proof of a leaf, against a tree size (default: the latest checkpoint’s)',
        querystring: Type.Object(
          {
            leafIndex: Size('0-based leaf index'),
            treeSize: Type.Optional(Size('tree size to prove against')),
          },
          Closed,
        ),
        response: { 200: InclusionProof, ...problemResponses(400) },
      },
    },
    async (request) => inclusionByIndex(ctx, request.query.leafIndex, request.query.treeSize),
  );

  app.get(
    '/v1/robots/:id/events/:eventId/inclusion-proof',
    {
      schema: {
        operationId: 'getEventInclusionProof',
        tags,
        summary: 'Inclusion proof of one of a robot’s events (for those who may read its history)',
        security: [{ apiKey: [] }],
        params: Type.Object({
          ...RobotIdParam.properties,
          eventId: Type.String({ minLength: 1, maxLength: 100 }),
        }),
        querystring: Type.Object({ treeSize: Type.Optional(Size('tree size to prove against')) }, Closed),
        response: { 200: InclusionProof, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) =>
      inclusionOfEvent(
        ctx,
        request.caller,
        request.params.id,
        request.params.eventId,
        request.query.treeSize,
      ),
  );

  app.get(
    '/v1/log/proofs/consistency',
    {
      schema: {
        operationId: 'getConsistencyProof',
        tags,
        summary: 'Consistency proof between two tree sizes',
        querystring: Type.Object(
          { from: Size('older tree size (≥ 1)'), to: Size('newer tree size') },
          Closed,
        ),
        response: {
          200: Type.Object({ from: Type.Integer(), to: Type.Integer(), proof: Hashes }),
          ...problemResponses(400),
        },
      },
    },
    async (request) => consistency(ctx, request.query.from, request.query.to),
  );

  app.get(
    '/v1/log/leaves',
    {
      schema: {
        operationId: 'getLogLeaves',
        tags,
        summary: `Leaves [start, end), at most ${MAX_LEAVES_PER_REQUEST}: the public leaf text and its hash`,
        querystring: Type.Object({ start: Size('first leaf index'), end: Size('one past the last') }, Closed),
        response: {
          200: Type.Object({
            leaves: Type.Array(
              Type.Object({ index: Type.Integer(), leaf: Type.String(), leafHash: Type.String() }),
            ),
          }),
          ...problemResponses(400),
        },
      },
    },
    async (request) => ({ leaves: await leaves(ctx, request.query.start, request.query.end) }),
  );

  app.get(
    '/v1/robots/:id/proof-bundle',
    {
      schema: {
        operationId: 'getRobotProofBundle',
        tags,
        summary:
          'Offline proof bundle: the robot’s events with their inclusion proofs, a signed checkpoint, and the ' +
          'heads proof that none is missing',
        description:
          '`robotid-proof-bundle/v2` (docs/transparency-log.md, "Complete histories"). Check it with ' +
          '`robotid verify <file> --log-key <key>`: no network needed.',
        security: [{ apiKey: [] }],
        params: RobotIdParam,
        response: { 200: Type.Unknown(), ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const bundle = await robotBundle(ctx, request.caller, request.params.id);
      return reply
        .header('content-disposition', `attachment; filename="${bundle.robotId}.robotid-proof.json"`)
        .send(bundle);
    },
  );

  app.get(
    '/tlog/tile/*',
    {
      schema: {
        // Not in openapi.json: a tile's name spans a varying number of path segments (x001/x234/067.p/5), which
        // an OpenAPI path parameter cannot hold. C2SP tlog-tiles defines these paths; the tag's description
        // in server.ts points there.
        hide: true,
        tags,
        summary:
          'C2SP tlog-tiles: hash tiles tile/<L>/<N>[.p/<W>] and entry bundles tile/entries/<N>[.p/<W>]',
        response: {
          200: withMediaType('application/octet-stream', Binary, 'The tile’s bytes'),
          ...problemResponses(404),
        },
      },
    },
    async (request, reply) => {
      const tile = parseTilePath((request.params as { '*': string })['*']);
      const bytes = tile && (await tlogTile(ctx, tile));
      if (!tile || !bytes) throw notFound('no-such-tile', 'the log has no such tile (yet)');
      // A tile of a given width never changes (a wider one has another name): cacheable for good.
      reply.type('application/octet-stream').header('cache-control', 'public, max-age=31536000, immutable');
      if (tile.level !== 'entries') return reply.send(bytes);
      // Entry bundles are text-like (C2SP tlog-tiles: they SHOULD be compressed when the client accepts gzip).
      reply.header('vary', 'accept-encoding');
      if (!acceptsGzip(request.headers['accept-encoding'])) return reply.send(bytes);
      return reply.header('content-encoding', 'gzip').send(await gzipped(bytes));
    },
  );
}
