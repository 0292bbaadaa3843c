/**
 * EPCIS 2.0 capture (the REST binding's `/capture`): a document is checked whole, then kept as a capture job; its
 * events are read as lifecycle events (domain/epcis/from-epcis.ts) and recorded through the native capture, each
 * either recorded or rejected with its reason. A small document is taken before the answer; a larger one in the
 * background, in order of acceptance, by the process leading 'epcis-capture'. The job keeps the document until it
 * is done, so nothing accepted is lost when a process stops: a job found running when a process takes the lead
 * (it started, or the leader before it stopped) is run again from the start, which records nothing twice (an event
 * already recorded answers as a duplicate, by its eventID).
 */
import { DomainError, notFound } from '../../domain/errors.js';
import { documentPrefixes } from '../../domain/epcis/event-hash.js';
import { fromEpcisEvents } from '../../domain/epcis/from-epcis-document.js';
import { canonicalRobotId, robotNamed, type EpcisEventFacts } from '../../domain/epcis/from-epcis.js';
import { chunksReadAlone, joinedToPrevious } from '../../domain/epcis/read-together.js';
import type { CaptureJobRecord } from '../../store/store.js';
import { requireActor } from '../access.js';
import {
  abandonCapture,
  captureEventStream,
  isAbandoned,
  type CaptureMode,
  type EventProblem,
  type EventResult,
} from '../capture/index.js';
import { isoNow, randomId, type Actor, type AppContext, type Caller } from '../context.js';
import { repeatEvery } from '../../lib/repeat.js';
import { setImmediate } from 'node:timers/promises';
import { assertUserMay } from '../people/permissions.js';
import { oneRobotEach, placeInOriginal, type CopyOrigin } from '../../domain/epcis/one-robot-each.js';
import { resolveRobotEpcs, type RobotEpcResolution } from './robot-epc.js';
import { assertEpcisDocument } from './validate-document.js';

/** Documents of up to this many events are taken before the answer (the job exists all the same). */
export const INLINE_EVENTS = 1_000;

/** One event the job did not record, or the job's own failure (no index). */
export interface CaptureJobError {
  /** The event's place in the document's eventList. */
  index?: number;
  eventID?: string | null;
  problem: EventProblem;
}

/** What the job found: the binding's CaptureJob, with the registry's counts. */
export interface CaptureJobView {
  captureID: string;
  createdAt: string;
  finishedAt?: string;
  running: boolean;
  success: boolean;
  captureErrorBehaviour: CaptureMode;
  eventCount: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: CaptureJobError[];
}

interface JobResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: CaptureJobError[];
}

/**
 * Accepts a document for capture: 400 naming every fault when it is not valid EPCIS 2.0, else a new job, taken now
 * when small (`inlineEvents`), else queued for the background. Answers the job as it stands. `text`: the JSON text
 * the body was parsed from, when the edge has it: the job keeps the document as sent, not written out again.
 */
export async function submitEpcisCapture(
  ctx: AppContext,
  caller: Caller,
  body: unknown,
  mode: CaptureMode,
  inlineEvents = INLINE_EVENTS,
  failed: (error: unknown) => void = () => undefined,
  text?: string,
): Promise<CaptureJobView> {
  const actor = requireActor(caller);
  assertUserMay(caller, 'events.capture');
  const document = assertEpcisDocument(body);
  const id = randomId();
  const eventCount = document.epcisBody.eventList.length;
  await ctx.store.write((tx) =>
    tx.insertCaptureJob({
      id,
      orgId: actor.orgId,
      keyId: actor.keyId,
      mode,
      eventCount,
      createdAt: isoNow(ctx),
      document: text ?? JSON.stringify(document),
    }),
  );
  handOver(ctx, id, document);
  // The document is stored: an unexpected failure of the run now leaves the job queued for the background (or
  // failed, after its last attempt), and the answer is the job as it stands, not an error that says "not taken".
  if (eventCount <= inlineEvents) await runCaptureJob(ctx, id, actor).catch(failed);
  else void kickCaptureJobs(ctx, failed);
  return (await getEpcisCaptureJob(ctx, caller, id))!;
}

