/**
 * The notification work `serve` runs in the background: fan-out of notices and of EPCIS query subscriptions'
 * matches (by the process that leads 'notice-dispatcher'), webhook attempts (by every process: claims keep them apart) up to the concurrency limit without waiting for slow
 * receivers, and, with a notice stream configured (NATS), publishing (by the leader of 'notice-publisher').
 */
import { repeatEvery } from '../../lib/repeat.js';
import { dispatchEpcisResults } from '../epcis/subscription-fan-out.js';
import type { AppContext } from '../context.js';
import { claimDue } from './deliver.js';
import { dispatchNotices } from './dispatch.js';
import type { NoticeStream } from './ports.js';
import { publishNotices } from './publish.js';
import { notificationSettings } from './subscriptions.js';

export interface NotificationEvents {
  failed(error: unknown, what: string): void;
}

export interface NotificationOptions {
  intervalMs: number;
  /** Connects the notice stream (src/edges/nats), when one is configured; tried again each round until it opens. */
  openStream?: () => Promise<NoticeStream>;
}

/** Starts the loops; the returned function stops them and waits for attempts in flight. */
export function startNotifications(
  ctx: AppContext,
  options: NotificationOptions,
  events: NotificationEvents,
): () => Promise<void> {
  const { concurrency } = notificationSettings(ctx);
  const inFlight = new Set<Promise<void>>();
  let stream: Promise<NoticeStream> | null = null;

  const fanOut = async () => {
    if (!(await ctx.store.leads('notice-dispatcher'))) return;
    await dispatchNotices(ctx);
    await dispatchEpcisResults(ctx);
  };
  const deliver = async () => {
    for (const run of await claimDue(ctx, concurrency - inFlight.size)) {
      const attempt = run().catch((error: unknown) => events.failed(error, 'webhook attempt'));
      inFlight.add(attempt);
      void attempt.finally(() => inFlight.delete(attempt));
    }
  };
  const publish = async () => {
    const { openStream } = options;
    if (!openStream || !(await ctx.store.leads('notice-publisher'))) return;
    stream ??= openStream().catch((error: unknown) => {
      stream = null; // try again next round
      throw error;
    });
    await publishNotices(ctx, await stream);
  };

  const timers = [
    repeatEvery(options.intervalMs, fanOut, (error) => events.failed(error, 'fan-out')),
    repeatEvery(options.intervalMs, deliver, (error) => events.failed(error, 'webhook delivery')),
    repeatEvery(options.intervalMs, publish, (error) => events.failed(error, 'NATS publishing')),
  ];

  return async () => {
    timers.forEach((stop) => stop());
    await Promise.all(inFlight);
    const open = stream ? await (stream as Promise<NoticeStream>).catch(() => null) : null;
    await open?.close().catch(() => undefined);
  };
}
