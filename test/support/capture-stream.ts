/** Clients that keep posting capture batches to a registry and note every answer (fault tests). */
import type { Api } from './harness.js';

/** One batch posted: its answer (or none: the connection failed) and the events it carried. */
export interface BatchOutcome {
  status: number | 'no answer';
  eventIds: string[];
  type?: string;
  retryAfter?: string | null;
  contentType?: string | null;
}

const manufacturedEvent = (robotId: string) => ({
  type: 'manufactured',
  robotId,
  eventId: `fault-${robotId}`,
  eventTime: new Date(Date.now() - 60_000).toISOString(),
  payload: { productionDate: '2026-01-04', components: [], software: [] },
});

/**
 * `clients` loops, each posting batches of `batchSize` `manufactured` events (own event IDs) for the next robots
 * of `robots`, until stopped or the robots run out. Each robot is sent once: a refused batch's robots stay unused.
 */
export class CaptureStream {
  readonly outcomes: BatchOutcome[] = [];
  private next = 0;
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly api: Api,
    private readonly key: string,
    private readonly robots: string[],
    private readonly batchSize: number,
    clients: number,
    /** Pause between a client's batches. */
    private readonly pauseMs = 0,
  ) {
    this.loops = Array.from({ length: clients }, () => this.loop());
  }

  /** Stops posting; resolves when every client's batch in flight is answered. */
  async stop(): Promise<BatchOutcome[]> {
    this.running = false;
    await Promise.all(this.loops);
    return this.outcomes;
  }

  /** Resolves when the robots have run out and every batch is answered. */
  async finished(): Promise<BatchOutcome[]> {
    await Promise.all(this.loops);
    return this.outcomes;
  }

  /** Batches answered with `status`. */
  answered(status: number): BatchOutcome[] {
    return this.outcomes.filter((o) => o.status === status);
  }

  private async loop(): Promise<void> {
    while (this.running && this.next < this.robots.length) {
      const ids = this.robots.slice(this.next, (this.next += this.batchSize));
      this.outcomes.push(await this.post(ids.map(manufacturedEvent)));
      if (this.pauseMs > 0) await new Promise((r) => setTimeout(r, this.pauseMs));
    }
  }

  private async post(events: ReturnType<typeof manufacturedEvent>[]): Promise<BatchOutcome> {
    const eventIds = events.map((e) => e.eventId);
    try {
      const { status, headers, body } = await this.api.call('POST', '/v1/events', {
        key: this.key,
        body: { events },
      });
      const header = (name: string) => (headers[name] === undefined ? null : String(headers[name]));
      return {
        status,
        eventIds,
        type: (body as { type?: string } | null)?.type,
        retryAfter: header('retry-after'),
        contentType: header('content-type'),
      };
    } catch {
      return { status: 'no answer', eventIds };
    }
  }
}
