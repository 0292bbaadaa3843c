import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { startThread, stopThread } from '../../lib/threads.js';
import type { Connection } from './connection.js';

/** Past this the writer stops relying on the checkpoint thread and checkpoints itself. */
const WAL_LIMIT_BYTES = 1024 * 1024 * 1024;
/**
 * The WAL file is cut back to this when it starts over (SQLite's journal_size_limit): otherwise it keeps its
 * largest size, and the limit above, read from the file's size, would look exceeded for ever after.
 */
const WAL_KEPT_BYTES = 64 * 1024 * 1024;

export const CHECKPOINT_IDLE = 0;
const CHECKPOINT_RUNNING = 1;

/**
 * Copies committed pages from the WAL into the database file on a thread of its own, so that the writer's
 * commits do not wait for it (a checkpoint writes and syncs tens of megabytes). SQLite lets a PASSIVE checkpoint
 * run beside a writer; once it has caught up, the writer's next transaction starts the WAL from the beginning.
 */
export class Checkpointer {
  /** The thread, started when first needed and again after one that died. */
  private worker: Worker | null = null;
  /**
   * Whether the thread is checkpointing, in shared memory: the thread clears it when done. Its 'done' message would
   * do, but a writer given one batch after another does not read messages until the stream pauses.
   */
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private wanted = false;

  constructor(
    private readonly file: string,
    private readonly writer: Connection,
  ) {
    writer.db.pragma('wal_autocheckpoint = 0');
    writer.db.pragma(`journal_size_limit = ${WAL_KEPT_BYTES}`);
    this.thread();
  }

  /**
   * Called after each commit of the writer: asks for a checkpoint, or for another once the current one ends. Never
   * throws: the commit stands whatever becomes of its checkpoint (its pages stay in the WAL until one succeeds).
   */
  afterCommit(): void {
    try {
      // The thread has fallen far behind: a blocking checkpoint bounds the WAL.
      if (this.walBytes() > WAL_LIMIT_BYTES) this.writer.db.pragma('wal_checkpoint(RESTART)');
    } catch {
      // a full disk: the next commit tries again
    }
    if (Atomics.load(this.state, 0) === CHECKPOINT_RUNNING) {
      this.wanted = true;
      return;
    }
    Atomics.store(this.state, 0, CHECKPOINT_RUNNING);
    this.wanted = false;
    this.thread().postMessage('checkpoint');
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await stopThread(worker);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startThread(import.meta.url, 'checkpoint-worker', { file: this.file, state: this.state });
    worker.unref();
    // The last commits of a stream: checkpointed once the thread is done with the one before.
    worker.on('message', () => {
      if (this.wanted) this.afterCommit();
    });
    // A thread that died (it could not open the database, say) is started again at the next commit. Unheard, its
    // error would end the writer's thread too, with commits made and not yet answered.
    const ended = () => {
      if (this.worker !== worker) return;
      this.worker = null;
      Atomics.store(this.state, 0, CHECKPOINT_IDLE);
    };
    worker.on('error', ended);
    worker.on('exit', ended);
    this.worker = worker;
    return worker;
  }

  private walBytes(): number {
    try {
      return statSync(`${this.file}-wal`).size;
    } catch {
      return 0;
    }
  }
}
