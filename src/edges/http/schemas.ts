/** Request and response schemas: the single source for validation, serialisation and the OpenAPI document. */
import { Type, type TSchema } from 'typebox';
import { PROBLEM_MEDIA_TYPE, problemTitle } from './problems.js';
import { CAPABILITY_LEVELS, MODEL_CATEGORIES } from '../../domain/model/model.js';
import { PARTY_KINDS } from '../../domain/org/organisation.js';
import { ROLES } from '../../domain/org/roles.js';
import { STATES } from '../../domain/lifecycle/status.js';
import { DATA_CLASSES, RELATIONS } from '../../domain/policy/table.js';

const Closed = { additionalProperties: false } as const;

export const Problem = Type.Object(
  {
    type: Type.String({ description: 'Stable URI of the problem type, `urn:robotid:problem:<code>`' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String({ description: 'JSON Pointer into the request (body fields start with /)' }),
          message: Type.String(),
          position: Type.Optional(Type.Integer({ description: '1-based character position in the value' })),
        }),
      ),
    ),
  },
  {
    $id: 'Problem',
    description:
      'RFC 9457 problem details; some problems add extension members (e.g. `state`, `allowed`, `results`)',
    additionalProperties: true,
  },
);

/**
 * A response of one media type, in the form Fastify serialises by the reply's content type and @fastify/swagger
 * documents as that media type (a bare schema would be documented as application/json).
 */
export const withMediaType = (mediaType: string, schema: TSchema, description = 'Default Response') => ({
  description,
  content: { [mediaType]: { schema } },
});

/** Bytes (an image, a tile), documented as a binary string. */
export const Binary = Type.Unsafe<Buffer>({ type: 'string', format: 'binary' });

/** Error answers: RFC 9457 problem documents, `application/problem+json`. */
export const problemResponse = (status: number) =>
  withMediaType(PROBLEM_MEDIA_TYPE, Type.Ref('Problem'), `${problemTitle(status)}: a problem document`);

export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, problemResponse(s)])) as Record<
    number,
    ReturnType<typeof problemResponse>
  >;

/** A string from a fixed list, as JSON Schema `enum`: one readable error ("must be one of: …") when it fails. */
export const StringEnum = <T extends string>(values: readonly T[], options: { description?: string } = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });

export const RoleSchema = StringEnum(ROLES);
export const CountryCode = Type.String({
  minLength: 2,
  maxLength: 2,
  description: 'ISO 3166-1 alpha-2',
  examples: ['CN'],
});

export const Organisation = Type.Object(
  {
    id: Type.String(),
    kind: StringEnum(PARTY_KINDS, {
      description: 'A person is pseudonymous: its name is `person <id>`; its personal data is read apart',
    }),
    name: Type.String(),
    roles: Type.Array(RoleSchema),
    jurisdiction: CountryCode,
    registrationNumber: Type.Optional(
      Type.String({ description: 'Shown to the organisation itself, administrators and regulators' }),
    ),
    enterpriseCode: Type.Union([Type.String(), Type.Null()], {
      description: 'Manufacturers only; allocated on admission',
    }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Organisation' },
);

export const NewOrganisation = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    roles: Type.Array(Type.String({ maxLength: 40 }), {
      minItems: 1,
      maxItems: 8,
      description: `Any of: ${ROLES.filter((r) => r !== 'admin').join(', ')}`,
    }),
    jurisdiction: CountryCode,
    registrationNumber: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'For CN: the 18-character unified social credit code (GB 32100), check character verified',
    }),
  },
  Closed,
);

export const ApiKey = Type.Object(
  {
    id: Type.String(),
    orgId: Type.String(),
    name: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'ApiKey' },
);

export const NewApiKey = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, Closed);

const PositiveNumber = (description: string) =>
  Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e6, description }));

export const ModelSpecs = {
  heightMm: PositiveNumber('Standing height in millimetres'),
  massKg: PositiveNumber('Mass in kilograms'),
  degreesOfFreedom: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  payloadKg: PositiveNumber('Rated payload in kilograms'),
  maxSpeedMps: PositiveNumber('Maximum walking speed, metres per second'),
  batteryWh: PositiveNumber('Battery capacity, watt-hours'),
  standards: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 50 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
};

const Category = StringEnum(MODEL_CATEGORIES);
const Capability = StringEnum(CAPABILITY_LEVELS, {
  description: 'L1 remote-operated/scripted … L5 fully autonomous in open environments',
});

export const NewModel = Type.Object(
  {
    code: Type.String({ minLength: 6, maxLength: 6, description: '6 characters of 0-9 A-Z without I, O, Q' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    category: Category,
    capabilityLevel: Capability,
    manufacturerId: Type.Optional(
      Type.String({ maxLength: 40, description: 'Administrator only: the manufacturer' }),
    ),
    ...ModelSpecs,
  },
  Closed,
);

export const Model = Type.Object(
  {
    enterpriseCode: Type.String(),
    code: Type.String(),
    manufacturerId: Type.String(),
    name: Type.String(),
    category: Category,
    capabilityLevel: Capability,
    specs: Type.Object(ModelSpecs),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Model' },
);

export const IssueRequest = Type.Object(
  {
    model: Type.String({ minLength: 6, maxLength: 6, description: 'Model code' }),
    count: Type.Optional(Type.Integer({ description: 'Registry-issued serials: 1..100000 IDs' })),
    serials: Type.Optional(
      Type.Array(Type.String({ maxLength: 40 }), {
        maxItems: 10_000,
        description: "The manufacturer's own 17-character serials",
      }),
    ),
    manufacturerId: Type.Optional(Type.String({ maxLength: 40, description: 'Administrator only' })),
    requestId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Idempotency key: a retry returns the first result',
      }),
    ),
  },
  Closed,
);

