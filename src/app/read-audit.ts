/**
 * The read audit's recording side: every read of non-public data (and every refused attempt) becomes a record,
 * written in the background so that recording costs a read nothing but an array push. Records wait in memory and
 * are written in one unit of work when 500 are waiting or 100 ms after the first (READ_AUDIT_DEFAULTS), and on
 * flush/close: a crash loses at most that window's records. A failed write keeps them for a retry (the reads they
 * record have been answered already); past the capacity, new records are dropped and counted.
 */
import { AsyncResource } from 'node:async_hooks';
import type { ReadAuditRecord, Store } from '../store/store.js';

/** One read of non-public data, or an attempt at one (`denied`). */
export type ReadRecord = ReadAuditRecord;

export interface ReadAuditSink {
  /** Queues the record; never throws, never waits. */
  record(entry: ReadRecord): void;
  /** Writes every record queued so far; rejects if the store refuses them (they stay queued). */
  flush(): Promise<void>;
}

export interface ReadAuditOptions {
  /** Records waiting that start a write at once. */
  batch?: number;
  /** How long the first waiting record waits at most for others to join it. */
  delayMs?: number;
  /** How long to wait after a failed write before trying again. */
  retryMs?: number;
  /** Records kept waiting at most (while the store refuses them); later ones are dropped and counted. */
  capacity?: number;
  /** A write failed or records were dropped: one line for the operator's log. */
  warn?: (message: string) => void;
}

export const READ_AUDIT_DEFAULTS = {
  batch: 500,
  delayMs: 100,
  retryMs: 1000,
  capacity: 100_000,
} as const;

/** Records per unit of work: a backlog after an outage goes in several, not one huge transaction. */
const MOST_PER_WRITE = 5000;

/** What the sink has done, for logs and tests. */
export interface ReadAuditStats {
  /** Records not written yet, including those of a write under way. */
  waiting: number;
  written: number;
  dropped: number;
  failedWrites: number;
}

export class BufferedReadAudit implements ReadAuditSink {
  private waiting: ReadRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private lastWriteFailed = false;
  private closed = false;
  /** Records taken out of `waiting` by the write under way. */
  private inFlight = 0;
  private readonly settings: Required<Omit<ReadAuditOptions, 'warn'>>;
  private readonly warn: (message: string) => void;
  private readonly counts = { written: 0, dropped: 0, failedWrites: 0 };
  /**
   * The async context the sink was made in. A write starts from whichever read queued the record that triggered
   * it: run in that read's context it would count as nested in the read's unit of work, if any (the store refuses
   * that), and belong to its caller's read session.
   */
  private readonly home = new AsyncResource('robotid.read-audit');

  constructor(
    private readonly store: Store,
    options: ReadAuditOptions = {},
  ) {
    const { warn, ...rest } = options;
    this.settings = { ...READ_AUDIT_DEFAULTS, ...rest };
    this.warn = warn ?? (() => undefined);
  }

  record(entry: ReadRecord): void {
    if (this.closed || this.waiting.length >= this.settings.capacity) {
      this.drop(1, this.closed ? 'closed' : `buffer full (${this.settings.capacity})`);
      return;
    }
    this.waiting.push(entry);
    if (this.writing) return; // the write under way takes it too
    // After a failure only the retry timer writes: a store that is down is not asked again at every read.
    if (this.lastWriteFailed) this.timer ??= this.after(this.settings.retryMs);
    else if (this.waiting.length >= this.settings.batch) this.startSoon();
    else this.timer ??= this.after(this.settings.delayMs);
  }

  async flush(): Promise<void> {
    await this.writing?.catch(() => undefined);
    if (this.waiting.length > 0) await this.start();
  }

  stats(): ReadAuditStats {
    return { waiting: this.waiting.length + this.inFlight, ...this.counts };
  }

  /** Writes what is waiting and stops; records offered after this are dropped (and counted). */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.closed = true;
      this.clearTimer();
      if (this.waiting.length > 0)
        this.warn(`read audit: ${this.waiting.length} records not written at close`);
    }
  }

  private after(ms: number): NodeJS.Timeout {
    // unref: pending records do not keep a process alive; close() writes them.
    return setTimeout(() => this.startSoon(), ms).unref();
  }

  private startSoon(): void {
    this.start().catch(() => undefined); // reported in writeAll; the records wait for the retry
  }

  private start(): Promise<void> {
    this.clearTimer();
    this.writing ??= this.home
      .runInAsyncScope(() => this.writeAll())
      .finally(() => {
        this.writing = null;
        this.scheduleNext();
      });
    return this.writing;
  }

  /** Writes until nothing waits (records queued meanwhile included), in units of work of MOST_PER_WRITE. */
  private async writeAll(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MOST_PER_WRITE);
      this.inFlight = batch.length;
      try {
        await this.store.write((tx) => tx.insertReadAudit(batch));
        this.inFlight = 0;
        this.counts.written += batch.length;
        this.lastWriteFailed = false;
      } catch (error) {
        this.inFlight = 0;
        this.requeue(batch);
        this.lastWriteFailed = true;
        this.counts.failedWrites += 1;
        const why = error instanceof Error ? error.message : String(error);
        this.warn(
          `read audit: could not write ${batch.length} records (${why}); ${this.waiting.length} waiting, ` +
            `${this.counts.dropped} dropped so far; retrying in ${this.settings.retryMs} ms`,
        );
        throw error;
      }
    }
  }

  /** The failed batch goes back in front (the oldest first, as always); past the capacity the newest are dropped. */
  private requeue(batch: ReadRecord[]): void {
    this.waiting.unshift(...batch);
    const over = this.waiting.length - this.settings.capacity;
    if (over <= 0) return;
    this.waiting.length = this.settings.capacity;
    this.drop(over, `buffer full (${this.settings.capacity})`);
  }

  private drop(n: number, why: string): void {
    const before = this.counts.dropped;
    this.counts.dropped += n;
    // One line per thousand dropped, not one per record: the log must not drown while the store is away.
    if (before === 0 || Math.floor(before / 1000) !== Math.floor(this.counts.dropped / 1000))
      this.warn(`read audit: ${why}; ${this.counts.dropped} records dropped`);
  }

  private scheduleNext(): void {
    if (this.closed || this.waiting.length === 0 || this.timer) return;
    if (this.lastWriteFailed) this.timer = this.after(this.settings.retryMs);
    else if (this.waiting.length >= this.settings.batch) this.startSoon();
    else this.timer = this.after(this.settings.delayMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
