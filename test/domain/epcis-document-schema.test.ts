/**
 * The registry's EPCIS 2.0 schema held against the OpenEPCIS capture suite (shared vectors, never skipped), GS1's
 * example documents and GS1's official JSON Schema as the oracle (both read in place from the fetched gs1/EPCIS
 * mirror; skipped, saying what to fetch, when it is absent).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { epcisDocumentIssues, epcisEventIssues } from '../../src/app/epcis/validate-document.js';
import { cbvTerm, normaliseCbv } from '../../src/domain/epcis/cbv.js';
import { notFetched, openMirror } from '../support/mirrors.js';
import { TESTDATA } from '../support/testdata.js';

const SUITE = join(TESTDATA, 'epcis', 'capture');
const filesIn = (dir: string): string[] =>
  readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesIn(path) : [path];
    })
    .filter((path) => /\.jsonl?d?$/.test(path))
    .sort();
const read = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
/** A document's faults, or a standalone event's (the suite's Events folder). */
const issuesOf = (body: unknown) =>
  (body as { type?: string }).type === 'EPCISDocument' ? epcisDocumentIssues(body) : epcisEventIssues(body);

/** Where each invalid document of the suite is wrong: every pointer must be named, and nothing else. */
const INVALID: Record<string, string[]> = {
  'Combination_of_events_with_missing_mandatory_fields.json': [
    '/epcisBody/eventList/0/action',
    '/epcisBody/eventList/1/eventTimeZoneOffset',
    '/epcisBody/eventList/1/action',
  ],
  'Combination_of_multiple_invalid_fields.json': [
    '/epcisBody/eventList/0/bizStep',
    '/epcisBody/eventList/1/disposition',
    '/epcisBody/eventList/2/sourceList/0/type',
    '/epcisBody/eventList/3/ilmd/materialType',
    '/epcisBody/eventList/4/eventTime',
    '/epcisBody/eventList/4/action',
  ],
  'Combination_of_non_standard_bizStep_and_disposition.json': [
    '/epcisBody/eventList/0/bizStep',
    '/epcisBody/eventList/1/disposition',
  ],
  'EPCISDocument_without_context.json': ['/@context'],
  'ObjectEvent_with_ilmd_field_without_namespace.json': ['/epcisBody/eventList/0/ilmd/materialType'],
  'ObjectEvent_with_invalid_action.json': ['/epcisBody/eventList/0/action'],
  'ObjectEvent_with_invalid_certificationInfo.json': [
    '/epcisBody/eventList/0/certificationInfo/0',
    '/epcisBody/eventList/0/certificationInfo/1',
    '/epcisBody/eventList/0/certificationInfo',
  ],
  'ObjectEvent_with_invalid_eventTime_format.json': ['/epcisBody/eventList/0/eventTime'],
  'ObjectEvent_with_non_standard_bizStep.json': ['/epcisBody/eventList/0/bizStep'],
  'ObjectEvent_with_non_standard_bizStep_in_second_event.json': ['/epcisBody/eventList/1/bizStep'],
  'ObjectEvent_with_non_standard_disposition.json': ['/epcisBody/eventList/0/disposition'],
  'ObjectEvent_with_quantity_as_text.json': ['/epcisBody/eventList/0/quantityList/0/quantity'],
  'ObjectEvent_with_unknown_field_in_quantityList.json': ['/epcisBody/eventList/0/quantityList/0/weight'],
  'ObjectEvent_without_action_and_eventTime.json': [
    '/epcisBody/eventList/0/eventTime',
    '/epcisBody/eventList/0/eventTimeZoneOffset',
    '/epcisBody/eventList/0/action',
  ],
  'ObjectEvent_without_identifier_list.json': ['/epcisBody/eventList/0/epcList'],
};

/**
 * Where this schema and GS1's official copy disagree, each on purpose (document-schema.ts says why): the standard
 * gives persistentDisposition to every event with a disposition, and the GS1 Web Vocabulary has measurement types
 * the official copy's list lacks.
 */
const WE_ACCEPT_OFFICIAL_REFUSES = [
  'AggregationEvent_with_persistentDisposition.json', // persistentDisposition on an AggregationEvent
  'SensorData_with_combined_events.json', // sensorReport type Molar_concentration
  'TransactionEvent_with_userExtensions.json', // sensorReport type EffectiveDoseRate
];

