/**
 * An EPCISDocument as `robotid epcis capture` handles it: split into captures the registry takes (events and bytes
 * within its advertised limits), and the events it did not record written back as a document to fix and resend.
 */
import { joinedToPrevious } from '../../domain/epcis/read-together.js';
import type { EpcisCaptureJob, EpcisJobProblem } from './api-types.js';

/** The document-level member of a rejected file that says why each of its events was not recorded. */
export const REJECTED_MEMBER = 'robotid:rejected';

export interface EpcisDocument {
  epcisBody: { eventList: unknown[]; [member: string]: unknown };
  [member: string]: unknown;
}

/** One capture to send: consecutive events of the document, from `offset`. */
export interface Part {
  offset: number;
  document: EpcisDocument;
}

export interface CaptureLimits {
  /** GS1-EPCIS-Capture-Limit: events a capture takes. */
  events: number;
  /** GS1-EPCIS-Capture-File-Size-Limit: bytes a capture takes. */
  bytes: number;
}

/** Whether `value` has the envelope's `epcisBody.eventList`, which is what can be split. */
export function isEpcisDocument(value: unknown): value is EpcisDocument {
  const body = (value as { epcisBody?: unknown } | null)?.epcisBody;
  return (
    typeof body === 'object' && body !== null && Array.isArray((body as { eventList?: unknown }).eventList)
  );
}

