import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import {
  correctPersonalData,
  erasePersonalData,
  readPersonalData,
  registerPerson,
} from '../../../app/personal-data/persons.js';
import { READ_PURPOSES } from '../../../domain/org/person.js';
import { PURPOSE_HEADER } from '../../../domain/policy/purposes.js';
import { problemResponses } from '../schemas.js';

const Closed = { additionalProperties: false } as const;

/** The contact fields; in a correction an empty string removes one. */
const contacts = (minLength: number) => ({
  email: Type.Optional(Type.String({ minLength, maxLength: 254 })),
  phone: Type.Optional(Type.String({ minLength, maxLength: 40 })),
  address: Type.Optional(Type.String({ minLength, maxLength: 500 })),
  nationalId: Type.Optional(Type.String({ minLength, maxLength: 40 })),
});

const Name = Type.String({ minLength: 1, maxLength: 200, description: 'The real name: kept encrypted' });

const NewPerson = Type.Object(
  { name: Name, ...contacts(1) },
  { ...Closed, description: 'At least one contact: email, phone, address or nationalId' },
);

const PersonalDataCorrection = Type.Object(
  { name: Type.Optional(Name), ...contacts(0) },
  { ...Closed, minProperties: 1, description: 'The fields to change; an empty contact removes it' },
);

const PersonalData = Type.Object({ name: Type.String(), ...contacts(0) });

const ErasureRequest = Type.Object(
  {
    legalBasis: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'e.g. "PIPL art. 47(1)(3): consent withdrawn"; no personal data',
    }),
    requestReference: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'The case or request number; no personal data',
    }),
  },
  Closed,
);

const Erasure = Type.Object({
  partyId: Type.String(),
  erasedAt: Type.String({ format: 'date-time' }),
  erasedBy: Type.Union([Type.String(), Type.Null()]),
  legalBasis: Type.String(),
  requestReference: Type.String(),
  revokedKeys: Type.Integer({ description: "The person's API keys revoked with the erasure" }),
});

const PersonParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const PurposeHeaders = Type.Object({
  'robotid-purpose': Type.Optional(
    Type.String({
      maxLength: 60,
      description: `${PURPOSE_HEADER}: required of a regulator, one of ${READ_PURPOSES.join(', ')}`,
    }),
  ),
});

/** Persons (pseudonymous parties) and their personal data, kept encrypted apart from everything else. */
export function personRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['persons'];
  const security = [{ apiKey: [] }];
  const path = '/v1/persons/:id/personal-data';

  app.post(
    '/v1/persons',
    {
      schema: {
        operationId: 'registerPerson',
        tags,
        summary:
          'Register a person who owns or operates robots (administrator, seller, regulator): a pseudonymous operator party; the name and contacts are stored encrypted, apart',
        security,
        body: NewPerson,
        response: { 201: Type.Ref('Organisation'), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await registerPerson(ctx, request.caller, request.body)),
  );

  app.get(
    path,
    {
      schema: {
        operationId: 'getPersonalData',
        tags,
        summary: `A person's personal data: for the person itself, or a regulator naming its purpose in ${PURPOSE_HEADER}; every read is audited`,
        security,
        params: PersonParams,
        headers: PurposeHeaders,
        response: { 200: PersonalData, ...problemResponses(400, 401, 404, 410) },
      },
    },
    async (request) => readPersonalData(ctx, request.caller, request.params.id),
  );

  app.patch(
    path,
    {
      schema: {
        operationId: 'correctPersonalData',
        tags,
        summary:
          'Correct a person’s personal data (the person or an administrator); sealed again under a new data key',
        security,
        params: PersonParams,
        body: PersonalDataCorrection,
        response: {
          200: Type.Object({ partyId: Type.String(), updatedAt: Type.String({ format: 'date-time' }) }),
          ...problemResponses(400, 401, 404, 410),
        },
      },
    },
    async (request) => correctPersonalData(ctx, request.caller, request.params.id, request.body),
  );

  app.delete(
    path,
    {
      schema: {
        operationId: 'erasePersonalData',
        tags,
        summary:
          'Erase a person’s personal data on lawful request (regulator or administrator): data and key deleted, the person’s API keys revoked; the party and its robots’ history stay',
        security,
        params: PersonParams,
        body: ErasureRequest,
        response: { 200: Erasure, ...problemResponses(400, 401, 404, 410) },
      },
    },
    async (request) => erasePersonalData(ctx, request.caller, request.params.id, request.body),
  );
}
