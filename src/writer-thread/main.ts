import type { Worker } from 'node:worker_threads';
import type { CaptureMode, CaptureRequest, CaptureResult, Prepared } from '../app/capture/index.js';
import type { Caller } from '../app/context.js';
import { DomainError } from '../domain/errors.js';
import { startThread, stopThread } from '../lib/threads.js';
import type { CaptureReply, GroupReply, GroupRequest, WriterSetup } from './protocol.js';

// A batch of 10,000 events makes tens of megabytes of objects that live until its commit: a young generation
// that holds several batches lets them die young instead of being copied at every scavenge (measured: garbage
// collection fell from a third of all CPU to a tenth).
const resourceLimits = { maxYoungGenerationSizeMb: 768 };

/** Events in one group at most: a group is one transaction, and its batches wait for each other's commit. */
const GROUP_EVENTS = 40_000;

interface Pending {
  request: CaptureRequest;
  resolve: (result: CaptureResult) => void;
  reject: (error: Error) => void;
}

/** Runs a group's work in this process's writers' turn (the embedded store's queue), or at once. */
export type WritersTurn = (work: () => Promise<void>) => Promise<void>;

/**
 * The HTTP thread's handle on the writer thread, started at the first capture (or by `start`). Captures that
 * arrive while the thread is busy wait here and go to it together, as one group committed at once. Each group
 * runs in `turn`: with the embedded store, its writer turn, so that the two writer connections never contend for
 * SQLite's lock (PostgreSQL's own lock orders writers there).
 */
export class WriterThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly queued: Pending[] = [];
  private busy = false;
  private readonly inFlight = new Map<number, Pending[]>();

  constructor(
    private readonly turn: WritersTurn,
    private readonly setup: WriterSetup,
  ) {}

  applyCapture(caller: Caller, prepared: Prepared[], mode: CaptureMode): Promise<CaptureResult> {
    return new Promise<CaptureResult>((resolve, reject) => {
      this.queued.push({ request: { caller, prepared, mode }, resolve, reject });
      this.drain();
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

  /** Sends what waits as one group, in the writer's turn; when it is answered, the next. */
  private drain(): void {
    if (this.busy || this.queued.length === 0) return;
    this.busy = true;
    const group = this.takeGroup();
    void this.turn(
      () =>
        new Promise<void>((done) => {
          const message: GroupRequest = { id: this.nextId++, group: group.map((p) => p.request) };
          const worker = this.started();
          this.inFlight.set(message.id, group);
          worker.ref(); // an idle thread does not keep the process alive; one with work to answer does
          const finish = () => {
            worker.off('message', finish);
            worker.off('exit', finish);
            done();
          };
          worker.on('message', finish);
          worker.on('exit', finish);
          worker.postMessage(message);
        }),
    ).finally(() => {
      this.busy = false;
      this.drain();
    });
  }

  private takeGroup(): Pending[] {
    const group = [this.queued.shift()!];
    let events = group[0]!.request.prepared.length;
    while (this.queued.length > 0 && events + this.queued[0]!.request.prepared.length <= GROUP_EVENTS) {
      const next = this.queued.shift()!;
      events += next.request.prepared.length;
      group.push(next);
    }
    return group;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startThread(import.meta.url, 'worker', this.setup, resourceLimits);
    worker.on('message', (reply: GroupReply) => this.settle(reply));
    // A thread that dies takes its open transaction with it (rolled back); whoever waited is told, and the next
    // capture starts a new thread.
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, group] of this.inFlight) {
        this.inFlight.delete(id);
        for (const pending of group) pending.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the writer thread stopped (exit code ${code})`)));
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
      for (const pending of group) pending.reject(error);
      return;
    }
    group.forEach((pending, i) => settleOne(pending, reply.replies[i]!));
  }
}

function settleOne(pending: Pending, reply: CaptureReply) {
  if (reply.ok) return pending.resolve(reply.result);
  const { kind, code, message, fields, extensions } = reply.domainError;
  pending.reject(new DomainError(kind, code, message, fields, extensions));
}
