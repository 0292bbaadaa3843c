import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunksReadAlone } from '../../src/domain/epcis/read-together.js';

const alone = (n: number) => Array.from({ length: n }, () => false);

test('a document is cut into chunks of the size asked, the first of its own size, the last with what is left', () => {
  assert.deepEqual(chunksReadAlone(alone(10), 4), [
    [0, 4],
    [4, 8],
    [8, 10],
  ]);
  assert.deepEqual(chunksReadAlone(alone(10), 4, 2), [
    [0, 2],
    [2, 6],
    [6, 10],
  ]);
  assert.deepEqual(chunksReadAlone([], 4, 2), []);
});

test('no cut falls before an event joined to the one before it: the chunk grows to take it', () => {
  const joined = alone(10);
  joined[2] = true; // event 2 goes with event 1: the small first chunk takes it
  joined[6] = true;
  joined[7] = true; // events 5 to 7 go together
  assert.deepEqual(chunksReadAlone(joined, 4, 2), [
    [0, 3],
    [3, 8],
    [8, 10],
  ]);
});
