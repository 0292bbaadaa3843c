import type { Worker } from 'node:worker_threads';
import type { CaptureMode, CaptureResult, Prepared } from '../app/capture/index.js';
import type { Caller } from '../app/context.js';
import { DomainError } from '../domain/errors.js';
import type { SqliteStore } from '../store/sqlite/index.js';
import { startThread } from '../lib/threads.js';
import type { CaptureReply, CaptureRequest, WriterSetup } from './protocol.js';

// A batch of 10,000 events makes tens of megabytes of objects that live until its commit: a young generation
// that holds several batches lets them die young instead of being copied at every scavenge (measured: garbage
// collection fell from a third of all CPU to a tenth).
const resourceLimits = { maxYoungGenerationSizeMb: 768 };

interface Waiting {
  resolve: (result: CaptureResult) => void;
  reject: (error: Error) => void;
}

/**
 * The HTTP thread's handle on the writer thread, started at the first capture. Each capture takes the embedded
 * store's writer turn while the thread works, so the two writer connections never contend for SQLite's lock.
 */
export class WriterThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly store: SqliteStore,
    private readonly setup: WriterSetup,
  ) {}

  applyCapture(caller: Caller, prepared: Prepared[], mode: CaptureMode): Promise<CaptureResult> {
    return this.store.exclusive(
      () =>
        new Promise<CaptureResult>((resolve, reject) => {
          const request: CaptureRequest = { id: this.nextId++, caller, prepared, mode };
          const worker = this.started();
          this.waiting.set(request.id, { resolve, reject });
          worker.ref(); // an idle thread does not keep the process alive; one with work to answer does
          worker.postMessage(request);
        }),
    );
  }

  /** Starts the thread ahead of the first capture (which otherwise waits for it to load, about half a second). */
  start(): void {
    this.started();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.ref(); // until it has closed its database
    worker.postMessage('close');
    await exited;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startThread(import.meta.url, 'worker', this.setup, resourceLimits);
    worker.on('message', (reply: CaptureReply) => this.settle(reply));
    // A thread that dies takes its open transaction with it (rolled back); whoever waited is told, and the next
    // capture starts a new thread.
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, waiting] of this.waiting) {
        this.waiting.delete(id);
        waiting.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the writer thread stopped (exit code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(reply: CaptureReply) {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if (reply.ok) waiting.resolve(reply.result);
    else if ('domainError' in reply) {
      const { kind, code, message, fields, extensions } = reply.domainError;
      waiting.reject(new DomainError(kind, code, message, fields, extensions));
    } else {
      waiting.reject(Object.assign(new Error(reply.crash.message), { stack: reply.crash.stack }));
    }
  }
}
