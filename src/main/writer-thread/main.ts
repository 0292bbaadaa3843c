import type { Worker } from 'node:worker_threads';
import type { CaptureChunk, CaptureRequest, CaptureResult } from '../../app/capture/index.js';
import { DomainError } from '../../domain/errors.js';
import { startThread, stopThread } from '../../lib/threads.js';
import type { CaptureReply, GroupReply, GroupRequest, StreamMessage, WriterSetup } from './protocol.js';

// A batch of 10,000 events makes tens of megabytes of objects that live until its commit: a young generation
// that holds several batches lets them die young instead of being copied at every scavenge (measured: garbage
// collection fell from a third of all CPU to a tenth).
const resourceLimits = { maxYoungGenerationSizeMb: 768 };

/** Events in one group at most: a group is one transaction, and its batches wait for each other's commit. */
const GROUP_EVENTS = 40_000;

/**
 * Groups sent ahead to the thread: it starts the next the moment it has answered one, instead of waiting until
 * this thread has read the answer and sent more (this thread may be busy parsing a batch for a tenth of a second).
 * Two are enough to keep it busy; what arrives meanwhile waits here and goes as one group.
 */
const GROUPS_AHEAD = 2;

interface Pending {
  request: CaptureRequest;
  resolve: (result: CaptureResult) => void;
  reject: (error: Error) => void;
  /** A streamed capture's source failed: it was abandoned (the thread undid it), and this is the answer. */
  abandonedWith?: Error;
  settled?: boolean;
}

/** A streamed capture: its chunks come as they are made (CaptureRequest.chunks is not an array). */
const isStream = (
  request: CaptureRequest,
): request is CaptureRequest & { chunks: AsyncIterable<CaptureChunk> } => !Array.isArray(request.chunks);

const eventsOf = (request: CaptureRequest) =>
  Array.isArray(request.chunks) ? request.chunks.reduce((n, c) => n + c.prepared.length, 0) : Infinity;

/**
 * The embedded store's writers' turn: `take` runs `work` once the other writers of this process are done, and holds
 * the turn until `work` settles; `othersWaiting` says whether any is waiting for it. At once, for PostgreSQL.
 */
export interface WritersTurn {
  take: (work: () => Promise<void>) => Promise<void>;
  othersWaiting: () => boolean;
}

/**
 * The HTTP thread's handle on the writer thread, started at the first capture (or by `start`). Captures go to it in
 * the writers' turn: with the embedded store, so that the two writer connections never contend for SQLite's lock
 * (PostgreSQL's own lock orders writers there). The turn is held while the thread has groups to do and given up
 * when another writer of this process waits, so that neither starves.
 */
