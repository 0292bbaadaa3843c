/**
 * Webhook delivery. Due deliveries are claimed in a short unit of work (their due time moved past the attempt's
 * timeout, so no other claim takes them meanwhile and a crash leaves them due again), posted outside any unit of
 * work, and each attempt's outcome recorded in another short one: a receiver that is down, slow or failing costs the
 * registry its retries and nothing else. A 2xx answer delivers; anything else is retried on the schedule with
 * jitter, and after the last attempt the delivery is dead until someone redelivers it. The POST itself is the
 * context's webhook sender's (ports.ts).
 */
import type {
  DeliveryRecord,
  DeliveryUpdate,
  NoticeRecord,
  SubscriptionRecord,
  Tx,
} from '../../store/store.js';
import type { AppContext } from '../context.js';
import { noticePayload } from './payload.js';
import type { WebhookOutcome, WebhookSender } from './ports.js';
import { openSecret } from './secrets.js';
import { maxAttempts, retryDelay, type NotificationSettings } from './settings.js';
import { webhookHeaders } from './signature.js';
import { notificationSettings } from './subscriptions.js';

/** Beyond the attempt's own timeout, how long a claim holds before another process may take the delivery. */
const CLAIM_MARGIN_MS = 30_000;

/** What one attempt needs, read when it is claimed: the body is null when what it carries is gone. */
interface Job {
  delivery: DeliveryRecord;
  subscription: SubscriptionRecord | null;
  body: string | null;
}

const plus = (at: Date, ms: number) => new Date(at.getTime() + ms).toISOString();

/** Claims up to `slots` due deliveries; each returned function makes (and records) one attempt. */
export async function claimDue(ctx: AppContext, slots: number): Promise<(() => Promise<void>)[]> {
  if (slots <= 0) return [];
  const settings = notificationSettings(ctx);
  const sender = webhookSender(ctx);
  const now = ctx.now();
  const jobs = await ctx.store.write(async (tx) => {
    const claimed = await tx.claimDueDeliveries(
      now.toISOString(),
      plus(now, settings.timeoutMs + CLAIM_MARGIN_MS),
      slots,
    );
    if (claimed.length === 0) return [];
    const notices = await tx.getNotices([...new Set(claimed.map((d) => d.noticeId))]);
    // One query at a time: a unit of work is one database session.
    const claimedJobs: Job[] = [];
    for (const delivery of claimed) {
      const subscription = await tx.getSubscription(delivery.subscriptionId);
      const org = await tx.getOrganisation(delivery.orgId);
      claimedJobs.push({
        delivery,
        subscription,
        body: await bodyOf(tx, delivery, notices.get(delivery.noticeId), org?.roles.includes('regulator')),
      });
    }
    return claimedJobs;
  });
  return jobs.map((job) => () => attempt(ctx, settings, sender, job));
}

/**
 * What a delivery sends: an EPCIS query subscription's result (app/epcis/subscription-fan-out.ts: there the
 * delivery's noticeId is the stored event's seq), else the notice's payload.
 */
async function bodyOf(
  tx: Tx,
  delivery: DeliveryRecord,
  notice: NoticeRecord | undefined,
  regulator = false,
): Promise<string | null> {
  const result = await tx.getEpcisResult(delivery.subscriptionId, delivery.noticeId);
  if (result) return result.body;
  return notice ? JSON.stringify(noticePayload(notice, regulator)) : null;
}

function webhookSender(ctx: AppContext): WebhookSender {
  if (!ctx.webhookSender) throw new Error('this context has no webhook sender');
  return ctx.webhookSender;
}

/** Makes every due attempt (up to the concurrency limit) and waits for them: what tests and one-off runs call. */
export async function deliverDue(ctx: AppContext): Promise<number> {
  const attempts = await claimDue(ctx, notificationSettings(ctx).concurrency);
  await Promise.all(attempts.map((run) => run()));
  return attempts.length;
}

async function attempt(
  ctx: AppContext,
  settings: NotificationSettings,
  sender: WebhookSender,
  job: Job,
): Promise<void> {
  const { delivery, subscription, body } = job;
  if (!subscription || subscription.deletedAt || body === null) {
    const at = ctx.now().toISOString();
    const update: DeliveryUpdate = {
      ...delivery,
      state: 'dead',
      nextAttemptAt: null,
      updatedAt: at,
      lastError: subscription?.deletedAt ? 'subscription removed' : 'notice or subscription missing',
    };
    await ctx.store.write((tx) => tx.updateDelivery(delivery.id, update));
    return;
  }
  const at = ctx.now();
  let secret: Buffer;
  try {
    secret = openSecret(subscription.secretSealed, subscription.id, settings.secretKey);
  } catch (error) {
    // A data directory without the key that sealed it (a restore without webhook-secrets.key): nothing can be
    // signed, so the attempt fails like any other and the delivery ends as a dead letter; resubscribe.
    const message = error instanceof Error ? error.message : String(error);
    await record(ctx, settings, delivery, at, { status: null, error: message, durationMs: 0 });
    return;
  }
  const headers = webhookHeaders(secret, delivery.id, Math.floor(at.getTime() / 1000), body);
  const outcome = await sender.post(subscription.url, body, headers, settings.timeoutMs);
  await record(ctx, settings, delivery, at, outcome);
}

/** The attempt into the delivery log, and the delivery delivered, rescheduled or dead. */
async function record(
  ctx: AppContext,
  settings: NotificationSettings,
  delivery: DeliveryRecord,
  at: Date,
  outcome: WebhookOutcome,
): Promise<void> {
  const attempts = delivery.attempts + 1;
  const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
  const wait = ok ? null : retryDelay(settings, attempts);
  const done = ctx.now();
  const update: DeliveryUpdate = {
    state: ok ? 'delivered' : wait === null || attempts >= maxAttempts(settings) ? 'dead' : 'pending',
    attempts,
    nextAttemptAt: ok || wait === null ? null : plus(done, wait),
    updatedAt: done.toISOString(),
    lastStatus: outcome.status,
    lastError: outcome.error,
  };
  await ctx.store.write(async (tx) => {
    // Numbered across redeliveries: the log keeps every attempt, `attempts` counts those since the last queueing.
    const logged = (await tx.listDeliveryAttempts(delivery.id)).length;
    await tx.insertDeliveryAttempt({
      deliveryId: delivery.id,
      attempt: logged + 1,
      at: at.toISOString(),
      durationMs: outcome.durationMs,
      status: outcome.status,
      error: outcome.error,
    });
    await tx.updateDelivery(delivery.id, update);
  });
}