describe('EPCIS 2.0 documents (OpenEPCIS capture suite)', () => {
  test('every valid document and standalone event is accepted', () => {
    const files = [...filesIn(join(SUITE, 'Documents')), ...filesIn(join(SUITE, 'Events'))];
    assert.ok(files.length >= 43, `the suite has ${files.length} valid files`);
    for (const file of files) assert.deepEqual(issuesOf(read(file)), [], basename(file));
  });

  test('every invalid document is refused, each fault named by a JSON pointer to its place', () => {
    const files = filesIn(join(SUITE, 'Invalid'));
    assert.deepEqual(files.map((f) => basename(f)).sort(), Object.keys(INVALID).sort());
    for (const file of files) {
      const issues = issuesOf(read(file));
      assert.deepEqual(
        issues.map((i) => i.field),
        INVALID[basename(file)],
        `${basename(file)}: ${JSON.stringify(issues)}`,
      );
      for (const issue of issues) assert.ok(issue.message.length > 5, `${issue.field} says why`);
    }
  });

  test('a non-CBV word is refused where a CBV term or a URI of your own is accepted', () => {
    const doc = read(join(SUITE, 'Invalid', 'ObjectEvent_with_non_standard_bizStep.json')) as {
      epcisBody: { eventList: Record<string, unknown>[] };
    };
    const [issue] = epcisDocumentIssues(doc);
    assert.match(issue!.message, /CBV 2\.0 bizStep/);
    for (const bizStep of [
      'https://example.com/bizStep/transforming',
      'urn:epcglobal:cbv:bizstep:shipping',
    ]) {
      doc.epcisBody.eventList[0]!.bizStep = bizStep;
      assert.deepEqual(epcisDocumentIssues(doc), [], bizStep);
    }
  });
});

test('an event time without its offset is refused, as is an offset beyond ±14:00', () => {
  const event = read(join(SUITE, 'Events', 'ObjectEvent.json')) as Record<string, unknown>;
  assert.deepEqual(
    epcisEventIssues({ ...event, eventTime: '2026-07-22T06:45:00' }).map((i) => i.field),
    ['/eventTime'],
  );
  assert.deepEqual(
    epcisEventIssues({ ...event, eventTimeZoneOffset: '+15:00' }).map((i) => i.field),
    ['/eventTimeZoneOffset'],
  );
  const { ['@context']: _, ...withoutContext } = event;
  assert.deepEqual(
    epcisEventIssues(withoutContext).map((i) => i.field),
    ['/@context'],
  );
});

describe('CBV 2.0 vocabularies', () => {
  test('a bare term, its web URI, its CURIE and its EPCIS 1.x URN read as one', () => {
    for (const form of [
      'shipping',
      'https://ref.gs1.org/cbv/BizStep-shipping',
      'cbv:BizStep-shipping',
      'urn:epcglobal:cbv:bizstep:shipping',
    ]) {
      assert.equal(normaliseCbv('bizStep', form), 'shipping', form);
    }
    assert.equal(normaliseCbv('disposition', 'urn:epcglobal:cbv:disp:in_transit'), 'in_transit');
    assert.equal(normaliseCbv('sourceDestType', 'https://ref.gs1.org/cbv/SDT-owning_party'), 'owning_party');
    assert.equal(normaliseCbv('bizTransactionType', 'urn:epcglobal:cbv:btt:po'), 'po');
    assert.equal(normaliseCbv('errorReason', 'https://ref.gs1.org/cbv/ER-incorrect_data'), 'incorrect_data');
  });

  test('a URI of your own stays as written; a word that is no term, or a term of another vocabulary, is none', () => {
    assert.equal(normaliseCbv('bizStep', 'https://example.com/bizStep/x'), 'https://example.com/bizStep/x');
    assert.equal(cbvTerm('bizStep', 'transforming'), undefined);
    assert.equal(cbvTerm('bizStep', 'https://ref.gs1.org/cbv/Disp-in_transit'), undefined);
    assert.equal(cbvTerm('disposition', 'urn:epcglobal:cbv:bizstep:in_transit'), undefined);
  });
});

describe('agreement with GS1 (gs1/EPCIS)', () => {
  const mirror = openMirror('gs1/EPCIS', ['EPCIS-JSON-Schema.json', 'JSON']);
  const skip = mirror ? false : notFetched('gs1/EPCIS');
  /** GS1's examples of documents to capture (the query document is an answer, not something to capture). */
  const examples = () =>
    filesIn(join(mirror!.dir, 'JSON')).filter((f) => !f.endsWith('EPCISQueryDocument.jsonld'));

  test('every GS1 example document is accepted', { skip }, () => {
    const files = examples();
    assert.ok(files.length >= 46, `${files.length} examples`);
    for (const file of files) assert.deepEqual(issuesOf(read(file)), [], basename(file));
  });

  test('the official JSON Schema (draft-07) agrees on every file but the ones named', { skip }, (t) => {
    const ajv = new Ajv({ allErrors: false, strict: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    const official = ajv.compile(read(join(mirror!.dir, 'EPCIS-JSON-Schema.json')) as object);
    const files = [...filesIn(SUITE), ...examples()];
    const disagreements: string[] = [];
    for (const file of files) {
      const body = read(file);
      if ((issuesOf(body).length === 0) !== official(body)) disagreements.push(basename(file));
    }
    assert.deepEqual(disagreements.sort(), [...WE_ACCEPT_OFFICIAL_REFUSES].sort());
    // Every one of them is a document we accept and the official copy refuses, never the other way round.
    for (const name of disagreements) assert.ok(!official(read(files.find((f) => basename(f) === name)!)));
    t.diagnostic(
      `the official schema agrees on ${files.length - disagreements.length} of ${files.length} files`,
    );
  });
});