/** The document with other events: its header (context, dates, epcisHeader …) kept, so each event hash is too. */
function withEvents(document: EpcisDocument, events: unknown[]): EpcisDocument {
  const { [REJECTED_MEMBER]: _, ...rest } = document;
  return { ...rest, epcisBody: { ...document.epcisBody, eventList: events } };
}

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * The document as consecutive parts of at most `limits.events` events and `limits.bytes` bytes each (one part, the
 * document itself without a rejected file's notes, when it fits), never cutting between events read together
 * (joinedToPrevious). Throws RangeError when one event alone is over the byte limit, or events read together are
 * more than a capture takes.
 */
export function splitDocument(document: EpcisDocument, limits: CaptureLimits): Part[] {
  const events = document.epcisBody.eventList;
  const whole = withEvents(document, events);
  if (events.length <= limits.events && bytesOf(whole) <= limits.bytes)
    return [{ offset: 0, document: whole }];
  // A part's bytes: the envelope's, and each event's with the comma before it (the first has none).
  const envelope = bytesOf(withEvents(document, [])) - 1;
  const sizes = events.map((e) => bytesOf(e) + 1);
  const joined = joinedToPrevious(events);
  const parts: Part[] = [];
  let start = 0;
  let bytes = envelope;
  for (let i = 0; i < events.length; i++) {
    if (envelope + sizes[i]! > limits.bytes) {
      throw new RangeError(
        `event ${i} alone is ${sizes[i]! - 1} bytes, over the ${limits.bytes} a capture takes (GS1-EPCIS-Capture-File-Size-Limit)`,
      );
    }
    while (i - start >= limits.events || bytes + sizes[i]! > limits.bytes) {
      let cut = i;
      while (cut > start && joined[cut]) cut -= 1;
      if (cut === start) {
        throw new RangeError(
          `events ${start} to ${i} are read together (parts with the event they belong to, or one repair's parts) and are more than a capture takes`,
        );
      }
      parts.push({ offset: start, document: withEvents(document, events.slice(start, cut)) });
      start = cut;
      bytes = envelope + sizes.slice(start, i).reduce((sum, n) => sum + n, 0);
    }
    bytes += sizes[i]!;
  }
  parts.push({ offset: start, document: withEvents(document, events.slice(start)) });
  return parts;
}

/** A not-recorded event as the rejected file says it: its place here and in the input, and why. */
export interface RejectedNote {
  /** Its place in the rejected file's eventList (the problem's pointers point there). */
  index: number;
  /** Its place in the input's eventList. */
  sourceIndex: number;
  eventID: string | null;
  problem: EpcisJobProblem;
}

/** A failure the job reported without saying why. */
const UNKNOWN: EpcisJobProblem = {
  kind: 'unavailable',
  code: 'capture-failed',
  message: 'the capture failed',
  fields: [],
};

const POINTER = /^\/epcisBody\/eventList\/\d+/;

/** The problem with its places (`/epcisBody/eventList/<i>…`) moved to the event at `index`. */
export const problemAt = (problem: EpcisJobProblem, index: number): EpcisJobProblem => ({
  ...problem,
  fields: problem.fields.map((f) => ({
    ...f,
    field: f.field.replace(POINTER, `/epcisBody/eventList/${index}`),
  })),
});

const rolledBack = (mode: string, why: string): EpcisJobProblem => ({
  kind: 'conflict',
  code: 'rolled-back',
  message:
    mode === 'rollback'
      ? `not recorded: ${why}, and rollback records a capture whole or not at all; send it again with the others`
      : `not recorded: ${why}`,
  fields: [],
});

/**
 * The events of a part its finished job did not record, each with its reason: in proceed mode the rejected ones;
 * when the job recorded nothing (rollback with a rejection, or a failure of the whole job), every event of the part,
 * those that were not at fault said to be rolled back with the others.
 */
/** An event a capture did not record: its place in the input, and why. */
export interface Unrecorded {
  sourceIndex: number;
  eventID: string | null;
  problem: EpcisJobProblem;
  /** Rejected for a reason of its own (not only rolled back with others, nor in a capture that failed whole). */
  own: boolean;
}

export function notRecorded(part: Part, job: EpcisCaptureJob): Unrecorded[] {
  const events = part.document.epcisBody.eventList;
  const byIndex = new Map(job.errors.filter((e) => e.index !== undefined).map((e) => [e.index!, e]));
  const whole =
    job.errors.find((e) => e.index === undefined)?.problem ??
    (job.errors.length > byIndex.size ? UNKNOWN : undefined);
  const nothingRecorded =
    whole !== undefined || (job.captureErrorBehaviour === 'rollback' && byIndex.size > 0);
  const faulty = [...byIndex.keys()].slice(0, 5).map((i) => i + part.offset);
  const why = whole
    ? `the capture failed: ${whole.message}`
    : `event${faulty.length > 1 ? 's' : ''} ${faulty.join(', ')}${byIndex.size > faulty.length ? ', …' : ''} of the same capture ${byIndex.size > 1 ? 'were' : 'was'} rejected`;
  const indexes = nothingRecorded ? events.map((_, i) => i) : [...byIndex.keys()].sort((a, b) => a - b);
  return indexes.map((i) => {
    const error = byIndex.get(i);
    const eventID = (events[i] as { eventID?: unknown } | null)?.eventID;
    return {
      sourceIndex: i + part.offset,
      eventID: error?.eventID ?? (typeof eventID === 'string' ? eventID : null),
      problem: error?.problem ?? whole ?? rolledBack(job.captureErrorBehaviour, why),
      own: error !== undefined,
    };
  });
}

/**
 * The rejected file: the input's header with the not-recorded events as its eventList, unchanged (so that, fixed, it
 * can be sent as it is: events without eventID keep their event hash), and under `robotid:rejected` (a document
 * extension member, which capture ignores) why each was not recorded, pointing into this file.
 */
export function rejectedDocument(input: EpcisDocument, rejected: readonly Unrecorded[]): EpcisDocument {
  const ordered = [...rejected].sort((a, b) => a.sourceIndex - b.sourceIndex);
  const notes: RejectedNote[] = ordered.map((r, index) => ({
    index,
    sourceIndex: r.sourceIndex,
    eventID: r.eventID,
    problem: problemAt(r.problem, index),
  }));
  const document = withEvents(
    input,
    ordered.map((r) => input.epcisBody.eventList[r.sourceIndex]),
  );
  return { ...document, [REJECTED_MEMBER]: notes };
}
