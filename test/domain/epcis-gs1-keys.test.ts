import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  canonicalDigitalLink,
  canonicalGs1Uri,
  digitalLinkOfEpcUrn,
  epcUrnOfDigitalLink,
  gs1CheckDigit,
  hasValidCheckDigit,
} from '../../src/domain/epcis/gs1-keys.js';
import { notFetched, openMirror } from '../support/mirrors.js';

const REFERENCE = 'RalphTro/epcis-event-hash-generator';
const GS1_EPCIS = 'gs1/EPCIS';

describe('GS1 keys: EPC URNs and Digital Link', () => {
  test('the GS1 check digit (GenSpecs 7.9.1): GTIN-14, GLN, SSCC', () => {
    assert.equal(gs1CheckDigit('8061414112345'), 8);
    assert.equal(gs1CheckDigit('061414112345'), 2);
    assert.equal(gs1CheckDigit('10614141234567890'), 8);
    assert.ok(hasValidCheckDigit('80614141123458'));
    assert.ok(!hasValidCheckDigit('80614141123457'));
  });

  // The Tag Data Standard's worked examples: company prefix 0614141 (7 digits), so the partition decides where it ends.
  const worked: Array<[string, string, number]> = [
    ['urn:epc:id:sgtin:0614141.812345.400', 'https://id.gs1.org/01/80614141123458/21/400', 7],
    ['urn:epc:id:sscc:0614141.1234567890', 'https://id.gs1.org/00/106141412345678908', 7],
    ['urn:epc:id:sgln:0614141.12345.400', 'https://id.gs1.org/414/0614141123452/254/400', 7],
    ['urn:epc:id:sgln:0614141.12345.0', 'https://id.gs1.org/414/0614141123452', 7],
    ['urn:epc:id:grai:0614141.12345.400', 'https://id.gs1.org/8003/00614141123452400', 7],
    ['urn:epc:id:giai:0614141.12345400', 'https://id.gs1.org/8004/061414112345400', 7],
    ['urn:epc:class:lgtin:4012345.012345.998877', 'https://id.gs1.org/01/04012345123456/10/998877', 7],
    ['urn:epc:idpat:sgtin:4012345.012345.*', 'https://id.gs1.org/01/04012345123456', 7],
    ['urn:epc:id:sgtin:415056789012.0.987654', 'https://id.gs1.org/01/04150567890128/21/987654', 12],
    // a serial with the characters a URN escapes, and those Digital Link escapes besides (! ( ) and so on)
    [
      'urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()',
      'https://id.gs1.org/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29',
      7,
    ],
  ];

  test('EPC URNs to canonical Digital Link and back, given the company prefix length', () => {
    for (const [urn, dl, prefixLength] of worked) {
      assert.equal(digitalLinkOfEpcUrn(urn), dl, urn);
      assert.equal(epcUrnOfDigitalLink(dl, prefixLength), urn, dl);
    }
  });

  test('a URN whose company prefix and reference do not make the partition is none', () => {
    assert.equal(digitalLinkOfEpcUrn('urn:epc:id:sgtin:0614141.12345.400'), undefined);
    assert.equal(digitalLinkOfEpcUrn('urn:epc:id:sgtin:0614141.812345.4/0'), undefined);
    assert.equal(digitalLinkOfEpcUrn('urn:epc:id:sgtin:0614141.812345.'), undefined);
    assert.equal(epcUrnOfDigitalLink('https://id.gs1.org/01/80614141123458/21/400', 13), undefined);
  });

  test('Digital Link on any host, by short name, with a query, CPV or lot: one canonical form', () => {
    const canonical = 'https://id.gs1.org/01/80614141123458/21/400';
    for (const uri of [
      'https://brand.example/gtin/80614141123458/ser/400',
      'http://brand.example/products/01/80614141123458/22/2A/10/LOT7/21/400?17=281231',
      'https://id.gs1.org/01/80614141123458/21/400/',
    ]) {
      assert.equal(canonicalDigitalLink(uri), canonical, uri);
      assert.equal(canonicalGs1Uri(uri), canonical, uri);
    }
    assert.equal(
      canonicalDigitalLink('https://brand.example/01/614141123452'),
      'https://id.gs1.org/01/00614141123452',
    );
    assert.equal(canonicalDigitalLink('https://brand.example/01/80614141123458/21/400/10/LOT7'), undefined); // order
    assert.equal(canonicalDigitalLink('https://brand.example/about/80614141123458'), undefined);
    assert.equal(canonicalGs1Uri('https://registry.example.cn/r/CNAB12XY34560000000000000123456'), undefined);
  });

  test('the event-hash reference implementation’s own normaliser examples, read in place', (t) => {
    const mirror = openMirror(REFERENCE, ['tests/dl_normaliser_test.py']);
    if (!mirror) return t.skip(notFetched(REFERENCE));
    const text = readFileSync(join(mirror.dir, 'tests/dl_normaliser_test.py'), 'utf8');
    const cases = [...text.matchAll(/normaliser\(\s*(['"])(.*?)\1\)\s*(?:==\s*(['"])(.*?)\3|is None)/g)];
    assert.ok(cases.length >= 60, `expected the reference's examples, found ${cases.length}`);
    for (const [, , uri, , expected] of cases) assert.equal(canonicalGs1Uri(uri!), expected, uri);
  });

  test('every GS1 key URN in GS1’s EPCIS examples converts and comes back from its Digital Link', (t) => {
    const mirror = openMirror(GS1_EPCIS, ['JSON']);
    if (!mirror) return t.skip(notFetched(GS1_EPCIS));
    const urns = new Set(
      execFileSync(
        'grep',
        ['-rhoE', 'urn:epc:(id|class):(sgtin|sscc|sgln|grai|giai|lgtin):[^" ]+', mirror.dir],
        {
          encoding: 'utf8',
        },
      )
        .split('\n')
        .filter(Boolean),
    );
    assert.ok(urns.size > 20, `expected GS1's examples, found ${urns.size}`);
    for (const urn of urns) {
      const dl = digitalLinkOfEpcUrn(urn);
      assert.ok(dl, urn);
      const prefixLength = /:(\d+)\./.exec(urn)![1]!.length;
      assert.equal(epcUrnOfDigitalLink(dl, prefixLength), urn, urn);
    }
  });
});
