import assert from 'node:assert/strict';
import { DomainError } from '../../src/domain/errors.js';

/** Runs `fn`, asserts it throws an invalid-input DomainError with this code, and returns the error. */
export function thrownInvalid(fn: () => unknown, code: string): DomainError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof DomainError, `expected a DomainError, got ${String(caught)}`);
  assert.equal(caught.kind, 'invalid');
  assert.equal(caught.code, code);
  return caught;
}
