import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { makeLogger, type LogOutput } from '../../src/main/logging.js';

/** A stream that records what was written, and says whether it is a terminal. */
function output(isTTY: boolean): { stream: LogOutput; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY });
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

test('at a terminal the log is one readable line per record', async () => {
  const { stream, text } = output(true);
  makeLogger({ level: 'info' }, stream).info({ port: 8080 }, 'robotid registry ready');
  await new Promise((resolve) => setImmediate(resolve));
  const line = text();
  assert.match(line, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: robotid registry ready\n/);
  assert.match(line, /port: 8080/);
  assert.doesNotMatch(line, /^\{/);
});

test('anywhere else it is JSON lines for machines', async () => {
  const { stream, text } = output(false);
  makeLogger({ level: 'info' }, stream).info({ port: 8080 }, 'robotid registry ready');
  await new Promise((resolve) => setImmediate(resolve));
  const record = JSON.parse(text().trim()) as Record<string, unknown>;
  assert.equal(record.msg, 'robotid registry ready');
  assert.equal(record.port, 8080);
  assert.equal(record.level, 30);
});
