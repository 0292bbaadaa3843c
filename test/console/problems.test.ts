// Problem documents as the console shows them (console/src/problems.ts): JSON Pointers (RFC 6901) to form fields.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldProblems, pointerToPath, problemCode, retryAfterMinutes } from '../../console/src/problems.js';

describe('the console’s reading of problem documents', () => {
  test('a pointer is the path of the field it names, with indexes as numbers and ~1 ~0 unescaped', () => {
    assert.deepEqual(pointerToPath('/email'), ['email']);
    assert.deepEqual(pointerToPath('/payload/replaced/0/new/serial'), [
      'payload',
      'replaced',
      0,
      'new',
      'serial',
    ]);
    assert.deepEqual(pointerToPath('/a~1b/c~0d/01'), ['a/b', 'c~d', '01']);
    assert.deepEqual(pointerToPath(''), []);
  });

  test('errors under a part of the body are given relative to it', () => {
    const errors = [
      { field: '/events/0/payload/kind', message: 'must be one of …' },
      { field: '/totp', message: 'must be 6 digits' },
    ];
    assert.deepEqual(fieldProblems(errors, ['events', 0, 'payload']), [
      { path: ['kind'], message: 'must be one of …' },
      { path: ['totp'], message: 'must be 6 digits' },
    ]);
    assert.deepEqual(fieldProblems(undefined), []);
  });

  test('the problem’s code from its type', () => {
    assert.equal(problemCode('urn:robotid:problem:invalid-credentials'), 'invalid-credentials');
    assert.equal(problemCode('about:blank'), undefined);
    assert.equal(problemCode(undefined), undefined);
  });

  test('a locked sign-in says the minutes its Retry-After asks for, rounded up, at least one', () => {
    const after = (value?: string) =>
      retryAfterMinutes(new Headers(value === undefined ? {} : { 'retry-after': value }));
    assert.equal(after('900'), 15);
    assert.equal(after('841'), 15);
    assert.equal(after('840'), 14);
    assert.equal(after('5'), 1);
    assert.equal(after('0'), 1);
    assert.equal(after(), 1, 'no header');
    assert.equal(after('Wed, 21 Oct 2026 07:28:00 GMT'), 1, 'a date: not a number of seconds');
  });
});
