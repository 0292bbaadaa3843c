import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TESTDATA } from './testdata.js';
import { NoteError, type NoteErrorCode } from '../../src/log/note.js';
import { thrown } from './errors.js';

/** The published signed-note and checkpoint vectors, read in place from the shared checkout. */
export const SIGNED_NOTE_VECTORS = JSON.parse(
  readFileSync(join(TESTDATA, 'signed-note', 'signed-note-vectors.json'), 'utf8'),
) as { notes: unknown[]; checkpoints: unknown[] };

/** Runs `fn`, asserts it throws a NoteError with this code, and returns the error. */
export function thrownNoteError(fn: () => unknown, code: NoteErrorCode): NoteError {
  const caught = thrown(fn);
  assert.ok(caught instanceof NoteError, `expected a NoteError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}