export class WriterThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly queued: Pending[] = [];
  private readonly inFlight = new Map<number, Pending[]>();
  /** Gives the turn back; set while it is held. */
  private release: (() => void) | null = null;
  private asking = false;

  constructor(
    private readonly turn: WritersTurn,
    private readonly setup: WriterSetup,
  ) {}

  applyCapture(request: CaptureRequest): Promise<CaptureResult> {
    return new Promise<CaptureResult>((resolve, reject) => {
      this.queued.push({ request, resolve, reject });
      this.pump();
    });
  }

  /** Starts the thread ahead of the first capture (which otherwise waits for it to load, about half a second). */
  start(): void {
    this.started();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    await stopThread(worker);
  }

  /** Sends what waits, in the turn (asked for if need be), unless enough is on its way or others wait their turn. */
  private pump(): void {
    if (!this.release) {
      if (this.queued.length > 0 && !this.asking) this.askForTurn();
      return;
    }
    if (this.turn.othersWaiting()) {
      if (this.inFlight.size === 0) this.giveTurnBack(); // after what was sent is done: let them go, then ask again
      return;
    }
    while (this.queued.length > 0 && this.inFlight.size < GROUPS_AHEAD) this.send(this.takeGroup());
    if (this.inFlight.size === 0) this.giveTurnBack();
  }

  private askForTurn(): void {
    this.asking = true;
    void this.turn.take(
      () =>
        new Promise<void>((release) => {
          this.asking = false;
          this.release = release;
          this.pump();
        }),
    );
  }

  private giveTurnBack(): void {
    const release = this.release;
    this.release = null;
    release?.();
    if (this.queued.length > 0) this.askForTurn();
  }

  private send(group: Pending[]): void {
    const id = this.nextId++;
    const [first] = group;
    const stream = group.length === 1 && isStream(first!.request) ? first!.request.chunks : undefined;
    const requests = group.map((p) =>
      p.request === first!.request && stream ? { ...p.request, chunks: [] } : p.request,
    );
    const message: GroupRequest = { id, group: requests, ...(stream ? { stream: true } : {}) };
    const worker = this.started();
    this.inFlight.set(id, group);
    worker.ref(); // an idle thread does not keep the process alive; one with work to answer does
    worker.postMessage(message);
    if (stream) void this.follow(worker, id, first!, stream);
  }

  /**
   * Sends a streamed capture's chunks as its source makes them: the thread takes each while the next is made here.
   * A source that fails abandons the capture (the thread undoes it); its error is the capture's answer.
   */
  private async follow(worker: Worker, id: number, pending: Pending, chunks: AsyncIterable<CaptureChunk>) {
    const post = (message: StreamMessage) => worker.postMessage(message);
    try {
      for await (const chunk of chunks) {
        if (pending.settled) return; // the thread is gone: the capture was answered with that
        post({ stream: id, chunk });
      }
      post({ stream: id, end: true });
    } catch (error) {
      pending.abandonedWith = error instanceof Error ? error : new Error(String(error));
      post({ stream: id, abandon: pending.abandonedWith.message });
    }
  }

  /** What waits, as one group: captures in one chunk together, up to GROUP_EVENTS; a streamed capture alone. */
  private takeGroup(): Pending[] {
    const group = [this.queued.shift()!];
    let events = eventsOf(group[0]!.request);
    while (this.queued.length > 0 && events + eventsOf(this.queued[0]!.request) <= GROUP_EVENTS) {
      const next = this.queued.shift()!;
      events += eventsOf(next.request);
      group.push(next);
    }
    return group;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startThread(import.meta.url, 'worker', this.setup, resourceLimits);
    worker.on('message', (reply: GroupReply) => this.settle(reply));
    // A thread that dies takes its open transaction with it (rolled back); whoever waited is told, and the next
    // capture starts a new thread. Told at 'exit', not at 'error': Node hands over the messages the thread sent
    // before it died first, and a group it committed and answered must be answered as committed.
    let cause: Error | undefined;
    worker.on('error', (error) => (cause ??= error));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      const error = cause ?? new Error(`the writer thread stopped (exit code ${code})`);
      for (const [id, group] of this.inFlight) {
        this.inFlight.delete(id);
        for (const pending of group) reject(pending, error);
      }
      this.pump();
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(reply: GroupReply) {
    const group = this.inFlight.get(reply.id);
    if (!group) return;
    this.inFlight.delete(reply.id);
    if (this.inFlight.size === 0) this.worker?.unref();
    if ('crash' in reply) {
      const error = Object.assign(new Error(reply.crash.message), { stack: reply.crash.stack });
      for (const pending of group) reject(pending, pending.abandonedWith ?? error);
    } else group.forEach((pending, i) => settleOne(pending, reply.replies[i]!));
    this.pump();
  }
}

function reject(pending: Pending, error: Error) {
  pending.settled = true;
  pending.reject(error);
}

function settleOne(pending: Pending, reply: CaptureReply) {
  pending.settled = true;
  if (pending.abandonedWith) return pending.reject(pending.abandonedWith);
  if (reply.ok) return pending.resolve(reply.result);
  const { kind, code, message, fields, extensions } = reply.domainError;
  pending.reject(new DomainError(kind, code, message, fields, extensions));
}