export async function getEpcisCaptureJob(
  ctx: AppContext,
  caller: Caller,
  id: string,
): Promise<CaptureJobView> {
  const actor = requireActor(caller);
  const job = await ctx.store.read((r) => r.getCaptureJob(id));
  // Another organisation's job is not there for this caller, as its robots' events are not.
  if (!job || job.orgId !== actor.orgId) throw notFound('capture-job-not-found', `no capture job ${id}`);
  return viewOf(job);
}

export async function listEpcisCaptureJobs(
  ctx: AppContext,
  caller: Caller,
  limit = 100,
): Promise<CaptureJobView[]> {
  const actor = requireActor(caller);
  return (await ctx.store.read((r) => r.listCaptureJobs(actor.orgId, limit))).map(viewOf);
}

/**
 * One round of the background: the process leading 'epcis-capture' takes the queued jobs in order. On its first
 * round as leader it first puts back in the queue the jobs left running by a process that stopped.
 */
export async function runQueuedCaptureJobs(ctx: AppContext): Promise<void> {
  if (!(await ctx.store.leads('epcis-capture'))) {
    leading.delete(ctx);
    handedOver.delete(ctx); // the leader reads them from the store
    return;
  }
  if (!leading.has(ctx)) {
    leading.add(ctx);
    await ctx.store.write((tx) => tx.requeueRunningCaptureJobs());
  }
  for (;;) {
    const [next] = await ctx.store.read((r) => r.captureJobsIn('queued', 1));
    if (!next) return;
    await runCaptureJob(ctx, next.id);
  }
}

/** The contexts whose process leads 'epcis-capture' since its last round (it requeued what it found running). */
const leading = new WeakSet<AppContext>();
/** The background round in flight per context: one at a time; a kick during one runs another after it. */
const rounds = new WeakMap<AppContext, Promise<void>>();

/** Starts a background round now (after the one in flight); a failed round leaves its job for the next. */
export function kickCaptureJobs(
  ctx: AppContext,
  failed: (error: unknown) => void = () => undefined,
): Promise<void> {
  const round = (rounds.get(ctx) ?? Promise.resolve()).then(() => runQueuedCaptureJobs(ctx)).catch(failed);
  rounds.set(ctx, round);
  return round;
}

/**
 * Every `intervalMs` (and now), a background round: the process that leads 'epcis-capture' takes the jobs the
 * processes that do not lead queued, and, when it has just taken the lead, those left running. Returns the stop.
 */
export function startEpcisCaptureWorker(
  ctx: AppContext,
  intervalMs: number,
  failed: (error: unknown) => void,
): () => Promise<void> {
  void kickCaptureJobs(ctx, failed);
  const stop = repeatEvery(intervalMs, () => kickCaptureJobs(ctx, failed), failed);
  return async () => {
    stop();
    await settleCaptureJobs(ctx);
  };
}

/** Waits for the background rounds started so far (shutdown, tests). */
export const settleCaptureJobs = (ctx: AppContext): Promise<void> => rounds.get(ctx) ?? Promise.resolve();

/** Claims a queued job and takes its events; nothing when another runner has it. */
async function runCaptureJob(ctx: AppContext, id: string, live?: Actor): Promise<void> {
  const claimed = await ctx.store.write((tx) => tx.claimCaptureJob(id, isoNow(ctx)));
  if (!claimed) return;
  const job = (await ctx.store.read((r) => r.getCaptureJob(id)))!;
  try {
    const document = takeHandedOver(ctx, id) ?? (await storedDocument(ctx, id));
    const result = await takeDocument(ctx, live ?? (await actorOf(ctx, job)), job, document);
    await ctx.store.write((tx) => tx.finishCaptureJob(id, isoNow(ctx), JSON.stringify(result)));
    failedAttempts.delete(id);
  } catch (error) {
    await afterFailedAttempt(ctx, id);
    throw error;
  }
}

