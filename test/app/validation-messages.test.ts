// Schema faults are explained in words: every pattern the API's schemas use (openapi.json and the event payloads)
// has a meaning a person can act on, and the issue carries it instead of the regular expression.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { IncomingEvent } from '../../src/app/event-schemas.js';
import { PAYLOAD_SCHEMAS } from '../../src/domain/lifecycle/payloads.js';
import { PATTERN_MEANINGS, strictAjv, fieldIssues } from '../../src/app/validation.js';

function patternsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) patternsIn(item, found);
  else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'pattern' && typeof inner === 'string') found.add(inner);
      else patternsIn(inner, found);
    }
  return found;
}

test('every pattern in the API and event schemas has a meaning in words', () => {
  const openapi: unknown = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));
  const patterns = patternsIn([openapi, IncomingEvent, PAYLOAD_SCHEMAS]);
  assert.ok(patterns.size >= 6, `found ${patterns.size} patterns`);
  for (const pattern of patterns) assert.ok(PATTERN_MEANINGS[pattern], `no meaning for ${pattern}`);
});

test('a pattern fault names the field and says what is wanted, not the regular expression', () => {
  const validate = strictAjv.compile(PAYLOAD_SCHEMAS.exported);
  assert.equal(validate({ country: 'china' }), false);
  const issue = fieldIssues(validate.errors!, '/payload').find((i) => i.field === '/payload/country');
  assert.match(issue!.message, /two-letter country code/);
  assert.doesNotMatch(issue!.message, /\^|\$/);
});
