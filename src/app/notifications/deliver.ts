/**
 * Webhook delivery. Due deliveries are claimed in a short unit of work (their due time moved past the attempt's
 * timeout, so no other claim takes them meanwhile and a crash leaves them due again), posted outside any unit of
 * work, and each attempt's outcome recorded in another short one: a receiver that is down, slow or failing costs the
 * registry its retries and nothing else. A 2xx answer delivers; anything else is retried on the schedule with
 * jitter, and after the last attempt the delivery is dead until someone redelivers it.
 */
import type { DeliveryRecord, DeliveryUpdate, NoticeRecord, SubscriptionRecord } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { noticePayload } from './payload.js';
import { openSecret } from './secrets.js';
import { maxAttempts, retryDelay, type NotificationSettings } from './settings.js';
import { webhookHeaders } from './signature.js';
import { notificationSettings } from './subscriptions.js';

/** Beyond the attempt's own timeout, how long a claim holds before another process may take the delivery. */
const CLAIM_MARGIN_MS = 30_000;
/** How much of a failing receiver's answer the delivery log keeps. */
const ERROR_TEXT_MAX = 200;

/** What one attempt needs, read when it is claimed. */
interface Job {
  delivery: DeliveryRecord;
  subscription: SubscriptionRecord | null;
  notice: NoticeRecord | null;
  regulator: boolean;
}

interface Outcome {
  status: number | null;
  error: string | null;
  durationMs: number;
}

const plus = (at: Date, ms: number) => new Date(at.getTime() + ms).toISOString();

/** Claims up to `slots` due deliveries; each returned function makes (and records) one attempt. */
export async function claimDue(ctx: AppContext, slots: number): Promise<(() => Promise<void>)[]> {
  if (slots <= 0) return [];
  const settings = notificationSettings(ctx);
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
      const notice = notices.get(delivery.noticeId) ?? null;
      claimedJobs.push({
        delivery,
        subscription,
        notice,
        regulator: org?.roles.includes('regulator') ?? false,
      });
    }
    return claimedJobs;
  });
  return jobs.map((job) => () => attempt(ctx, settings, job));
}

/** Makes every due attempt (up to the concurrency limit) and waits for them: what tests and one-off runs call. */
export async function deliverDue(ctx: AppContext): Promise<number> {
  const attempts = await claimDue(ctx, notificationSettings(ctx).concurrency);
  await Promise.all(attempts.map((run) => run()));
  return attempts.length;
}

async function attempt(ctx: AppContext, settings: NotificationSettings, job: Job): Promise<void> {
  const { delivery, subscription, notice } = job;
  if (!subscription || subscription.deletedAt || !notice) {
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
  const body = JSON.stringify(noticePayload(notice, job.regulator));
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
  const outcome = await post(subscription.url, body, {
    ...webhookHeaders(secret, delivery.id, Math.floor(at.getTime() / 1000), body),
    timeoutMs: settings.timeoutMs,
  });
  await record(ctx, settings, delivery, at, outcome);
}

/** One POST; never throws: a fault is the outcome's error. */
async function post(
  url: string,
  body: string,
  options: Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> & { timeoutMs: number },
): Promise<Outcome> {
  const { timeoutMs, ...signed } = options;
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'robotid-webhooks/1', ...signed },
      // A redirect is not followed: the receiver is the URL subscribed, and a 3xx is its failure to answer 2xx.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = response.ok ? '' : await response.text().catch(() => '');
    if (response.ok) await response.body?.cancel().catch(() => undefined);
    const error = response.ok
      ? null
      : `HTTP ${response.status}${text ? `: ${text.slice(0, ERROR_TEXT_MAX)}` : ''}`;
    return { status: response.status, error, durationMs: took() };
  } catch (error) {
    return { status: null, error: describe(error, timeoutMs), durationMs: took() };
  }
}

/** A failed request in a few words: the socket error's code, or that it timed out. */
function describe(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  return (cause ? `${e.message ?? 'failed'} (${cause})` : (e.message ?? String(error))).slice(
    0,
    ERROR_TEXT_MAX,
  );
}

/** The attempt into the delivery log, and the delivery delivered, rescheduled or dead. */
async function record(
  ctx: AppContext,
  settings: NotificationSettings,
  delivery: DeliveryRecord,
  at: Date,
  outcome: Outcome,
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
