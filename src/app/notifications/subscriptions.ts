/**
 * Webhook subscriptions: an organisation names topics and a URL; notices of those topics that concern it (or,
 * for a regulator, every notice of those topics) are posted there, signed with the subscription's secret. Each
 * organisation sees and removes only its own: anyone else's looks like there is none.
 */
import { conflict, Issues, notFound } from '../../domain/errors.js';
import { isNoticeTopic, type NoticeTopic } from '../../domain/safety/notices.js';
import { validateWebhookUrl } from '../../domain/safety/webhook-url.js';
import type { SubscriptionRecord, Tx } from '../../store/store.js';
import { requireActor } from '../access.js';
import { audited } from '../audit.js';
import { requireAdministrator } from '../people/permissions.js';
import { isoNow, randomId, type AppContext, type Caller } from '../context.js';
import { newSecret, sealSecret, showSecret } from './secrets.js';
import type { NotificationSettings } from './settings.js';

/** Enough for an organisation's systems; a bound so that one key cannot make the fan-out arbitrarily wide. */
export const MAX_SUBSCRIPTIONS_PER_ORG = 50;

export interface SubscriptionView {
  id: string;
  orgId: string;
  url: string;
  topics: NoticeTopic[];
  createdAt: string;
}

export const viewSubscription = (s: SubscriptionRecord): SubscriptionView => ({
  id: s.id,
  orgId: s.orgId,
  url: s.url,
  topics: s.topics,
  createdAt: s.createdAt,
});

export function notificationSettings(ctx: AppContext): NotificationSettings {
  if (!ctx.notifications) throw new Error('this context has no notification settings');
  return ctx.notifications;
}

const noSuchSubscription = (id: string) => notFound('subscription-not-found', `no subscription ${id}`);

/** The topics as given, each once, in the order of NOTICE_TOPICS; every fault named. */
function validTopics(topics: string[]): NoticeTopic[] {
  const issues = new Issues();
  if (topics.length === 0) issues.add({ field: '/topics', message: 'name at least one topic' });
  topics.forEach((topic, i) => {
    if (!isNoticeTopic(topic)) issues.add({ field: `/topics/${i}`, message: `unknown topic '${topic}'` });
  });
  issues.throwIfAny('invalid-subscription');
  return [...new Set(topics as NoticeTopic[])];
}

export async function createSubscription(
  ctx: AppContext,
  caller: Caller,
  input: { url: string; topics: string[] },
): Promise<SubscriptionView & { secret: string }> {
  const actor = requireActor(caller);
  const issues = new Issues();
  const url = issues.check(() => validateWebhookUrl(input.url));
  const topics = issues.check(() => validTopics(input.topics));
  issues.throwIfAny('invalid-subscription');
  return audited(
    ctx,
    caller,
    'subscription.create',
    async (tx) => {
      const { record, secret } = await insertWebhookSubscription(ctx, tx, actor.orgId, url!, topics!);
      return { ...viewSubscription(record), secret };
    },
    (s) => s.id,
  );
}

/**
 * A new webhook subscription of the organisation, inside the caller's unit of work, within the organisation's
 * bound; its secret sealed, and shown (once) to the caller. EPCIS query subscriptions (app/epcis) are made here
 * too, with no topics, so that every webhook's URL rules, secret and deliveries are these.
 */
export async function insertWebhookSubscription(
  ctx: AppContext,
  tx: Tx,
  orgId: string,
  url: string,
  topics: NoticeTopic[],
): Promise<{ record: SubscriptionRecord; secret: string }> {
  const existing = await tx.listSubscriptions(orgId);
  if (existing.length >= MAX_SUBSCRIPTIONS_PER_ORG)
    throw conflict(
      'too-many-subscriptions',
      `an organisation may hold ${MAX_SUBSCRIPTIONS_PER_ORG} subscriptions; remove one first`,
    );
  const id = randomId('sub_');
  const secret = newSecret();
  const record: SubscriptionRecord = {
    id,
    orgId,
    url,
    topics,
    secretSealed: sealSecret(secret, id, notificationSettings(ctx).secretKey),
    createdAt: isoNow(ctx),
    deletedAt: null,
  };
  await tx.insertSubscription(record);
  return { record, secret: showSecret(secret) };
}

export async function listSubscriptions(ctx: AppContext, caller: Caller): Promise<SubscriptionView[]> {
  const actor = requireAdministrator(caller);
  const list = await ctx.store.read((r) => r.listSubscriptions(actor.orgId));
  return list.map(viewSubscription);
}

/** The caller's own subscription (removed ones included: their deliveries stay readable), else not found. */
export async function ownSubscription(
  ctx: AppContext,
  caller: Caller,
  id: string,
): Promise<SubscriptionRecord> {
  const actor = requireAdministrator(caller);
  const found = await ctx.store.read((r) => r.getSubscription(id));
  if (!found || found.orgId !== actor.orgId) throw noSuchSubscription(id);
  return found;
}

export async function getSubscription(
  ctx: AppContext,
  caller: Caller,
  id: string,
): Promise<SubscriptionView> {
  const found = await ownSubscription(ctx, caller, id);
  if (found.deletedAt) throw noSuchSubscription(id);
  return viewSubscription(found);
}

/** Removes it; its pending deliveries end as dead ("subscription removed"), so nothing more is sent. */
export async function deleteSubscription(
  ctx: AppContext,
  caller: Caller,
  id: string,
): Promise<SubscriptionView & { removedAt: string }> {
  const actor = requireActor(caller);
  return audited(
    ctx,
    caller,
    'subscription.delete',
    async (tx) => {
      const found = await tx.getSubscription(id);
      const at = isoNow(ctx);
      if (!found || found.orgId !== actor.orgId || !(await tx.deleteSubscription(id, at)))
        throw noSuchSubscription(id);
      await tx.endPendingDeliveries(id, at, 'subscription removed');
      // An EPCIS query subscription delivers through this one: it ends with it.
      await tx.deleteEpcisSubscription(id, at);
      return { ...viewSubscription(found), removedAt: at };
    },
    () => id,
    id,
  );
}
