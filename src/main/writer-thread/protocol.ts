import type { CaptureChunk, CaptureRequest, CaptureResult } from '../../app/capture/index.js';
import type { ErrorKind, FieldIssue } from '../../domain/errors.js';
import type { EventType } from '../../domain/lifecycle/events.js';
import type { PostgresOptions } from '../../store/postgres/index.js';

/** The database the writer thread opens a connection of its own to. */
export type WriterDatabase =
  | {
      kind: 'sqlite';
      file: string;
      /** The benchmark's capture without the log (SqliteOptions.withoutLog). */
      withoutLog: boolean;
      /** The StorageState flag shared with the HTTP thread's store (readiness after a full disk). */
      storage: Int32Array;
    }
  | { kind: 'postgres'; url: string; options: PostgresOptions };

/** What the writer thread needs to open its own context on the same database. */
export interface WriterSetup {
  database: WriterDatabase;
  publicBaseUrl: string;
  operatorCountry: string;
  deadlines: Record<EventType, number>;
  /** The log's signing key and witnesses (the thread signs nothing, but its context is a whole one). */
  logKey: string;
  witnesses: string[];
}

/**
 * Captures waiting when the thread became free: committed together. A streamed capture goes alone (`stream`), its
 * chunks (none yet) following as StreamMessages.
 */
export interface GroupRequest {
  id: number;
  group: CaptureRequest[];
  stream?: true;
}

/** The next chunk of a streamed capture (the GroupRequest's id), its end, or the source's failure: undo it. */
export type StreamMessage =
  | { stream: number; chunk: CaptureChunk }
  | { stream: number; end: true }
  | { stream: number; abandon: string };

/** A DomainError as data: errors lose their own fields when they cross threads. */
export interface DomainErrorData {
  kind: ErrorKind;
  code: string;
  message: string;
  fields: FieldIssue[];
  extensions: Record<string, unknown>;
}

export type CaptureReply = { ok: true; result: CaptureResult } | { ok: false; domainError: DomainErrorData };

/** One reply per capture of the group, in order; or the error that failed the whole group. */
export type GroupReply =
  { id: number; replies: CaptureReply[] } | { id: number; crash: { message: string; stack?: string } };
