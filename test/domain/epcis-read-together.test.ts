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

test('the last chunk is of its own size, the one before it taking what is left between', () => {
  assert.deepEqual(chunksReadAlone(alone(12), 4, 2, 2), [
    [0, 2],
    [2, 6],
    [6, 10],
    [10, 12],
  ]);
  assert.deepEqual(chunksReadAlone(alone(11), 4, 2, 2), [
    [0, 2],
    [2, 6],
    [6, 9],
    [9, 11],
  ]);
  // a document hardly larger than the last size: the first chunk leaves the last its size too
  assert.deepEqual(chunksReadAlone(alone(3), 4, 2, 2), [
    [0, 1],
    [1, 3],
  ]);
  assert.deepEqual(chunksReadAlone(alone(2), 4, 2, 2), [[0, 2]]);
  // a 10,000-event document as the registry reads it
  const sizes = chunksReadAlone(alone(10_000), 1000, 250, 250).map(([a, b]) => b - a);
  assert.deepEqual(sizes, [250, ...Array<number>(9).fill(1000), 500, 250]);
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
