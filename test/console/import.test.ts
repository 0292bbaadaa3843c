// The bulk import's pure parts (console/src/import): reading NDJSON, CSV and XLSX files (the XLSX written here with
// exceljs, as a spreadsheet program would), the mapping proposed for a table's headers, rows as the events the
// registry's payload schemas accept (or refused before sending, with the field and reason), stable eventIds, the
// registry's per-event answers as refusals, and the rejected-rows file.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { enUS } from '../../console/src/i18n/en-US.js';
import { zhCN } from '../../console/src/i18n/zh-CN.js';
import { formatOf, parseCsv, parseNdjson, parseXlsx, type Table } from '../../console/src/import/formats.js';
import { wordsOf, type Message } from '../../console/src/import/message.js';
import {
  columnNamer,
  rejectedCsv,
  rejectedNdjson,
  refusalsOf,
  type CaptureResult,
} from '../../console/src/import/rejected.js';
import {
  eventIdOf,
  eventOfLine,
  eventOfRow,
  instantOf,
  settleEventIds,
  type Mapping,
} from '../../console/src/import/rows.js';
import {
  importTargets,
  namesIn,
  proposeMapping,
  targetLabel,
  targetOfPath,
} from '../../console/src/import/targets.js';
import { describeFields, type JsonSchema } from '../../console/src/schema-form/model.js';
import { formatRobotId } from '../../src/domain/id/index.js';
import { PAYLOAD_SCHEMAS } from '../../src/domain/lifecycle/payloads.js';

type Resources = Record<string, unknown>;
/** A translate function over one language's resources, as i18next's for that language. */
const translator =
  (resources: Resources) =>
  (key: string, options?: { defaultValue?: string } & Record<string, unknown>): string => {
    const found = key.split('.').reduce<unknown>((at, part) => (at as Resources)?.[part], resources);
    const text = typeof found === 'string' ? found : (options?.defaultValue ?? key);
    return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options?.[name] ?? ''));
  };
const en = translator(enUS);
const zh = translator(zhCN);
const { names, fieldNames } = namesIn([en, zh]);

const fieldsOf = (type: keyof typeof PAYLOAD_SCHEMAS) =>
  describeFields(JSON.parse(JSON.stringify(PAYLOAD_SCHEMAS[type])) as JsonSchema);

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
/** The registry's verdict on a payload (the schema its capture validates with). */
const assertPayloadAccepted = (type: keyof typeof PAYLOAD_SCHEMAS, payload: unknown) => {
  const validate = ajv.compile(PAYLOAD_SCHEMAS[type]);
  assert.ok(validate(payload), JSON.stringify(validate.errors));
};

const robot = (serial: string) =>
  formatRobotId({ country: 'CN', enterprise: 'HJ4X', model: 'H1PR02', serial: serial.padStart(17, '0') });
const A = robot('1');
const B = robot('2');
/** A's printed ID with its last check character changed: a typing mistake the check characters catch. */
const mistyped = `${A.printed.slice(0, -1)}${A.printed.endsWith('0') ? '1' : '0'}`;