export const IssueResult = Type.Object({
  issuanceId: Type.String(),
  enterpriseCode: Type.String(),
  modelCode: Type.String(),
  count: Type.Integer(),
  ids: Type.Array(Type.String(), { description: 'Printed forms: 29 characters + 2 check characters' }),
  replayed: Type.Boolean(),
});

/** The caller's relation to a robot and the data classes an answer shows (docs/access.md). */
export const Access = Type.Object({
  relation: StringEnum(RELATIONS),
  classes: Type.Array(StringEnum(DATA_CLASSES)),
});

const Nullable = <T extends TSchema>(t: T, options: { description?: string } = {}) =>
  Type.Union([t, Type.Null()], options);
const ComponentOut = Type.Object({
  kind: Type.Optional(Type.String()),
  position: Type.Optional(Type.String()),
  manufacturer: Type.Optional(Type.String()),
  partNumber: Type.Optional(Type.String()),
  serial: Type.Optional(Type.String()),
  lot: Type.Optional(Type.String()),
});

/** A recall campaign a robot is in, as anyone may see it (src/app/recalls/queries.ts RobotRecallNote). */
export const RobotRecall = Type.Object({
  recall: Type.String(),
  status: Type.String(),
  component: Type.String(),
  summary: Type.String(),
  consequence: Type.String(),
  remedy: Type.String(),
  overTheAir: Type.Boolean(),
  stopUse: Type.Boolean(),
  openedAt: Type.String(),
  state: Type.String({ description: 'notified, remedied, unreachable or exempt' }),
  since: Type.String(),
});

export const Robot = Type.Object(
  {
    id: Type.String({ description: 'Canonical 29-character ID' }),
    printed: Type.String({ description: 'With check characters, 31 characters' }),
    display: Type.String({ description: 'Grouped with hyphens' }),
    url: Type.String({ description: 'Resolvable URL, encoded in the QR label' }),
    jurisdiction: Type.String({ description: 'Country whose registry holds the record (ISO 3166-1)' }),
    state: StringEnum(['issued', ...STATES.filter((s) => s !== 'issued')], {
      description: 'Lifecycle state',
    }),
    issuedAt: Type.String({ format: 'date-time' }),
    productionMonth: Nullable(Type.String({ description: 'YYYY-MM' })),
    manufacturer: Type.Object({
      id: Type.String(),
      name: Type.String(),
      country: Type.String(),
      enterpriseCode: Type.String(),
    }),
    model: Type.Object({
      code: Type.String(),
      name: Type.String(),
      category: Type.String(),
      capabilityLevel: Type.String(),
    }),
    serial: Type.String(),
    certification: Type.Object({
      status: StringEnum(['valid', 'expired', 'failed', 'none'] as const),
      standard: Type.Optional(Type.String()),
      validUntil: Type.Optional(Nullable(Type.String())),
      certificateNumber: Type.Optional(Type.String({ description: 'technical' })),
      certifierId: Type.Optional(Type.String({ description: 'technical' })),
    }),
    stopUse: Nullable(Type.Object({ orderNumber: Type.String(), since: Type.String() }), {
      description: 'An open stop-use order',
    }),
    recalls: Type.Array(RobotRecall, {
      description: 'The recall campaigns the robot is in and its remedy state in each',
    }),
    productionDate: Type.Optional(Nullable(Type.String({ description: 'technical' }))),
    components: Type.Optional(
      Type.Array(ComponentOut, { description: 'technical; supplier and lot: supply' }),
    ),
    software: Type.Optional(Type.Array(Type.Object({ target: Type.String(), version: Type.String() }))),
    eventCount: Type.Optional(Type.Integer()),
    lastEventTime: Type.Optional(Nullable(Type.String())),
    issuanceId: Type.Optional(Type.String({ description: 'supply' })),
    custodianId: Type.Optional(Type.String({ description: 'custody' })),
    operatorId: Type.Optional(Nullable(Type.String({ description: 'custody' }))),
    inTransitTo: Type.Optional(Nullable(Type.String({ description: 'custody' }))),
    site: Type.Optional(
      Nullable(Type.Object({ siteType: Type.Optional(Type.String()), region: Type.Optional(Type.String()) })),
    ),
    gs1Key: Type.Optional(
      Nullable(
        Type.String({
          description: 'supply; the GS1 key (SGTIN) its manufacturer registered, as Digital Link',
        }),
      ),
    ),
    access: Access,
  },
  {
    $id: 'Robot',
    description:
      'The public part is always present; the optional fields only as far as the caller’s relation to the robot ' +
      'lets it see them (access.classes; docs/access.md).',
  },
);

export const PageQuery = Type.Object(
  {
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'From the previous page’s nextCursor' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  Closed,
);

export const pageOf = (item: TSchema) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const RobotIdParam = Type.Object({
  id: Type.String({ maxLength: 64, description: 'A robot ID in any of its three forms' }),
});

/**
 * The security of a route anyone may call and whose answer a key widens (docs/access.md): anonymous, or with an
 * API key, which must then be valid. Routes that need a key declare `[{ apiKey: [] }]`; the rest are public.
 */
export const KEY_OPTIONAL: { [scheme: string]: string[] }[] = [{}, { apiKey: [] }];