/** Runs of a job that failed unexpectedly (a store that stopped answering, a fault of ours), per job. */
const failedAttempts = new Map<string, number>();
/** After this many, a job is finished as failed rather than tried again at each round for ever. */
export const CAPTURE_ATTEMPTS = 3;

/**
 * A run that failed unexpectedly recorded nothing it reported (each capture is one transaction): the job goes back
 * in the queue for the next round, or, after its last attempt, is finished with the failure as its one error, so
 * that the client knows to send the document again (which records nothing twice). When the store cannot take even
 * that, the job stays running until a process takes the lead again and requeues it.
 */
async function afterFailedAttempt(ctx: AppContext, id: string): Promise<void> {
  const attempts = (failedAttempts.get(id) ?? 0) + 1;
  failedAttempts.set(id, attempts);
  try {
    if (attempts < CAPTURE_ATTEMPTS) {
      await ctx.store.write((tx) => tx.requeueCaptureJob(id));
      return;
    }
    const failure: JobResult = {
      accepted: 0,
      duplicates: 0,
      rejected: 0,
      errors: [
        {
          problem: {
            kind: 'unavailable',
            code: 'capture-job-failed',
            message:
              `the registry could not take this document (${attempts} attempts); no event of it was recorded ` +
              'by the failed attempts: send it again (events recorded before count as duplicates)',
            fields: [],
          },
        },
      ],
    };
    await ctx.store.write((tx) => tx.finishCaptureJob(id, isoNow(ctx), JSON.stringify(failure)));
    failedAttempts.delete(id);
  } catch {
    // The store is not answering: the job stays running; the next leader requeues it (runQueuedCaptureJobs).
  }
}

/** A document as takeDocument reads it. */
interface AcceptedDocument {
  '@context'?: unknown;
  epcisBody: { eventList: EpcisEventFacts[] };
}

const storedDocument = async (ctx: AppContext, id: string): Promise<AcceptedDocument> =>
  JSON.parse((await ctx.store.read((r) => r.captureJobDocument(id)))!) as AcceptedDocument;

/**
 * Documents just accepted by this process, as parsed, for its runner to take without reading back and parsing what
 * it has just stored (the store keeps its copy until the job is done, for a process that stops before). A few at
 * most, and none kept by a process that does not lead: a job another process runs, or one queued behind others, is
 * read from the store.
 */
const handedOver = new WeakMap<AppContext, Map<string, AcceptedDocument>>();
const HANDED_OVER_AT_MOST = 2;

function handOver(ctx: AppContext, id: string, document: AcceptedDocument): void {
  const documents = handedOver.get(ctx) ?? new Map<string, AcceptedDocument>();
  handedOver.set(ctx, documents);
  documents.set(id, document);
  for (const oldest of documents.keys()) {
    if (documents.size <= HANDED_OVER_AT_MOST) break;
    documents.delete(oldest);
  }
}

function takeHandedOver(ctx: AppContext, id: string): AcceptedDocument | undefined {
  const documents = handedOver.get(ctx);
  const document = documents?.get(id);
  documents?.delete(id);
  return document;
}

/** Who a background job acts as: its organisation, with its roles as they are now, through the key it came with. */
async function actorOf(ctx: AppContext, job: CaptureJobRecord): Promise<Actor | null> {
  const org = await ctx.store.read((r) => r.getOrganisation(job.orgId));
  return org ? { orgId: org.id, keyId: job.keyId, roles: new Set(org.roles) } : null;
}

/**
 * A document's events are read and recorded this many at a time, both at once (captureEventStream); the first and
 * the last chunks are smaller, so that the writer starts sooner and has less left to write once the reading ends.
 */
export const READING_CHUNK = 1_000;
const EDGE_READING_CHUNK = 250;

/**
 * Reads the document's events as lifecycle events a chunk at a time (chunks that can be read alone: an event with
 * the parts events that join it, one repair's parts), each chunk recorded by the writer while the next is read. One
 * capture all the same: in `rollback`, an event that means nothing here abandons it (nothing is recorded) and the
 * rest is read only for what else it would refuse, as a document read whole would say.
 */
