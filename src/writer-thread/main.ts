import { Worker } from 'node:worker_threads';
import type { CaptureMode, CaptureResult, Prepared } from '../app/capture/index.js';
import type { Caller } from '../app/context.js';
import { DomainError } from '../domain/errors.js';
import type { SqliteStore } from '../store/sqlite/index.js';
import type { CaptureReply, CaptureRequest, WriterSetup } from './protocol.js';

// Under tsx (tests, bench) this module is TypeScript and so is the worker beside it; Node 20 does not run
// `--import` preloads in workers, so such a worker registers tsx itself before loading its module.
const FROM_TYPESCRIPT = import.meta.url.endsWith('.ts');
const WORKER = new URL(`./worker${FROM_TYPESCRIPT ? '.ts' : '.js'}`, import.meta.url);

// A batch of 10,000 events makes tens of megabytes of short-lived objects: a young generation that holds a batch
// keeps them from being copied into the old one (measured: a third less time collecting garbage).
const resourceLimits = { maxYoungGenerationSizeMb: 256 };

function newWorker(workerData: WriterSetup): Worker {
  if (!FROM_TYPESCRIPT) return new Worker(WORKER, { workerData, resourceLimits });
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER.href)}); })`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}

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
    const worker = newWorker(this.setup);
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
