/**
 * What each lifecycle event's payload holds, by type: one TypeBox schema each. The registry checks events
 * against them (app/event-schemas.ts); `robotid event types` lists their fields from the same schemas.
 */
import { Type, type TSchema } from 'typebox';
import {
  COMPONENT_KINDS,
  INCIDENT_CATEGORIES,
  INCIDENT_SEVERITIES,
  INCIDENT_SOURCES,
  type EventType,
} from './events.js';

export const Closed = { additionalProperties: false } as const;
const Text = (max = 200) => Type.String({ minLength: 1, maxLength: max });
export const Enum = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values] });
export const DateTime = Type.String({ format: 'date-time', maxLength: 40 });
const OrgRef = Type.Object({ toOrgId: Text(40) }, Closed);
const Note = Type.Object({ note: Type.Optional(Text(2000)) }, Closed);

const ComponentFields = {
  kind: Enum(COMPONENT_KINDS),
  position: Type.Optional(Text(60)),
  manufacturer: Text(),
  partNumber: Text(80),
  serial: Type.Optional(Text(80)),
  lot: Type.Optional(Text(80)),
};
export const Component = Type.Object(ComponentFields, Closed);
const Software = Type.Object({ target: Text(80), version: Text(80) }, Closed);
const Region = Type.String({ minLength: 2, maxLength: 12, pattern: '^[0-9A-Z-]+$' });

/** A component named in an incident report; serial or lot is required too (checked by the state machine). */
const IncidentComponent = Type.Object(
  {
    kind: Type.Optional(Enum(COMPONENT_KINDS)),
    partNumber: Text(80),
    serial: Type.Optional(Text(80)),
    lot: Type.Optional(Text(80)),
  },
  Closed,
);
/** A file by its hash: the registry keeps the hash, never the file. */
const Attachment = Type.Object(
  {
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the file, lower-case hex' }),
    mediaType: Type.String({ maxLength: 100, pattern: '^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+$' }),
    name: Type.Optional(Text(200)),
    size: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  Closed,
);

export const PAYLOAD_SCHEMAS: Record<EventType, TSchema> = {
  manufactured: Type.Object(
    {
      productionDate: Type.String({ format: 'date', description: 'YYYY-MM-DD' }),
      plant: Type.Optional(Text()),
      components: Type.Array(Component, { maxItems: 500 }),
      software: Type.Array(Software, { maxItems: 100 }),
    },
    Closed,
  ),
  certified: Type.Object(
    {
      standard: Text(),
      certificateNumber: Text(100),
      result: Enum(['pass', 'fail'] as const),
      validUntil: Type.Optional(DateTime),
    },
    Closed,
  ),
  shipped: OrgRef,
  received: Note,
  sold: OrgRef,
  activated: Type.Object(
    {
      siteType: Enum([
        'factory',
        'warehouse',
        'retail',
        'hospital',
        'care_home',
        'home',
        'office',
        'public_space',
        'research',
        'other',
      ] as const),
      region: Region,
    },
    Closed,
  ),
  serviced: Type.Object(
    {
      kind: Enum(['maintenance', 'repair', 'inspection', 'firmware_update'] as const),
      description: Type.Optional(Text(2000)),
      replaced: Type.Optional(
        Type.Array(
          Type.Object(
            {
              old: Type.Object({ ...ComponentFields, kind: Type.Optional(Enum(COMPONENT_KINDS)) }, Closed),
              new: Component,
            },
            Closed,
          ),
          { maxItems: 100 },
        ),
      ),
      software: Type.Optional(Type.Array(Software, { maxItems: 100 })),
      recall: Type.Optional(
        Type.String({ pattern: '^RC-[0-9]{4}-[0-9]{6}$', description: 'the recall campaign remedied' }),
      ),
    },
    Closed,
  ),
  incident_reported: Type.Object(
    {
      category: Enum(INCIDENT_CATEGORIES),
      severity: Enum(INCIDENT_SEVERITIES),
      description: Type.Optional(Text(2000)),
      injuries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
      region: Type.Optional(Region),
      components: Type.Optional(Type.Array(IncidentComponent, { maxItems: 100 })),
      attachments: Type.Optional(Type.Array(Attachment, { maxItems: 50 })),
      source: Type.Optional(Enum(INCIDENT_SOURCES)),
    },
    Closed,
  ),
  ownership_transferred: OrgRef,
  suspended: Type.Object({ orderNumber: Text(100), reason: Text(2000) }, Closed),
  reinstated: Type.Object({ orderNumber: Text(100), note: Type.Optional(Text(2000)) }, Closed),
  decommissioned: Note,
  recycled: Type.Object(
    {
      components: Type.Array(
        Type.Object(
          {
            partNumber: Text(80),
            serial: Type.Optional(Text(80)),
            lot: Type.Optional(Text(80)),
            outcome: Enum(['reused', 'recycled', 'disposed'] as const),
          },
          Closed,
        ),
        { maxItems: 500 },
      ),
      materialsKg: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Number({ minimum: 0 }))),
    },
    Closed,
  ),
  exported: Type.Object(
    { country: Type.String({ pattern: '^[A-Z]{2}$' }), counterparty: Type.Optional(Text()) },
    Closed,
  ),
  imported: Type.Object(
    { country: Type.String({ pattern: '^[A-Z]{2}$' }), counterparty: Type.Optional(Text()) },
    Closed,
  ),
  reported_lost: Note,
  reported_stolen: Note,
  recovered: Note,
  corrected: Type.Object(
    {
      correctsEventId: Text(100),
      reason: Enum(['incorrect_data', 'did_not_occur', 'wrong_robot', 'other'] as const),
      explanation: Type.Optional(Text(2000)),
    },
    Closed,
  ),
};