async function takeDocument(
  ctx: AppContext,
  actor: Actor | null,
  job: CaptureJobRecord,
  document: AcceptedDocument,
): Promise<JobResult> {
  const chunkSize = ctx.epcisReadingChunk ?? READING_CHUNK;
  const list = document.epcisBody.eventList;
  const reader = await documentReader(ctx, document);
  const joined = joinedToPrevious(list, reader.robotKey);
  const edge = Math.min(chunkSize, EDGE_READING_CHUNK);
  const chunks = chunksReadAlone(joined, chunkSize, edge, edge).values();
  const errors: CaptureJobError[] = [];
  const origin: CopyOrigin[] = []; // where in the document each native event of the capture comes from
  /** The chunk's lifecycle events (their origins noted), its refusals added to `errors`. */
  const read = async (chunk: [number, number]) => {
    const reading = await reader.read(chunk);
    errors.push(...reading.rejected);
    origin.push(...reading.origins);
    return reading.events;
  };
  const counts = { accepted: 0, duplicates: 0 };
  const abandons = () => job.mode === 'rollback' && errors.length > 0;
  // Up to the first chunk with something to record: none (or a refusal in rollback) records nothing at all.
  let first: unknown[] = [];
  while (first.length === 0 && !abandons()) {
    const next = chunks.next();
    if (next.done) break;
    first = await read(next.value);
  }
  const readRest = async () => {
    for (const chunk of chunks) await read(chunk);
  };
  if (first.length === 0 || abandons()) {
    await readRest();
    return finished(counts, errors);
  }
  async function* natives(): AsyncGenerator<unknown[]> {
    yield first;
    for (const chunk of chunks) {
      await setImmediate(); // a turn for the requests waiting (polls of this job among them)
      const events = await read(chunk);
      if (abandons())
        throw abandonCapture('an event of the document was rejected: nothing of it is recorded');
      if (events.length > 0) yield events;
    }
  }
  let results: EventResult[];
  try {
    // The events not accepted, each with its reason or as a duplicate; the accepted ones counted.
    const captured = await captureEventStream(ctx, actor, job.mode, natives(), { refusalsOnly: true });
    counts.accepted = captured.accepted;
    results = captured.results;
  } catch (error) {
    if (isAbandoned(error)) {
      await readRest();
      return finished(counts, errors);
    }
    if (!(error instanceof DomainError)) throw error;
    const refused = (error.extensions as { results?: EventResult[] }).results;
    if (!refused) return finished(counts, [...errors, { problem: problemOf(error) }]); // the whole job
    // Rolled back: none of the events was recorded; the refused ones say why.
    results = refused.filter((r) => r.outcome === 'rejected');
  }
  for (const r of results) {
    const from = origin[r.index]!;
    if (r.outcome === 'rejected')
      errors.push({ index: from.index, eventID: r.eventId, problem: inDocument(r.problem!, r.index, from) });
    else if (r.outcome === 'duplicate') counts.duplicates += 1;
  }
  return finished(counts, errors);
}

/** The job's result: its refusals in document order, those of the reading and of the capture (each an event's). */
function finished(counts: Pick<JobResult, 'accepted' | 'duplicates'>, errors: CaptureJobError[]): JobResult {
  errors.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
  return { ...counts, rejected: errors.filter((e) => e.index !== undefined).length, errors };
}

/**
 * How the document's events are read, a chunk [start, end) at a time, each ObjectEvent about several robots as one
 * copy per robot (domain/epcis/one-robot-each.ts). The robots that parentIDs name are resolved at once (GS1 keys
 * included: they decide which events go together); those of a chunk's EPCs, one read per chunk as it is read, so
 * that the writer starts on the first chunk without waiting for the whole document's robots to be looked up.
 */
