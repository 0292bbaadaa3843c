// The report forms are made from the event payload schemas alone (console/src/schema-form/model.ts): every schema the
// registry validates payloads with becomes fields the renderer draws, and what is entered becomes a payload the
// registry accepts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  describeFields,
  payloadOf,
  type FieldSpec,
  type JsonSchema,
} from '../../console/src/schema-form/model.js';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { PAYLOAD_SCHEMAS } from '../../src/domain/lifecycle/payloads.js';

/** The payload schema's verdict, as the registry's capture applies it. */
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validatePayload = (type: keyof typeof PAYLOAD_SCHEMAS, payload: unknown) => {
  const validate = ajv.compile(PAYLOAD_SCHEMAS[type]);
  if (!validate(payload)) throw new Error(JSON.stringify(validate.errors));
};

const schemaOf = (type: keyof typeof PAYLOAD_SCHEMAS) =>
  JSON.parse(JSON.stringify(PAYLOAD_SCHEMAS[type])) as JsonSchema;
const kinds = (fields: FieldSpec[]): string[] =>
  fields.flatMap((f) => [
    f.kind,
    ...(f.kind === 'object' ? kinds(f.fields) : f.kind === 'array' ? kinds([f.item]) : []),
  ]);

describe('forms from payload schemas', () => {
  test('every event type’s payload becomes fields, none of them raw JSON', () => {
    for (const type of Object.keys(PAYLOAD_SCHEMAS) as (keyof typeof PAYLOAD_SCHEMAS)[]) {
      const fields = describeFields(schemaOf(type));
      assert.ok(!kinds(fields).includes('json'), `${type}: ${JSON.stringify(fields)}`);
    }
  });

  test('the serviced form: required first, enums as choices, parts replaced as a list of old and new', () => {
    const fields = describeFields(schemaOf('serviced'));
    assert.equal(fields[0]!.name, 'kind');
    assert.deepEqual(fields[0], {
      name: 'kind',
      required: true,
      kind: 'enum',
      values: ['maintenance', 'repair', 'inspection', 'firmware_update'],
    });
    const replaced = fields.find((f) => f.name === 'replaced')!;
    assert.equal(replaced.kind, 'array');
    assert.ok(replaced.kind === 'array' && replaced.item.kind === 'object');
    assert.deepEqual(replaced.item.kind === 'object' && replaced.item.fields.map((f) => f.name).slice(0, 2), [
      'old',
      'new',
    ]);
    const description = fields.find((f) => f.name === 'description')!;
    assert.ok(description.kind === 'text' && description.multiline);
  });

  test('what was entered becomes a payload the registry accepts: empty optional fields left out, instants in UTC', () => {
    const serviced = describeFields(schemaOf('serviced'));
    const payload = payloadOf(
      { kind: 'object', name: 'payload', required: true, fields: serviced },
      {
        kind: 'repair',
        description: '   ',
        replaced: [
          {
            old: { kind: 'actuator', manufacturer: 'HJ', partNumber: 'A-1', serial: 'S1', lot: '' },
            new: {
              kind: 'actuator',
              manufacturer: 'HJ',
              partNumber: 'A-2',
              serial: 'S2',
              position: undefined,
            },
          },
        ],
        software: [],
      },
    );
    assert.deepEqual(payload, {
      kind: 'repair',
      replaced: [
        {
          old: { kind: 'actuator', manufacturer: 'HJ', partNumber: 'A-1', serial: 'S1' },
          new: { kind: 'actuator', manufacturer: 'HJ', partNumber: 'A-2', serial: 'S2' },
        },
      ],
    });
    assert.doesNotThrow(() => validatePayload('serviced', payload));

    const certified = describeFields(schemaOf('certified'));
    const local = '2030-01-01T08:00';
    const cert = payloadOf(
      { kind: 'object', name: 'payload', required: true, fields: certified },
      {
        standard: 'GB/T 1',
        certificateNumber: 'C-1',
        result: 'pass',
        validUntil: local,
      },
    ) as Record<string, string>;
    assert.equal(cert.validUntil, new Date(local).toISOString());
    assert.doesNotThrow(() => validatePayload('certified', cert));

    const manufactured = describeFields(schemaOf('manufactured'));
    assert.deepEqual(
      payloadOf(
        { kind: 'object', name: 'payload', required: true, fields: manufactured },
        { productionDate: '2026-01-02' },
      ),
      {
        productionDate: '2026-01-02',
        components: [],
        software: [],
      },
      'required lists are sent, empty',
    );
  });

  test('a record of free keys (materials by kilogram) is entered as pairs', () => {
    const recycled = describeFields(schemaOf('recycled'));
    const materials = recycled.find((f) => f.name === 'materialsKg')!;
    assert.equal(materials.kind, 'map');
    const payload = payloadOf(
      { kind: 'object', name: 'payload', required: true, fields: recycled },
      {
        components: [{ partNumber: 'B-1', outcome: 'recycled' }],
        materialsKg: [
          { key: 'steel', value: 12.5 },
          { key: ' ', value: 1 },
        ],
      },
    );
    assert.deepEqual(payload, {
      components: [{ partNumber: 'B-1', outcome: 'recycled' }],
      materialsKg: { steel: 12.5 },
    });
    assert.doesNotThrow(() => validatePayload('recycled', payload));
  });

  test('an organisation is picked, not typed: the fields naming one (…OrgId) and no others', () => {
    const refersTo = (type: keyof typeof PAYLOAD_SCHEMAS) =>
      describeFields(schemaOf(type)).flatMap((f) =>
        f.kind === 'text' && f.refersTo ? [`${f.name}: ${f.refersTo}`] : [],
      );
    for (const type of ['sold', 'shipped', 'ownership_transferred'] as const)
      assert.deepEqual(refersTo(type), ['toOrgId: organisation'], type);
    assert.deepEqual(
      refersTo('exported'),
      [],
      'a counterparty abroad is a name, not a registered organisation',
    );
    assert.deepEqual(refersTo('corrected'), []);
  });
});
