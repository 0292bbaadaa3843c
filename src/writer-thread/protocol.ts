import type { CaptureMode, CaptureResult, Prepared } from '../app/capture/index.js';
import type { Caller } from '../app/context.js';
import type { ErrorKind, FieldIssue } from '../domain/errors.js';
import type { EventType } from '../domain/lifecycle/events.js';

/** What the writer thread needs to open its own context on the same database. */
export interface WriterSetup {
  file: string;
  publicBaseUrl: string;
  operatorCountry: string;
  deadlines: Record<EventType, number>;
}

export interface CaptureRequest {
  id: number;
  caller: Caller;
  prepared: Prepared[];
  mode: CaptureMode;
}

/** A DomainError as data: errors lose their own fields when they cross threads. */
export interface DomainErrorData {
  kind: ErrorKind;
  code: string;
  message: string;
  fields: FieldIssue[];
  extensions: Record<string, unknown>;
}

export type CaptureReply =
  | { id: number; ok: true; result: CaptureResult }
  | { id: number; ok: false; domainError: DomainErrorData }
  | { id: number; ok: false; crash: { message: string; stack?: string } };
