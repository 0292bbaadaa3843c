/** Robot passports (docs/passport.md) and the log key as a JWK Set, for whoever checks them with JOSE tools. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { robotPassport } from '../../../app/passport.js';
import { ed25519Jwk } from '../../../passport/jwk.js';
import { PASSPORT_CLAIMS, PASSPORT_TYP } from '../../../passport/passport.js';
import { RobotIdParam, problemResponses } from '../schemas.js';

/** RFC 9901 §11.2.1 registers this media type for SD-JWTs. */
const SD_JWT_MEDIA_TYPE = 'application/sd-jwt';

const Jwk = Type.Object({
  kty: Type.Literal('OKP'),
  crv: Type.Literal('Ed25519'),
  x: Type.String({ description: 'base64url of the raw Ed25519 public key' }),
  kid: Type.String({ description: '<key name>+<hex key ID>, as in the C2SP verifier key string' }),
  use: Type.Literal('sig'),
  alg: Type.Literal('EdDSA'),
});

export function passportRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const jwks = { keys: [ed25519Jwk(ctx.log.signer)] };

  app.get(
    '/v1/robots/:id/passport',
    {
      schema: {
        operationId: 'getRobotPassport',
        tags: ['robots'],
        summary: 'The robot’s passport: a signed, selectively disclosable statement (SD-JWT, RFC 9901)',
        description:
          `Public. An SD-JWT (\`typ\` ${PASSPORT_TYP}) signed with the registry’s log key (EdDSA), with every ` +
          `disclosure: ${PASSPORT_CLAIMS.join(', ')}. In the clear: iss, iat, sub (canonical ID), jurisdiction ` +
          'and checkpoint (the signed checkpoint note it is as of). The holder drops the disclosures they do ' +
          'not want to show (`robotid passport --disclose`); anyone checks it offline with ' +
          '`robotid verify <file> --log-key <key>` (docs/passport.md).',
        params: RobotIdParam,
        response: {
          200: {
            description: 'The SD-JWT in compact form: `<JWT>~<disclosure>~…~`',
            content: { [SD_JWT_MEDIA_TYPE]: { schema: Type.String() } },
          },
          ...problemResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const { sdJwt } = await robotPassport(ctx, request.params.id);
      // Issued per request (its time and checkpoint move on): no cache keeps an old one.
      return reply.type(SD_JWT_MEDIA_TYPE).header('cache-control', 'no-store').send(sdJwt);
    },
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
        response: { 200: Type.Object({ keys: Type.Array(Jwk) }) },
      },
    },
    async () => jwks,
  );
}