describe('reading import files', () => {
  test('the format is told by the file name', () => {
    assert.equal(formatOf('events.ndjson'), 'ndjson');
    assert.equal(formatOf('events.JSONL'), 'ndjson');
    assert.equal(formatOf('robots 2026.csv'), 'csv');
    assert.equal(formatOf('robots.xlsx'), 'xlsx');
    assert.equal(formatOf('robots.xls'), undefined);
  });

  test('CSV: any delimiter, quoted cells, a BOM, blank rows left out, each row with its number in the file', () => {
    const text =
      '\uFEFFrobotId;kind;description\r\n' +
      `${A.printed};repair;"gear; ""worn"""\r\n\r\n${B.printed};inspection;\r\n`;
    const table = parseCsv(text);
    assert.deepEqual(table.headers, ['robotId', 'kind', 'description']);
    assert.deepEqual(table.rows, [
      { row: 2, cells: [A.printed, 'repair', 'gear; "worn"'] },
      { row: 4, cells: [B.printed, 'inspection', ''] },
    ]);
  });

  test('CSV: a row with more cells than headers, or with a NUL, cannot be read; one with fewer is padded', () => {
    const table = parseCsv('a,b\n1,2,3\n4\n5,\u00006\n');
    assert.deepEqual(table.rows, [
      {
        row: 2,
        cells: ['1', '2'],
        problem: { key: 'import.reasons.tooManyCells', values: { cells: 3, columns: 2 } },
      },
      { row: 3, cells: ['4', ''] },
      { row: 4, cells: ['5', '\u00006'], problem: { key: 'import.reasons.unreadable' } },
    ]);
  });

  test('CSV: a quote left open swallows the rest of the file: that row cannot be read', () => {
    assert.deepEqual(parseCsv('a,b\n1,"2\n3,4\n').rows, [
      { row: 2, cells: ['1', '2\n3,4\n'], problem: { key: 'import.reasons.unreadable' } },
    ]);
  });

  test('NDJSON: one object a line, numbered as in the file; a line that is not JSON or not an object is named', () => {
    const event = { type: 'received', robotId: A.display, eventTime: '2026-05-01T10:00:00Z', payload: {} };
    const file = parseNdjson(`${JSON.stringify(event)}\n\n{"type":\n[1,2]\r\n`);
    assert.deepEqual(file.lines, [
      { row: 1, text: JSON.stringify(event), value: event },
      { row: 3, text: '{"type":', problem: { key: 'import.reasons.notJson' } },
      { row: 4, text: '[1,2]', problem: { key: 'import.reasons.notAnEvent' } },
    ]);
  });

  test('XLSX: the first sheet, its cells as text; date cells as the wall-clock time they show', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Events');
    sheet.addRow(['Robot ID', 'When', 'Production date', 'Injuries', 'Note']);
    // exceljs writes a Date as the spreadsheet's zone-less serial of its UTC wall clock.
    sheet.addRow([A.printed, new Date(Date.UTC(2026, 4, 1, 9, 30)), new Date(Date.UTC(2026, 3, 2)), 2, null]);
    sheet.addRow([]);
    sheet.addRow([
      { richText: [{ text: B.printed.slice(0, 10) }, { text: B.printed.slice(10) }] },
      '2026-05-02T08:00:00+08:00',
      { formula: '"2026-04-"&"03"', result: '2026-04-03' },
      { formula: '1+2', result: 3 },
      { text: 'see the manual', hyperlink: 'https://example.test/manual' },
    ]);
    workbook.addWorksheet('Ignored').addRow(['not', 'read']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());

    const table = await parseXlsx(bytes);
    assert.equal(table.format, 'xlsx');
    assert.deepEqual(table.headers, ['Robot ID', 'When', 'Production date', 'Injuries', 'Note']);
    assert.deepEqual(table.rows, [
      { row: 2, cells: [A.printed, '2026-05-01T09:30:00', '2026-04-02', '2', ''] },
      { row: 4, cells: [B.printed, '2026-05-02T08:00:00+08:00', '2026-04-03', '3', 'see the manual'] },
    ]);
  });
});

