import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DomainError } from '../../src/domain/errors.js';
import { documentPrefixes, eventHashId, preHashString } from '../../src/domain/epcis/event-hash.js';
import { notFetched, openMirror } from '../support/mirrors.js';

const REFERENCE = 'RalphTro/epcis-event-hash-generator';

/**
 * Lines of the reference's .prehashes files that are not the pre-hash string of the hash listed beside them (their
 * SHA-256 is not the listed hash: left behind when the example changed, or garbled): for these the hash alone is
 * compared. The test fails if this list is wrong either way.
 */
const STALE_PREHASH_LINES: Record<string, number[]> = {
  epcisDocWithAllGS1Keys: [0], // garbled text (fragments of the line repeated inside it)
  epcisDocWithCustomSchemaInContext: [1], // a copy of line 0; the second event is another
  epcisDocWithDefaultSchemaInContext: [1], // the same
};

/** The parts of an example document the test reads (a capture document, or a query's answer). */
interface ExampleDocument {
  '@context': unknown;
  epcisBody: {
    eventList?: unknown[];
    event?: unknown;
    queryResults?: { resultsBody?: { eventList?: unknown[] } } & Record<string, unknown>;
  };
  [key: string]: unknown;
}

const lines = (path: string) =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : undefined;
const sha = (text: string) =>
  `ni:///sha-256;${createHash('sha256').update(text, 'utf8').digest('hex')}?ver=CBV2.0`;

describe('the CBV 2.0 event hash', () => {
  test('equals the reference implementation on every JSON-LD example of its own that lists hashes', (t) => {
    const mirror = openMirror(REFERENCE, ['tests/examples']);
    if (!mirror) return t.skip(notFetched(REFERENCE));
    const dir = join(mirror.dir, 'tests/examples');
    let documents = 0;
    let events = 0;
    for (const file of readdirSync(dir)
      .filter((name) => name.endsWith('.jsonld'))
      .sort()) {
      const name = file.slice(0, -'.jsonld'.length);
      const hashes = lines(join(dir, `${name}.hashes`));
      if (!hashes) continue; // an example without expected hashes (only the XML one has them) says nothing to test
      const preHashes = lines(join(dir, `${name}.prehashes`));
      const document = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ExampleDocument;
      const body = document.epcisBody;
      const list = body.eventList ?? body.queryResults?.resultsBody?.eventList ?? [body.event];
      const prefixes = documentPrefixes(document['@context']);
      // The reference lets a document name top-level fields its (example) repository added, to leave out:
      // `<prefix of https://repository-x.example.com/>:ignoreFields`. Not CBV; our HashContext.ignore does the same.
      const repository = Object.keys(prefixes).find(
        (p) => prefixes[p] === 'https://repository-x.example.com/',
      );
      const ignore = (
        repository
          ? (document[`${repository}:ignoreFields`] ?? body.queryResults?.[`${repository}:ignoreFields`])
          : undefined
      ) as string[] | undefined;
      const context = { prefixes, ...(ignore ? { ignore } : {}) };
      assert.deepEqual(
        list.map((event) => eventHashId(event, context)),
        hashes,
        `${name}: hashes`,
      );
      const ours = list.map((event) => preHashString(event, context));
      const stale = (preHashes ?? []).flatMap((line, i) => (sha(line) === hashes[i] ? [] : [i]));
      assert.deepEqual(stale, STALE_PREHASH_LINES[name] ?? [], `${name}: stale .prehashes lines`);
      preHashes?.forEach((line, i) => {
        if (!stale.includes(i)) assert.equal(ours[i], line, `${name}: pre-hash string of event ${i}`);
      });
      documents += 1;
      events += list.length;
    }
    assert.equal(documents, 22, 'the reference has 22 JSON-LD examples with hashes');
    t.diagnostic(`${documents} documents, ${events} events: every hash equal to the reference's`);
  });

  const event = {
    type: 'ObjectEvent',
    eventTime: '2020-03-04T11:00:30+01:00',
    eventTimeZoneOffset: '+01:00',
    epcList: ['urn:epc:id:sgtin:0614141.812345.400', 'urn:epc:id:sscc:0614141.1234567890'],
    action: 'OBSERVE',
    bizStep: 'shipping',
    readPoint: { id: 'urn:epc:id:sgln:0614141.12345.0' },
    'ext:weight': '012.50',
  };
  const context = { prefixes: { ext: 'https://ns.example.com/ext/' } };

  test('normalises keys, words, times and numbers, in the canonical order', () => {
    assert.equal(
      preHashString(event, context),
      'eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00' +
        'epcListepc=https://id.gs1.org/00/106141412345678908epc=https://id.gs1.org/01/80614141123458/21/400' +
        'action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shipping' +
        'readPointid=https://id.gs1.org/414/0614141123452{https://ns.example.com/ext/}weight=12.5',
    );
  });

  test('the same event written another way has the same hash; what is not the event does not count', () => {
    const same = {
      eventID: 'urn:uuid:4ac6a9a4-1b8e-4a5e-a7f0-0c7f2a0e3d1b',
      recordTime: '2026-01-01T00:00:00Z',
      'ext:weight': 12.5,
      readPoint: { id: 'https://id.gs1.org/414/0614141123452' },
      bizStep: 'urn:epcglobal:cbv:bizstep:shipping',
      action: 'OBSERVE',
      epcList: ['https://brand.example/01/80614141123458/21/400', 'https://id.gs1.org/00/106141412345678908'],
      eventTimeZoneOffset: '+01:00',
      eventTime: '2020-03-04T10:00:30.0004Z',
      type: 'ObjectEvent',
      comment: 'checked twice',
    };
    assert.equal(eventHashId(same, context), eventHashId(event, context));
    assert.notEqual(eventHashId({ ...event, action: 'ADD' }, context), eventHashId(event, context));
    assert.match(eventHashId(event, context), /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
  });

  test('something that is not an event is refused with a coded error', () => {
    for (const value of [null, [], 'ObjectEvent', { eventTime: '2020-03-04T10:00:30Z' }]) {
      assert.throws(
        () => eventHashId(value, context),
        (error) =>
          error instanceof DomainError && error.code === 'epcis_event_hash' && error.kind === 'invalid',
      );
    }
  });
});
