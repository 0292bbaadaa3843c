/**
 * Fan-out of EPCIS query subscriptions: each stored event after the watermark is matched against every live
 * subscription's query, as the subscribing key may see it (the gate and cut of GET /epcis/events), and each match
 * becomes a result (the EPCISQueryDocument to send) and a webhook delivery, which the webhooks' attempts send,
 * sign, retry and log (app/notifications/deliver.ts). Reading the events, writing results and deliveries and
 * moving the watermark happen in one unit of work, as the notices' fan-out does: a crash loses none and repeats
 * none, and the unique (subscription, event) keys back that up.
 */
import { epcisQueryDocument, type EpcisJson } from '../../domain/epcis/export.js';
import { epcisQueryOf, type QueryParams } from '../../domain/epcis/query-params.js';
import { lifecycleTypesFor, matchesQuery, type EpcisQuery } from '../../domain/epcis/query.js';
import { DomainError } from '../../domain/errors.js';
import type { Purpose } from '../../domain/policy/purposes.js';
import type {
  EpcisResultRecord,
  EpcisSubscriptionRecord,
  NewDelivery,
  StoredEvent,
  Tx,
} from '../../store/store.js';
import { isoNow, randomId, type Actor, type AppContext } from '../context.js';
import { noteRead } from '../policy/reads.js';
import { visibleEvents, type Visible } from './query.js';

export const EPCIS_WATERMARK = 'epcis-subscriptions';
const BATCH = 500;

/** One subscription as the fan-out serves it: who reads, and what it asks. */
interface Subscriber {
  subscription: EpcisSubscriptionRecord;
  actor: Actor;
  query: EpcisQuery;
  /** Lifecycle types whose events can match (undefined: any). */
  types: ReadonlySet<string> | undefined;
  /** Each robot's events as this subscriber sees them, read once a round. */
  seen: Map<string, Visible | null>;
}

async function subscribers(tx: Tx): Promise<Subscriber[]> {
  const found: Subscriber[] = [];
  // One query at a time: a unit of work is one database session.
  for (const subscription of await tx.listEpcisSubscriptions(null, null)) {
    const [org, named] = [
      await tx.getOrganisation(subscription.orgId),
      await tx.getEpcisQuery(subscription.orgId, subscription.queryName),
    ];
    if (!org || !named) continue;
    const query = epcisQueryOf(named.params as QueryParams);
    const types = lifecycleTypesFor(query);
    found.push({
      subscription,
      actor: {
        orgId: org.id,
        keyId: subscription.keyId,
        roles: new Set(org.roles),
        purpose: subscription.purpose as Purpose | null,
      },
      query,
      types: types && new Set(types),
      seen: new Map(),
    });
  }
  return found;
}

/** The subscriber's EPCIS events of one stored event that match its query (none when it may not see them). */
async function matching(ctx: AppContext, tx: Tx, s: Subscriber, event: StoredEvent, at: string) {
  if (event.recordTime < s.subscription.initialRecordTime) return [];
  if (s.types && !s.types.has(event.type)) return [];
  if (!s.seen.has(event.robotId)) {
    try {
      s.seen.set(event.robotId, await visibleEvents(ctx, tx, s.actor, event.robotId, at));
    } catch (error) {
      // A regulator subscribed without a purpose cannot read (it was one when subscribing): nothing is sent.
      if (!(error instanceof DomainError)) throw error;
      s.seen.set(event.robotId, null);
    }
  }
  const exported: EpcisJson[] = s.seen.get(event.robotId)?.bySeq.get(event.seq) ?? [];
  return exported.filter((e) => matchesQuery(e, s.query, ctx.publicBaseUrl));
}

/** One round of fan-out; the number of stored events handled (fewer than the batch: none are left). */
export async function dispatchEpcisBatch(ctx: AppContext, limit = BATCH): Promise<number> {
  return ctx.store.write(async (tx) => {
    const after = await tx.noticeWatermark(EPCIS_WATERMARK);
    const subs = await subscribers(tx);
    if (subs.length === 0) {
      // Nobody to match for: move past what is stored, so that a first subscription starts from now.
      const last = await tx.lastEventSeq();
      if (last > after) await tx.putNoticeWatermark(EPCIS_WATERMARK, last);
      return 0;
    }
    const events = await tx.scanEvents(after, limit, {});
    if (events.length === 0) return 0;
    const at = isoNow(ctx);
    const results: EpcisResultRecord[] = [];
    const deliveries: NewDelivery[] = [];
    for (const s of subs) {
      const sent = new Set<string>();
      for (const event of events) {
        const found = await matching(ctx, tx, s, event, at);
        if (found.length === 0) continue;
        const document = epcisQueryDocument(found, {
          creationDate: at,
          queryName: s.subscription.queryName,
          subscriptionID: s.subscription.id,
        });
        results.push({
          subscriptionId: s.subscription.id,
          eventSeq: event.seq,
          body: JSON.stringify(document),
          createdAt: at,
        });
        deliveries.push(newDelivery(s.subscription, event.seq, at));
        sent.add(event.robotId);
      }
      for (const robotId of sent) {
        const classes = s.seen.get(robotId)?.classes ?? [];
        noteRead(ctx, s.actor, { robotId, query: 'epcis-subscription', classes, outcome: 'granted' });
      }
    }
    await tx.insertEpcisResults(results);
    await tx.insertDeliveries(deliveries);
    await tx.putNoticeWatermark(EPCIS_WATERMARK, events[events.length - 1]!.seq);
    return events.length;
  });
}

/** A query subscription's delivery of one stored event: its noticeId is the event's seq (epcis_results' key). */
const newDelivery = (s: EpcisSubscriptionRecord, eventSeq: number, at: string): NewDelivery => ({
  id: randomId('msg_'),
  subscriptionId: s.id,
  orgId: s.orgId,
  noticeId: eventSeq,
  state: 'pending',
  attempts: 0,
  nextAttemptAt: at,
  createdAt: at,
  updatedAt: at,
  lastStatus: null,
  lastError: null,
});

/** Fans out every stored event not fanned out yet; the number handled. */
export async function dispatchEpcisResults(ctx: AppContext): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await dispatchEpcisBatch(ctx);
    total += handled;
    if (handled < BATCH) return total;
  }
}