describe('the proposed mapping', () => {
  test('headers in either language, the usual names and dotted paths find their fields; others are ignored', () => {
    const fields = fieldsOf('manufactured');
    const headers = [
      '机器人 ID',
      'occurredAt',
      'Production date',
      'components.0.partNumber',
      'Serial',
      'components.1.serial',
      'software.0.target',
      '版本',
      'colour',
      'Event ID',
    ];
    assert.deepEqual(proposeMapping(headers, fields, names, fieldNames), [
      'robotId',
      'eventTime',
      'payload.productionDate',
      'payload.components.0.partNumber',
      'payload.components.0.serial',
      'payload.components.1.serial',
      'payload.software.0.target',
      'payload.software.0.version',
      null,
      'eventId',
    ]);
  });

  test('a name several fields share goes to the field named so at the top, or to none', () => {
    const fields = fieldsOf('serviced');
    // serviced has its own kind, and each old and new part has one too; a part number only in the parts.
    assert.deepEqual(proposeMapping(['Kind', 'Part number', 'robot'], fields, names, fieldNames), [
      'payload.kind',
      null,
      'robotId',
    ]);
    // The same header twice: the first one takes the field.
    assert.deepEqual(proposeMapping(['robotId', 'robotId'], fields, names, fieldNames), ['robotId', null]);
  });

  test('the targets offered: the envelope, then each field holding one value as the form orders them, the first item of each list', () => {
    const ids = importTargets(fieldsOf('recycled')).map((t) => t.id);
    assert.deepEqual(ids, [
      'robotId',
      'type',
      'eventTime',
      'eventId',
      'payload.components.0.partNumber',
      'payload.components.0.outcome',
      'payload.components.0.serial',
      'payload.components.0.lot',
    ]);
    assert.equal(targetOfPath(fieldsOf('recycled'), 'materialsKg.steel')?.id, 'payload.materialsKg.steel');
    assert.equal(targetOfPath(fieldsOf('recycled'), 'components.x.serial'), undefined);
    assert.equal(targetOfPath(fieldsOf('recycled'), 'components'), undefined);
    const serial = targetOfPath(fieldsOf('manufactured'), 'payload.components.2.serial')!;
    assert.equal(targetLabel(serial, en), 'Components 3 · Serial');
    assert.equal(targetLabel(importTargets([])[0]!, zh), zhCN.import.targets.robotId);
  });
});

/** Prepares every row of `table` mapped by the proposal (with `type` for the rows). */
const prepared = (table: Table, type: keyof typeof PAYLOAD_SCHEMAS) => {
  const fields = fieldsOf(type);
  const mapping: Mapping = {
    columns: proposeMapping(table.headers, fields, names, fieldNames),
    type,
    fields,
  };
  return table.rows.map((row) => eventOfRow(row, table.headers, mapping));
};

