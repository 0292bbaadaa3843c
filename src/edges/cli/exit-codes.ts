import type { ErrorKind } from '../../domain/errors.js';

/** What `robotid` exits with; scripts rely on these, so they never change meaning. */
export const ExitCode = {
  ok: 0,
  /** `id check` found a fault in the ID. */
  checkFailed: 1,
  /** Bad or missing arguments, or the registry rejected the input as invalid. */
  usage: 2,
  notFound: 3,
  /** Not authenticated or not permitted, including no API key configured. */
  auth: 4,
  conflict: 5,
  /** Server error, or the registry could not be reached. */
  unavailable: 6,
  /** A witness saw the log fork, shrink or rewrite history. */
  logAlarm: 7,
  /** Sign-in locked after repeated failures: wait (the message says how long) or ask an administrator. */
  locked: 8,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  the check failed (id check found a fault in the ID; import had lines rejected; epcis capture had events
     not recorded; verify or audit failed)
  2  usage error: bad or missing arguments, or the registry rejected the input (HTTP 400, 413, 415, 422)
  3  not found (HTTP 404), or gone for good (HTTP 410: personal data erased)
  4  not authenticated or not permitted (HTTP 401, 403), or no API key configured
  5  conflict (HTTP 409)
  6  server or network error (HTTP 5xx, registry not reachable)
  7  witness alarm: the log forked, shrank or rewrote history (evidence saved)
  8  sign-in locked after repeated failures (HTTP 429 sign-in-locked): wait, or ask an administrator to unlock`;

/** The exit code for an HTTP error status (and the problem's type, where one code has its own exit). */
export function exitCodeForStatus(status: number, problemType?: string): ExitCodeValue {
  if (status === 429 && problemType === 'urn:robotid:problem:sign-in-locked') return ExitCode.locked;
  if (status === 401 || status === 403) return ExitCode.auth;
  if (status === 404 || status === 410) return ExitCode.notFound;
  if (status === 409) return ExitCode.conflict;
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return ExitCode.usage;
  return ExitCode.unavailable;
}

/** The exit code for a domain error raised by a local command (`admin init`). */
export function exitCodeForKind(kind: ErrorKind): ExitCodeValue {
  const codes: Record<ErrorKind, ExitCodeValue> = {
    invalid: ExitCode.usage,
    not_found: ExitCode.notFound,
    gone: ExitCode.notFound,
    unauthenticated: ExitCode.auth,
    forbidden: ExitCode.auth,
    locked: ExitCode.locked,
    conflict: ExitCode.conflict,
    unavailable: ExitCode.unavailable,
  };
  return codes[kind];
}

/** A failure the CLI reports as `error: <message>` plus detail lines on stderr, then exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string, details: readonly string[] = []) =>
  new CliError(ExitCode.usage, message, details);
