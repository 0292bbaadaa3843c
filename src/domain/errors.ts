/**
 * Typed errors raised anywhere below the edges. Each carries a stable `code` (it becomes the RFC 9457 problem
 * `type` URI at the HTTP edge and the exit code class in the CLI) and, for input faults, the failing fields.
 */
export type ErrorKind =
  'invalid' | 'not_found' | 'conflict' | 'unauthenticated' | 'forbidden' | 'unavailable';

export interface FieldIssue {
  /** JSON pointer-ish path of the failing input, e.g. `/serials/3` or `robotId`. */
  field: string;
  message: string;
  /** 1-based character position inside the field's value, when the fault is one character. */
  position?: number;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly fields: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, fields: FieldIssue[] = []) =>
  new DomainError('invalid', code, message, fields);

export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);

export const conflict = (code: string, message: string, fields: FieldIssue[] = []) =>
  new DomainError('conflict', code, message, fields);

export const unauthenticated = (message: string) =>
  new DomainError('unauthenticated', 'unauthenticated', message);

export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);