describe('rows as events', () => {
  test('a manufacture with two components and software: a payload the registry’s schema accepts', () => {
    const table = parseCsv(
      [
        'robotId,eventTime,productionDate,components.0.kind,components.0.manufacturer,components.0.partNumber,' +
          'components.0.serial,components.2.kind,components.2.manufacturer,components.2.partNumber,software.0.target,' +
          'software.0.version,plant',
        `${A.display},2026-05-01T10:00:00+08:00,2026/04/30,actuator,HJ,A-1,S-1,battery_pack,CATL,B-9,main,1.2.0,`,
      ].join('\n'),
    );
    const [row] = prepared(table, 'manufactured');
    assert.ok(row && 'event' in row, JSON.stringify(row));
    assert.deepEqual(row.event, {
      type: 'manufactured',
      robotId: A.printed,
      eventTime: '2026-05-01T02:00:00.000Z',
      payload: {
        productionDate: '2026-04-30',
        components: [
          { kind: 'actuator', manufacturer: 'HJ', partNumber: 'A-1', serial: 'S-1' },
          { kind: 'battery_pack', manufacturer: 'CATL', partNumber: 'B-9' },
        ],
        software: [{ target: 'main', version: '1.2.0' }],
      },
    });
    assertPayloadAccepted('manufactured', row.event.payload);
  });

  test('numbers, a map by its keys, and a type column naming the row’s own type', () => {
    const table = parseCsv(
      `robotId,type,eventTime,components.0.partNumber,components.0.outcome,materialsKg.steel,materialsKg.copper\n` +
        `${A.printed},recycled,2026-05-01 10:00,P-1,reused,12.5,0.75\n` +
        `${B.printed},,2026-05-01 11:00,P-2,recycled,,\n`,
    );
    const rows = prepared(table, 'recycled');
    assert.deepEqual(
      rows.map((r) => 'event' in r && r.event.payload),
      [
        {
          components: [{ partNumber: 'P-1', outcome: 'reused' }],
          materialsKg: { steel: 12.5, copper: 0.75 },
        },
        { components: [{ partNumber: 'P-2', outcome: 'recycled' }] },
      ],
    );
    for (const r of rows) assert.ok('event' in r && r.event.type === 'recycled');
    // Without an offset: the person's local time.
    assert.ok('event' in rows[0]! && rows[0].event.eventTime === new Date(2026, 4, 1, 10, 0).toISOString());
  });

  test('refused before sending: a mistyped robot ID, a time that is no date, a required field left empty', () => {
    const table = parseCsv(
      `robot,when,kind,description\n` +
        `${mistyped},2026-05-01T10:00:00Z,repair,\n` +
        `${A.printed},2026-02-30 10:00,repair,\n` +
        `${A.printed},yesterday,repair,\n` +
        `,2026-05-01T10:00:00Z,repair,\n` +
        `${A.printed},2026-05-01T10:00:00Z,,cleaned\n` +
        `${A.printed},2026-05-01T10:00:00Z,inspection,\n`,
    );
    const rows = prepared(table, 'serviced');
    assert.deepEqual(
      rows.map((r) =>
        'refusal' in r ? [r.row, r.refusal.field, (r.refusal.reason as { key: string }).key] : r.row,
      ),
      [
        [2, 'robot', 'robotId.wrongCheck'],
        [3, 'when', 'import.reasons.notATime'],
        [4, 'when', 'import.reasons.notATime'],
        [5, 'robot', 'import.reasons.missing'],
        [6, 'kind', 'import.reasons.missing'],
        7,
      ],
    );
  });

  test('instants: with an offset or Z, or local; days that do not exist refused', () => {
    assert.equal(instantOf('2026-05-01T10:00:00Z'), '2026-05-01T10:00:00.000Z');
    assert.equal(instantOf('2026-05-01T10:00:00.25-0130'), '2026-05-01T11:30:00.250Z');
    assert.equal(instantOf('2026-05-01'), new Date(2026, 4, 1).toISOString());
    assert.equal(instantOf('2024-02-29 23:59:59'), new Date(2024, 1, 29, 23, 59, 59).toISOString());
    for (const bad of ['2026-02-29', '2026-13-01', '2026-05-01T24:00', '01/05/2026', '2026-05-01T10', ''])
      assert.equal(instantOf(bad), undefined, bad);
  });

  test('NDJSON lines are sent as written, the robot ID printed; a mistyped ID is refused', () => {
    const good = {
      type: 'received',
      robotId: A.display.toLowerCase(),
      eventTime: '2026-05-01T10:00:00Z',
      payload: {},
    };
    const file = parseNdjson(
      `${JSON.stringify(good)}\n${JSON.stringify({ ...good, robotId: mistyped })}\nnope\n`,
    );
    assert.deepEqual(file.lines.map(eventOfLine), [
      { row: 1, event: { ...good, robotId: A.printed } },
      { row: 2, refusal: { field: 'robotId', reason: { key: 'robotId.wrongCheck' } } },
      { row: 3, refusal: { field: '', reason: { key: 'import.reasons.notJson' } } },
    ]);
  });

  test('eventIds: the file’s own kept; otherwise one from the content, the same whatever the column order', async () => {
    const one = parseCsv(`robotId,eventTime,kind\n${A.printed},2026-05-01T10:00:00Z,repair\n`);
    const swapped = parseCsv(`kind,eventTime,robotId\nrepair,2026-05-01T12:00:00+02:00,${A.display}\n`);
    const other = parseCsv(`robotId,eventTime,kind\n${A.printed},2026-05-01T10:00:00Z,inspection\n`);
    const [a, b, c] = await Promise.all(
      [one, swapped, other].map(async (t) => (await settleEventIds(prepared(t, 'serviced')))[0]!),
    );
    assert.ok(a && 'event' in a && b && 'event' in b && c && 'event' in c);
    assert.match(a.event.eventId, /^import-[0-9a-f]{32}$/);
    assert.equal(a.event.eventId, b.event.eventId);
    assert.notEqual(a.event.eventId, c.event.eventId);
    assert.equal(await eventIdOf({ ...a.event, eventId: 'erp-4711' }), 'erp-4711');
  });
});