async function documentReader(ctx: AppContext, document: AcceptedDocument) {
  const list = document.epcisBody.eventList;
  const prefixes = documentPrefixes(document['@context']);
  const robots = new Map<string, RobotEpcResolution>();
  /** Resolves the EPCs not resolved yet into `robots`. */
  const resolve = async (epcs: string[]) => {
    const unknown = epcs.filter((epc) => !robots.has(epc));
    if (unknown.length === 0) return;
    const found = await ctx.store.read((r) => resolveRobotEpcs(r, ctx.publicBaseUrl, unknown));
    for (const [epc, resolution] of found) robots.set(epc, resolution);
  };
  await resolve(list.flatMap((e) => (typeof e.parentID === 'string' ? [e.parentID] : [])));
  // An event may bind prefixes of its own in its @context, over the document's.
  const prefixesOf = (index: number) => {
    const own =
      list[index]!['@context'] === undefined ? undefined : documentPrefixes(list[index]!['@context']);
    return own ? { ...prefixes, ...own } : prefixes;
  };
  const context = (index: number) => ({
    publicBaseUrl: ctx.publicBaseUrl,
    prefixes: prefixesOf(index),
    robots,
  });
  return {
    /** The robot a parentID names, as reading it would (its text when it names none). */
    robotKey(parentID: string): string {
      const named = robotNamed(parentID, '/parentID', context(0));
      return 'robotId' in named ? canonicalRobotId(named.robotId) : parentID;
    },
    async read([start, end]: [number, number]) {
      const events = list.slice(start, end);
      await resolve(events.flatMap((e) => (Array.isArray(e.epcList) ? (e.epcList as string[]) : [])));
      const copies = oneRobotEach(events, (i) => prefixesOf(start + i));
      const origins = copies.origins.map((o) => ({ ...o, index: start + o.index }));
      const reading = fromEpcisEvents(copies.events, (i) => context(origins[i]!.index));
      const rejected = reading.rejected.map(({ index: i, reason: { code, message, field } }) => {
        const { index } = origins[i]!;
        const event = list[index]!;
        const problem: EventProblem = {
          kind: 'invalid',
          code,
          message,
          fields: [{ field: `/epcisBody/eventList/${index}${placeInOriginal(field, origins[i]!)}`, message }],
        };
        return { index, eventID: typeof event.eventID === 'string' ? event.eventID : null, problem };
      });
      return {
        events: reading.events.map((r) => r.event),
        origins: reading.events.map((r) => origins[r.index]!),
        rejected,
      };
    },
  };
}

/**
 * A native problem's places (`/events/<j>…`) as places in the document (`/epcisBody/eventList/<i>…`); the event as a
 * whole, when it is one robot's copy of an event about several, is its robot's EPC (`…/epcList/<k>`).
 */
function inDocument(problem: EventProblem, nativeIndex: number, origin: CopyOrigin): EventProblem {
  const from = `/events/${nativeIndex}`;
  const at = `/epcisBody/eventList/${origin.index}`;
  const whole = origin.epc === undefined ? at : `${at}/epcList/${origin.epc}`;
  const fields = problem.fields.map((f) => {
    if (f.field === from) return { ...f, field: whole };
    return f.field.startsWith(`${from}/`) ? { ...f, field: `${at}${f.field.slice(from.length)}` } : f;
  });
  return { ...problem, fields };
}

const problemOf = (error: DomainError): EventProblem => ({
  kind: error.kind,
  code: error.code,
  message: error.message,
  fields: error.fields,
});

function viewOf(job: CaptureJobRecord): CaptureJobView {
  const result = job.result ? (JSON.parse(job.result) as JobResult) : undefined;
  return {
    captureID: job.id,
    createdAt: job.createdAt,
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    running: job.state !== 'done',
    success: (result?.errors.length ?? 0) === 0,
    captureErrorBehaviour: job.mode,
    eventCount: job.eventCount,
    accepted: result?.accepted ?? 0,
    duplicates: result?.duplicates ?? 0,
    rejected: result?.rejected ?? 0,
    errors: result?.errors ?? [],
  };
}
