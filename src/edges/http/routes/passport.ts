/**
 * Robot passports (docs/passport.md), and what an SD-JWT VC wallet or verifier fetches to check one: the issuer
 * metadata with the key at the well-known path, the type metadata its `vct` names, the key as a JWK Set.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { robotPassport } from '../../../app/passport.js';
import { JWS_ALG, ed25519Jwk } from '../../../passport/jwk.js';
import { PASSPORT_CLAIMS, PASSPORT_TYP } from '../../../passport/passport.js';
import {
  PASSPORT_VCT_PATH,
  jwtVcIssuerMetadataPath,
  passportTypeMetadataDocument,
} from '../../../passport/vc-metadata.js';
import { RobotIdParam, problemResponses } from '../schemas.js';

/** SD-JWT VC's media type (draft-ietf-oauth-sd-jwt-vc, "Media Type"). */
const SD_JWT_VC_MEDIA_TYPE = 'application/dc+sd-jwt';
/** Metadata changes only with the key or the public URL: a day's caching, as the draft asks for a lifetime. */
const METADATA_CACHE = 'public, max-age=86400';

const Jwk = Type.Object({
  kty: Type.Literal('OKP'),
  crv: Type.Literal('Ed25519'),
  x: Type.String({ description: 'base64url of the raw Ed25519 public key' }),
  kid: Type.String({ description: '<key name>+<hex key ID>, as in the C2SP verifier key string' }),
  use: Type.Literal('sig'),
  alg: Type.Literal(JWS_ALG),
});
const JwkSet = Type.Object({ keys: Type.Array(Jwk) });

const IssuerMetadata = Type.Object(
  {
    issuer: Type.String({ description: 'The `iss` of every passport: the registry’s public URL' }),
    jwks: JwkSet,
  },
  { description: 'JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc), the JWK Set inline' },
);

const TypeMetadata = Type.Object(
  {
    vct: Type.String(),
    name: Type.String(),
    description: Type.String(),
    display: Type.Array(
      Type.Object({ locale: Type.String(), name: Type.String(), description: Type.String() }),
    ),
    claims: Type.Array(
      Type.Object({
        path: Type.Array(Type.String()),
        display: Type.Array(Type.Object({ locale: Type.String(), label: Type.String() })),
        mandatory: Type.Boolean(),
        sd: Type.Union([Type.Literal('always'), Type.Literal('never')]),
      }),
    ),
  },
  { description: 'SD-JWT VC Type Metadata (draft-ietf-oauth-sd-jwt-vc)' },
);

export function passportRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const jwks = ed25519Jwk(ctx.log.signer).then((jwk) => ({ keys: [jwk] }));
  const typeMetadata = passportTypeMetadataDocument(ctx.publicBaseUrl);

  app.get(
    '/v1/robots/:id/passport',
    {
      schema: {
        tags: ['robots'],
        operationId: 'getRobotPassport',
        summary: 'The robot’s passport: a signed, selectively disclosable statement (SD-JWT VC)',
        description:
          `Public. An SD-JWT VC (\`typ\` ${PASSPORT_TYP}, \`vct\` <public URL>${PASSPORT_VCT_PATH}) signed with ` +
          `the registry’s log key (${JWS_ALG}), with every disclosure: ${PASSPORT_CLAIMS.join(', ')}. In the ` +
          'clear: iss, iat, exp, vct, vct#integrity, sub (canonical ID), jurisdiction and checkpoint (the signed ' +
          'checkpoint note it is as of). The holder drops the disclosures they do not want to show ' +
          '(`robotid passport --disclose`); anyone checks it offline with `robotid verify <file> --log-key <key>`, ' +
          'or with any SD-JWT VC verifier and the key from /.well-known/jwt-vc-issuer (docs/passport.md).',
        params: RobotIdParam,
        response: {
          200: {
            description: 'The SD-JWT VC in compact form: `<JWT>~<disclosure>~…~`',
            content: { [SD_JWT_VC_MEDIA_TYPE]: { schema: Type.String() } },
          },
          ...problemResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const { sdJwt } = await robotPassport(ctx, request.params.id);
      // Issued per request (its time and checkpoint move on): no cache keeps an old one.
      return reply.type(SD_JWT_VC_MEDIA_TYPE).header('cache-control', 'no-store').send(sdJwt);
    },
  );

  // The draft puts the well-known segment between host and path: with a path in the public URL, both are served.
  const issuerPaths = new Set(['/.well-known/jwt-vc-issuer', jwtVcIssuerMetadataPath(ctx.publicBaseUrl)]);
  for (const [i, path] of [...issuerPaths].entries())
    app.get(
      path,
      {
        schema: {
          tags: ['robots'],
          operationId: i === 0 ? 'getJwtVcIssuerMetadata' : 'getJwtVcIssuerMetadataForPath',
          summary: 'JWT VC Issuer Metadata: the passport issuer and its key (SD-JWT VC)',
          description:
            'What an SD-JWT VC verifier fetches to find the key of a passport’s `iss` ' +
            '(draft-ietf-oauth-sd-jwt-vc). `issuer` is the public URL; the key is the log key ' +
            '(GET /v1/log/key). Take the key from the operator’s published copy when it matters: this answer ' +
            'comes over the network.',
          response: { 200: IssuerMetadata },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', METADATA_CACHE);
        return { issuer: ctx.publicBaseUrl, jwks: await jwks };
      },
    );

  // Untyped: the answer is the document's fixed text, which the schema describes once parsed.
  server.get(
    PASSPORT_VCT_PATH,
    {
      schema: {
        tags: ['robots'],
        operationId: 'getPassportTypeMetadata',
        summary: 'The passport’s SD-JWT VC Type Metadata: its claims, labelled in Chinese and English',
        description:
          'What the passport’s `vct` resolves to. The bytes are fixed: their SHA-256 is the passport’s ' +
          '`vct#integrity`.',
        response: {
          200: {
            description: 'The type metadata',
            content: { 'application/json': { schema: TypeMetadata } },
          },
        },
      },
    },
    // Sent as the exact text whose digest passports carry, not re-serialised.
    (_request, reply) =>
      reply.type('application/json').header('cache-control', METADATA_CACHE).send(typeMetadata.text),
  );

  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        operationId: 'getPassportJwks',
        tags: ['transparency log'],
        summary: 'The log key as a JWK Set (RFC 7517, OKP Ed25519): what passports are signed with',
        description:
          'The same key as GET /v1/log/key, for JOSE tooling. Take the key from the operator’s published copy ' +
          'when it matters: this answer comes over the network.',
        response: { 200: JwkSet },
      },
    },
    async () => jwks,
  );
}