describe('the registry’s answers and the rejected-rows file', () => {
  /** An answer as the wire contract has it (the e2e test gets real ones: test/e2e/console-import.test.ts). */
  const result: CaptureResult = {
    mode: 'proceed',
    accepted: 1,
    duplicates: 0,
    rejected: 2,
    results: [
      { index: 0, eventId: 'e0', outcome: 'accepted', seq: 7 },
      {
        index: 1,
        eventId: 'e1',
        outcome: 'rejected',
        problem: {
          kind: 'conflict',
          code: 'event-not-allowed',
          message: 'serviced is not allowed in state issued',
          fields: [{ field: '/events/1', message: 'serviced is not allowed in state issued' }],
        },
      },
      {
        index: 2,
        eventId: 'e2',
        outcome: 'rejected',
        problem: {
          kind: 'invalid',
          code: 'invalid-event',
          message: 'payload/kind must be one of: maintenance, repair',
          fields: [
            { field: '/events/2/payload/kind', message: 'must be one of: maintenance, repair' },
            { field: '/events/2/eventTime', message: 'is required' },
          ],
        },
      },
    ],
  };
  /** The table's columns: its headers and where the person mapped them. */
  const fieldName = columnNamer(['Robot', 'Kind', 'When'], ['robotId', 'payload.kind', 'eventTime']);

  test('each rejected event is its row’s refusal: the columns at fault, the registry’s reason in the person’s words', () => {
    assert.equal(
      fieldName(['payload', 'replaced', 0, 'new', 'serial']),
      'payload.replaced.0.new.serial',
      'unmapped',
    );
    const refused = refusalsOf(result, [12, 13, 15], fieldName);
    assert.deepEqual(refused, [
      { row: 13, refusal: { field: '', reason: { text: 'serviced is not allowed in state issued' } } },
      {
        row: 15,
        refusal: {
          field: 'Kind, When',
          reason: {
            all: [
              { key: 'errors.fieldOneOf', values: { values: 'maintenance, repair' } },
              { key: 'errors.fieldRequired', values: {} },
            ],
          },
        },
      },
    ]);
    assert.equal(
      wordsOf(zh)(refused[1]!.refusal.reason),
      `${zh('errors.fieldOneOf', { values: 'maintenance, repair' })}; ${zh('errors.fieldRequired')}`,
    );
  });

  test('CSV: the rejected rows as the file had them, in order, with row, field and reason; it reads back', () => {
    const table = parseCsv(`robot,kind\n${A.printed},repair\n${mistyped},repair\n${B.printed},fixing\n`);
    const reason: Message = { key: 'import.reasons.notATime' };
    const file = rejectedCsv(
      table,
      [
        { row: 4, refusal: { field: 'kind', reason: { text: 'must be one of: maintenance, repair' } } },
        { row: 3, refusal: { field: 'robot', reason } },
      ],
      wordsOf(en),
    );
    assert.ok(file.startsWith('\uFEFF'), 'a BOM: spreadsheet programs read it as UTF-8');
    const back = Papa.parse<string[]>(file.slice(1), { skipEmptyLines: true }).data;
    assert.deepEqual(back, [
      ['robot', 'kind', 'row', 'field', 'reason'],
      [mistyped, 'repair', '3', 'robot', enUS.import.reasons.notATime],
      [B.printed, 'fixing', '4', 'kind', 'must be one of: maintenance, repair'],
    ]);
  });

  test('NDJSON: one object a rejected line, the event as the line held it (its text when it was not JSON)', () => {
    const event = { type: 'received', robotId: mistyped, eventTime: '2026-05-01T10:00:00Z', payload: {} };
    const file = parseNdjson(`${JSON.stringify(event)}\n{oops\n`);
    const text = rejectedNdjson(
      file.lines,
      file.lines.flatMap((l) => {
        const r = eventOfLine(l);
        return 'refusal' in r ? [r] : [];
      }),
      wordsOf(en),
    );
    assert.deepEqual(
      text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
      [
        { row: 1, field: 'robotId', reason: enUS.robotId.wrongCheck, event },
        { row: 2, field: '', reason: enUS.import.reasons.notJson, line: '{oops' },
      ],
    );
  });
});
