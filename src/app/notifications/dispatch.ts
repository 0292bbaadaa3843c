/**
 * Fan-out: each notice in the outbox becomes one delivery per subscription it concerns. Reading the notices after
 * the watermark, creating their deliveries and moving the watermark past them happen in one unit of work, so a crash
 * loses no fan-out and repeats none; two dispatchers (units of work take turns) cannot fan a notice out twice, and
 * the unique (subscription, notice) key would refuse it anyway.
 */
import type { Organisation } from '../../domain/org/organisation.js';
import type { NewDelivery, NoticeRecord, SubscriptionRecord, Tx } from '../../store/store.js';
import { isoNow, randomId, type AppContext } from '../context.js';

export const WEBHOOK_WATERMARK = 'webhooks';
const BATCH = 500;

/** Who receives a notice: the organisations it names, and every regulator (they watch everything). */
export const receives = (sub: SubscriptionRecord, notice: NoticeRecord, org: Organisation | undefined) =>
  sub.topics.includes(notice.topic) &&
  (notice.audience.includes(sub.orgId) || (org?.roles.includes('regulator') ?? false));

async function organisationsOf(tx: Tx, subs: SubscriptionRecord[]) {
  const orgs = new Map<string, Organisation>();
  // One query at a time: a unit of work is one database session.
  for (const id of new Set(subs.map((s) => s.orgId))) {
    const org = await tx.getOrganisation(id);
    if (org) orgs.set(id, org);
  }
  return orgs;
}

/** One batch of fan-out; the number of notices handled (fewer than the batch: none are left). */
export async function dispatchBatch(ctx: AppContext, limit = BATCH): Promise<number> {
  return ctx.store.write(async (tx) => {
    const notices = await tx.listNoticesAfter(await tx.noticeWatermark(WEBHOOK_WATERMARK), limit);
    if (notices.length === 0) return 0;
    const subs = await tx.listSubscriptions(null);
    const orgs = await organisationsOf(tx, subs);
    const at = isoNow(ctx);
    const deliveries: NewDelivery[] = [];
    for (const notice of notices) {
      for (const sub of subs) {
        if (!receives(sub, notice, orgs.get(sub.orgId))) continue;
        deliveries.push(pendingDelivery(sub, notice.id, at));
      }
    }
    await tx.insertDeliveries(deliveries);
    await tx.putNoticeWatermark(WEBHOOK_WATERMARK, notices[notices.length - 1]!.id);
    return notices.length;
  });
}

/** Fans out every notice not fanned out yet; the number handled. */
export async function dispatchNotices(ctx: AppContext): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await dispatchBatch(ctx);
    total += handled;
    if (handled < BATCH) return total;
  }
}

/**
 * A delivery of notice `noticeId` to a subscription, due now: the one shape every fan-out (notices, EPCIS query
 * results) hands to the webhooks' delivery machinery.
 */
export const pendingDelivery = (
  sub: Pick<SubscriptionRecord, 'id' | 'orgId'>,
  noticeId: number,
  at: string,
): NewDelivery => ({
  id: randomId('msg_'),
  subscriptionId: sub.id,
  orgId: sub.orgId,
  noticeId,
  state: 'pending',
  attempts: 0,
  nextAttemptAt: at,
  createdAt: at,
  updatedAt: at,
  lastStatus: null,
  lastError: null,
});
