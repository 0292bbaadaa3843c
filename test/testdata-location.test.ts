import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { findTestdata } from './support/testdata.js';

describe('where the tests find the shared reference vectors', () => {
  const top = mkdtempSync(join(tmpdir(), 'robotid-testdata-'));
  after(() => rmSync(top, { recursive: true, force: true }));

  test('shared/testdata beside a folder above the checkout is found', () => {
    const vectors = join(top, 'found', 'shared', 'testdata');
    mkdirSync(vectors, { recursive: true });
    const checkout = join(top, 'found', 'ci', 'clone');
    mkdirSync(checkout, { recursive: true });
    assert.equal(findTestdata(checkout, {}), vectors);
  });

  test('ROBOTID_TESTDATA wins, and a folder it names that does not exist is an error', () => {
    const checkout = join(top, 'lone', 'clone');
    mkdirSync(checkout, { recursive: true });
    assert.equal(findTestdata(checkout, { ROBOTID_TESTDATA: top }), top);
    assert.throws(
      () => findTestdata(checkout, { ROBOTID_TESTDATA: join(top, 'nowhere') }),
      /ROBOTID_TESTDATA names .*nowhere/,
    );
  });

  test('with no vectors anywhere above and no ROBOTID_TESTDATA, the error says to set it', () => {
    const checkout = join(top, 'lone', 'clone');
    mkdirSync(checkout, { recursive: true });
    assert.throws(() => findTestdata(checkout, {}), /set ROBOTID_TESTDATA/);
  });
});
