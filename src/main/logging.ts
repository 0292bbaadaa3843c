import { pino, type Logger, type LoggerOptions } from 'pino';
import { PinoPretty } from 'pino-pretty';

/** Where log lines go: the process's stdout, or (in tests) any stream that says whether it is a terminal. */
export type LogOutput = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * The process's logger. A person at a terminal reads one line per record (time, level, message, then the
 * fields); anything else — CI, a file, a log shipper — gets pino's JSON lines, one object per record.
 * Pretty printing runs in this thread and writes synchronously, so a line logged just before `process.exit`
 * (the shutdown message) is not lost.
 */
export function makeLogger(options: LoggerOptions, output: LogOutput = process.stdout): Logger {
  if (!output.isTTY) return pino(options, output === process.stdout ? pino.destination(1) : output);
  const pretty = PinoPretty({
    destination: output,
    sync: true,
    colorize: output === process.stdout ? undefined : false,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
  });
  return pino(options, pretty);
}
