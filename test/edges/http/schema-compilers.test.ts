import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCachedSerializer } from '../../../src/edges/http/serializers.js';
import { validatorCompiler } from '../../../src/edges/http/validation.js';

const route = (schema: unknown) => ({ schema, method: 'GET', url: '/x', httpStatus: '200' });
const Named = { $id: 'Named', type: 'object', properties: { name: { type: 'string' } } };
const withNamed = { type: 'object', properties: { thing: { $ref: 'Named#' }, n: { type: 'integer' } } };

test('a response schema is compiled once per process, for every server built with the same shared schemas', () => {
  const first = buildCachedSerializer({ Named })(route(withNamed));
  const again = buildCachedSerializer({ Named: structuredClone(Named) })(route(structuredClone(withNamed)));
  assert.equal(again, first, 'the same serializer, not compiled again');
  assert.equal(first({ thing: { name: 'a', extra: 1 }, n: 2, other: 3 }), '{"thing":{"name":"a"},"n":2}');
});

test('another schema, or other shared schemas, get a serializer of their own', () => {
  const first = buildCachedSerializer({ Named })(route(withNamed));
  const otherShared = { Named: { ...Named, properties: { label: { type: 'string' } } } };
  const other = buildCachedSerializer(otherShared)(route(withNamed));
  assert.notEqual(other, first);
  assert.equal(other({ thing: { name: 'a', label: 'b' }, n: 2 }), '{"thing":{"label":"b"},"n":2}');
  const third = buildCachedSerializer({ Named })(
    route({ type: 'object', properties: { n: { type: 'string' } } }),
  );
  assert.notEqual(third, first);
  assert.equal(third({ n: 2 }), '{"n":"2"}');
});

test('a shared schema used as a response schema itself is serialized as the default compiler does', () => {
  assert.equal(buildCachedSerializer({ Named })(route(Named))({ name: 'a', x: 1 }), '{"name":"a"}');
});

test('a request schema is compiled once per process for its part: copies get the same validator', () => {
  const limit = { type: 'object', properties: { limit: { type: 'integer', maximum: 10 } } };
  const query = (schema: unknown) => ({ schema, method: 'GET', url: '/x', httpPart: 'querystring' });
  const first = validatorCompiler(query(limit));
  assert.equal(validatorCompiler(query(structuredClone(limit))), first);
  const asBody = validatorCompiler({ ...query(limit), httpPart: 'body' });
  assert.notEqual(asBody, first, 'a body is checked as sent; a query string is coerced');
  assert.equal(first({ limit: '5' }), true);
  assert.equal(asBody({ limit: '5' }), false);
  assert.equal(first({ limit: '11' }), false);
});
