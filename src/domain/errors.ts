/**
 * Typed errors raised anywhere below the edges. Each carries a stable `code` (it becomes the RFC 9457 problem
 * `type` URI at the HTTP edge and the exit code class in the CLI) and, for input faults, the failing fields.
 */
export type ErrorKind =
  'invalid' | 'not_found' | 'gone' | 'conflict' | 'unauthenticated' | 'forbidden' | 'locked' | 'unavailable';

export interface FieldIssue {
  /** JSON pointer-ish path of the failing input, e.g. `/serials/3` or `robotId`. */
  field: string;
  message: string;
  /** 1-based character position inside the field's value, when the fault is one character. */
  position?: number;
}

/** An issue as one line of text that names its field: `/events/0/payload/productionDate: is required`. */
export const describeIssue = (issue: FieldIssue) => `${issue.field}: ${issue.message}`;

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly fields: FieldIssue[] = [],
    /** Further machine-readable facts about the fault (RFC 9457 extension members), e.g. the robot's state. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, fields: FieldIssue[] = []) =>
  new DomainError('invalid', code, message, fields);

export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);

/** The thing existed and was removed for good (say, personal data erased on request). */
export const gone = (code: string, message: string) => new DomainError('gone', code, message);

export const conflict = (code: string, message: string, fields: FieldIssue[] = []) =>
  new DomainError('conflict', code, message, fields);

export const unauthenticated = (message: string) =>
  new DomainError('unauthenticated', 'unauthenticated', message);

export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);

/**
 * Refused for now, to slow guessing down (a sign-in locked after repeated failures): try again after
 * `retryAfterSeconds` (HTTP 429 with Retry-After).
 */
export const locked = (code: string, message: string, retryAfterSeconds: number) =>
  new DomainError('locked', code, message, [], { retryAfter: retryAfterSeconds });

/** Gathers the faults of several checks so that a request hears about all of them at once, not one per retry. */
export class Issues {
  readonly list: FieldIssue[] = [];

  /** Runs a check; an invalid-input error is noted (its fields kept) instead of thrown. */
  check<T>(run: () => T): T | undefined {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      this.list.push(...(error.fields.length > 0 ? error.fields : [{ field: '/', message: error.message }]));
      return undefined;
    }
  }

  add(issue: FieldIssue): void {
    this.list.push(issue);
  }

  /** Throws `invalid(code)` listing every fault noted (at most `limit`), if there is any. */
  throwIfAny(code: string, limit = 100): void {
    if (this.list.length === 0) return;
    const first = this.list[0]!;
    const more = this.list.length > 1 ? ` (and ${this.list.length - 1} more)` : '';
    throw invalid(code, `${first.field}: ${first.message}${more}`, this.list.slice(0, limit));
  }
}
