/**
 * Fan-out of EPCIS query subscriptions: each stored event after the watermark is matched against every live
 * subscription's query, as the subscribing key may see it (the gate and cut of GET /epcis/events), and each match
 * becomes a result (the EPCISQueryDocument to send) and a webhook delivery, which the webhooks' attempts send,
 * sign, retry and log (app/notifications/deliver.ts). The matching is a read; writing results and deliveries and
 * moving the watermark is one unit of work that checks the watermark first: a crash loses none and repeats none,
 * and the unique (subscription, event) keys back that up.
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
  Reader,
  StoredEvent,
} from '../../store/store.js';
import { isoNow, type Actor, type AppContext } from '../context.js';
import { pendingDelivery } from '../notifications/dispatch.js';
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
  /** Each robot's events as this subscriber sees them, read once a round (shared by the same key's). */
  seen: Map<string, Visible | null>;
}

async function subscribers(r: Reader): Promise<Subscriber[]> {
  const found: Subscriber[] = [];
  const views = new Map<string, Map<string, Visible | null>>();
  for (const subscription of await r.listEpcisSubscriptions(null, null)) {
    const [org, named] = await Promise.all([
      r.getOrganisation(subscription.orgId),
      r.getEpcisQuery(subscription.orgId, subscription.queryName),
    ]);
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
      seen: sharedView(views, subscription),
    });
  }
  return found;
}

/** Subscriptions of one key with one purpose see the same: what one reads, the others need not. */
function sharedView(views: Map<string, Map<string, Visible | null>>, s: EpcisSubscriptionRecord) {
  const reader = JSON.stringify([s.orgId, s.keyId, s.purpose]);
  const view = views.get(reader) ?? new Map<string, Visible | null>();
  views.set(reader, view);
  return view;
}

/** The subscriber's EPCIS events of one stored event that match its query (none when it may not see them). */
async function matching(ctx: AppContext, r: Reader, s: Subscriber, event: StoredEvent, at: string) {
  if (event.recordTime < s.subscription.initialRecordTime) return [];
  if (s.types && !s.types.has(event.type)) return [];
  if (!s.seen.has(event.robotId)) {
    try {
      s.seen.set(event.robotId, await visibleEvents(ctx, r, s.actor, event.robotId, at));
    } catch (error) {
      // A regulator subscribed without a purpose cannot read (it was one when subscribing): nothing is sent.
      if (!(error instanceof DomainError)) throw error;
      s.seen.set(event.robotId, null);
    }
  }
  const exported: EpcisJson[] = s.seen.get(event.robotId)?.bySeq.get(event.seq) ?? [];
  return exported.filter((e) => matchesQuery(e, s.query, ctx.publicBaseUrl));
}

/** What one round matched, to be written: results and their deliveries, and the watermark's move. */
interface Round {
  after: number;
  last: number;
  /** The subscriptions matched for. */
  matchedFor: ReadonlySet<string>;
  results: EpcisResultRecord[];
  deliveries: NewDelivery[];
  /** Events read, for the caller's loop (fewer than the batch: none are left). */
  handled: number;
}

/**
 * Matching, in a read: reading histories for every subscription can take a while, and no writer should wait for
 * it (SQLite has one). Only the leader of 'notice-dispatcher' runs a round; the write checks the watermark anyway.
 */
async function matchRound(ctx: AppContext, limit: number): Promise<Round> {
  return ctx.store.read(async (r) => {
    const after = await r.noticeWatermark(EPCIS_WATERMARK);
    const subs = await subscribers(r);
    const matchedFor = new Set(subs.map((sub) => sub.subscription.id));
    const round: Round = { after, last: after, matchedFor, results: [], deliveries: [], handled: 0 };
    if (subs.length === 0) {
      // Nobody to match for: move past what is stored, so that a first subscription starts from now.
      round.last = Math.max(after, await r.lastEventSeq());
      return round;
    }
    const events = await r.scanEvents(after, limit, {});
    if (events.length === 0) return round;
    const at = isoNow(ctx);
    for (const s of subs) {
      const sent = new Set<string>();
      for (const event of events) {
        const found = await matching(ctx, r, s, event, at);
        if (found.length === 0) continue;
        const document = epcisQueryDocument(found, {
          creationDate: at,
          queryName: s.subscription.queryName,
          subscriptionID: s.subscription.id,
        });
        round.results.push({
          subscriptionId: s.subscription.id,
          eventSeq: event.seq,
          body: JSON.stringify(document),
          createdAt: at,
        });
        // A query subscription's delivery of one stored event: its noticeId is the event's seq (epcis_results' key).
        round.deliveries.push(pendingDelivery(s.subscription, event.seq, at));
        sent.add(event.robotId);
      }
      for (const robotId of sent) {
        const classes = s.seen.get(robotId)?.classes ?? [];
        noteRead(ctx, s.actor, { robotId, query: 'epcis-subscription', classes, outcome: 'granted' });
      }
    }
    return { ...round, last: events[events.length - 1]!.seq, handled: events.length };
  });
}

/**
 * One round of fan-out; the number of stored events handled (fewer than the batch: none are left). The results,
 * their deliveries and the watermark's move are one unit of work, written only if the watermark is where the
 * round read it: a crash loses no match and repeats none.
 */
export async function dispatchEpcisBatch(ctx: AppContext, limit = BATCH): Promise<number> {
  const round = await matchRound(ctx, limit);
  if (round.last === round.after) return round.handled;
  return ctx.store.write(async (tx) => {
    if ((await tx.noticeWatermark(EPCIS_WATERMARK)) !== round.after) return 0;
    const live = new Set((await tx.listEpcisSubscriptions(null, null)).map((sub) => sub.id));
    // One made meanwhile was not matched for: the round is done again. One ended meanwhile gets nothing more.
    if ([...live].some((id) => !round.matchedFor.has(id))) return 0;
    await tx.insertEpcisResults(round.results.filter((x) => live.has(x.subscriptionId)));
    await tx.insertDeliveries(round.deliveries.filter((d) => live.has(d.subscriptionId)));
    await tx.putNoticeWatermark(EPCIS_WATERMARK, round.last);
    return round.handled;
  });
}

/** Fans out every stored event not fanned out yet; the number handled. */
export async function dispatchEpcisResults(ctx: AppContext): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await dispatchEpcisBatch(ctx);
    total += handled;
    if (handled < BATCH) return total;
  }
}
