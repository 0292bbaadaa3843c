import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { startThread, stopThread } from '../../lib/threads.js';
import type { Connection } from './connection.js';

/** Past this the writer stops relying on the checkpoint thread and checkpoints itself. */
const WAL_LIMIT_BYTES = 1024 * 1024 * 1024;

/**
 * Copies committed pages from the WAL into the database file on a thread of its own, so that the writer's
 * commits do not wait for it (a checkpoint writes and syncs tens of megabytes). SQLite lets a PASSIVE checkpoint
 * run beside a writer; once it has caught up, the writer's next transaction starts the WAL from the beginning.
 */
export class Checkpointer {
  private readonly worker: Worker;
  private running = false;
  private wanted = false;

  constructor(
    private readonly file: string,
    private readonly writer: Connection,
  ) {
    writer.db.pragma('wal_autocheckpoint = 0');
    this.worker = startThread(import.meta.url, 'checkpoint-worker', { file });
    this.worker.unref();
    this.worker.on('message', () => {
      this.running = false;
      if (this.wanted) this.afterCommit();
    });
  }

  /** Called after each commit of the writer: asks for a checkpoint, or for another once the current one ends. */
  afterCommit(): void {
    // The thread has fallen far behind (or died): a blocking checkpoint bounds the WAL.
    if (this.walBytes() > WAL_LIMIT_BYTES) this.writer.db.pragma('wal_checkpoint(RESTART)');
    if (this.running) {
      this.wanted = true;
      return;
    }
    this.running = true;
    this.wanted = false;
    this.worker.postMessage('checkpoint');
  }

  close(): Promise<void> {
    return stopThread(this.worker);
  }

  private walBytes(): number {
    try {
      return statSync(`${this.file}-wal`).size;
    } catch {
      return 0;
    }
  }
}
