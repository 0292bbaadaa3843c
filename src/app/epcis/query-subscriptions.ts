/**
 * Subscriptions to EPCIS named queries (GS1 REST binding: POST /queries/{name}/subscriptions), streaming only:
 * each stored event that matches the query, as the subscribing key may see it, is sent to `dest` as an
 * EPCISQueryDocument (fan-out: subscription-fan-out.ts). A subscription is a webhook subscription without notice
 * topics (app/notifications): `dest` passes the webhooks' URL rules, the registry makes and seals its signing
 * secret, and delivery, retries, dead letters and the delivery log are the webhooks' own (docs/epcis.md).
 */
import { Issues, notFound } from '../../domain/errors.js';
import { validateWebhookUrl } from '../../domain/safety/webhook-url.js';
import type { EpcisSubscriptionRecord, SubscriptionRecord, Tx } from '../../store/store.js';
import { requireActor } from '../access.js';
import { audited } from '../audit.js';
import { isoNow, type AppContext, type Caller } from '../context.js';
import { insertWebhookSubscription } from '../notifications/subscriptions.js';
import { requirePurpose } from '../policy/relation.js';

/** What the binding's subscription body may hold; the edge refuses other names. */
export interface SubscribeInput {
  dest: string;
  stream?: boolean;
  schedule?: unknown;
  reportIfEmpty?: boolean;
  signatureToken?: string;
  initialRecordTime?: string;
}

export interface QuerySubscriptionView {
  subscriptionID: string;
  queryName: string;
  dest: string;
  stream: true;
  initialRecordTime: string;
  createdAt: string;
}

const view = (
  s: EpcisSubscriptionRecord,
  webhook: Pick<SubscriptionRecord, 'url'>,
): QuerySubscriptionView => ({
  subscriptionID: s.id,
  queryName: s.queryName,
  dest: webhook.url,
  stream: true,
  initialRecordTime: s.initialRecordTime,
  createdAt: s.createdAt,
});

export const noSuchQuery = (name: string) => notFound('epcis-query-not-found', `no named query ${name}`);

const noSuchSubscription = (id: string) =>
  notFound('epcis-subscription-not-found', `no subscription ${id} to this query`);

/** The binding's options the registry does not offer, each refused by name; the start time, checked. */
function checkedInput(input: SubscribeInput, now: Date) {
  const issues = new Issues();
  const dest = issues.check(() => validateWebhookUrl(input.dest, '/dest'));
  if (input.schedule !== undefined)
    issues.add({
      field: '/schedule',
      message: 'scheduled subscriptions are not offered: subscribe with "stream": true',
    });
  else if (input.stream !== true)
    issues.add({ field: '/stream', message: 'set "stream": true (every new matching event is sent)' });
  if (input.reportIfEmpty === true)
    issues.add({ field: '/reportIfEmpty', message: 'a stream sends only matching events: leave it out' });
  if (input.signatureToken !== undefined)
    issues.add({
      field: '/signatureToken',
      message:
        'deliveries are signed with the secret this answer gives (Standard Webhooks headers): leave it out',
    });
  let start = now.toISOString();
  if (input.initialRecordTime !== undefined) {
    const at = Date.parse(input.initialRecordTime);
    if (at < now.getTime())
      issues.add({
        field: '/initialRecordTime',
        message: 'past events are not sent: read them at /epcis/queries/{name}/events, then subscribe',
      });
    else start = new Date(at).toISOString();
  }
  issues.throwIfAny('invalid-epcis-subscription');
  return { dest: dest!, start };
}

export async function subscribeToQuery(
  ctx: AppContext,
  caller: Caller,
  queryName: string,
  input: SubscribeInput,
): Promise<QuerySubscriptionView & { secret: string }> {
  const actor = requireActor(caller);
  const { dest, start } = checkedInput(input, ctx.now());
  // Deliveries are reads made for the subscriber later: a regulator states its purpose now, kept with each.
  if (actor.roles.has('regulator')) requirePurpose(actor, 'regulator');
  return audited(
    ctx,
    caller,
    'subscription.epcis-create',
    async (tx) => {
      if (!(await tx.getEpcisQuery(actor.orgId, queryName))) throw noSuchQuery(queryName);
      const { record, secret } = await insertWebhookSubscription(ctx, tx, actor.orgId, dest, []);
      const subscription: EpcisSubscriptionRecord = {
        id: record.id,
        orgId: actor.orgId,
        queryName,
        keyId: actor.keyId,
        purpose: actor.purpose ?? null,
        initialRecordTime: start,
        createdAt: isoNow(ctx),
        deletedAt: null,
      };
      await tx.insertEpcisSubscription(subscription);
      return { ...view(subscription, record), secret };
    },
    (s) => s.subscriptionID,
  );
}

export async function listQuerySubscriptions(
  ctx: AppContext,
  caller: Caller,
  queryName: string,
): Promise<QuerySubscriptionView[]> {
  const actor = requireActor(caller);
  return ctx.store.read(async (r) => {
    if (!(await r.getEpcisQuery(actor.orgId, queryName))) throw noSuchQuery(queryName);
    const views: QuerySubscriptionView[] = [];
    for (const s of await r.listEpcisSubscriptions(actor.orgId, queryName)) {
      const webhook = await r.getSubscription(s.id);
      if (webhook && !webhook.deletedAt) views.push(view(s, webhook));
    }
    return views;
  });
}

export async function getQuerySubscription(
  ctx: AppContext,
  caller: Caller,
  queryName: string,
  id: string,
): Promise<QuerySubscriptionView> {
  const actor = requireActor(caller);
  return ctx.store.read(async (r) => {
    const found = await r.getEpcisSubscription(id);
    const webhook = found && (await r.getSubscription(id));
    if (!found || !webhook || !isLive(found, webhook, actor.orgId, queryName)) throw noSuchSubscription(id);
    return view(found, webhook);
  });
}

const isLive = (s: EpcisSubscriptionRecord, w: SubscriptionRecord, orgId: string, queryName: string) =>
  s.orgId === orgId && s.queryName === queryName && !s.deletedAt && !w.deletedAt;

/** Ends it and its webhook subscription: pending deliveries end as dead, nothing more is sent. */
export async function endEpcisSubscription(tx: Tx, id: string, at: string): Promise<void> {
  await tx.deleteEpcisSubscription(id, at);
  if (await tx.deleteSubscription(id, at)) await tx.endPendingDeliveries(id, at, 'subscription removed');
}

export async function unsubscribeFromQuery(
  ctx: AppContext,
  caller: Caller,
  queryName: string,
  id: string,
): Promise<void> {
  const actor = requireActor(caller);
  await audited(
    ctx,
    caller,
    'subscription.epcis-delete',
    async (tx) => {
      const found = await tx.getEpcisSubscription(id);
      const webhook = found && (await tx.getSubscription(id));
      if (!found || !webhook || !isLive(found, webhook, actor.orgId, queryName)) throw noSuchSubscription(id);
      await endEpcisSubscription(tx, id, isoNow(ctx));
    },
    () => id,
    id,
  );
}
