import assert from 'node:assert/strict';
import { DomainError } from '../../src/domain/errors.js';

/** Runs `fn` and returns what it threw (failing the test if it threw nothing). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error, but nothing was thrown');
}

/** Runs `fn`, asserts it throws an invalid-input DomainError with this code, and returns the error. */
export function thrownInvalid(fn: () => unknown, code: string): DomainError {
  const caught = thrown(fn);
  assert.ok(caught instanceof DomainError, `expected a DomainError, got ${String(caught)}`);
  assert.equal(caught.kind, 'invalid');
  assert.equal(caught.code, code);
  return caught;
}
