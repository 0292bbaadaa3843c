/**
 * Reading the delivery log and putting deliveries back in the queue. An organisation sees its own deliveries;
 * regulators and the platform administrator see everyone's. Anyone else's delivery looks like there is none.
 */
import { conflict, notFound } from '../../domain/errors.js';
import type { DeliveryAttempt, DeliveryRecord, DeliveryState, Page, PageRequest } from '../../store/store.js';
import { hasRole, requireActor } from '../access.js';
import { audited } from '../audit.js';
import { requireAdministrator } from '../people/permissions.js';
import { isoNow, type Actor, type AppContext, type Caller } from '../context.js';
import { ownSubscription } from './subscriptions.js';

export type DeliveryView = Omit<DeliveryRecord, 'seq'>;
export type DeliveryAttemptView = Omit<DeliveryAttempt, 'deliveryId'>;

export const viewDelivery = ({ seq: _seq, ...rest }: DeliveryRecord): DeliveryView => rest;

const seesAll = (actor: Actor) => hasRole(actor, 'regulator', 'admin');
const noSuchDelivery = (id: string) => notFound('delivery-not-found', `no delivery ${id}`);

export async function listDeliveries(
  ctx: AppContext,
  caller: Caller,
  state: DeliveryState | undefined,
  page: PageRequest,
): Promise<Page<DeliveryView>> {
  const actor = requireAdministrator(caller);
  const filter = {
    ...(seesAll(actor) ? {} : { orgId: actor.orgId }),
    ...(state === undefined ? {} : { state }),
  };
  const found = await ctx.store.read((r) => r.listDeliveries(filter, page));
  return { items: found.items.map(viewDelivery), next: found.next };
}

export async function listSubscriptionDeliveries(
  ctx: AppContext,
  caller: Caller,
  subscriptionId: string,
  state: DeliveryState | undefined,
  page: PageRequest,
): Promise<Page<DeliveryView>> {
  const actor = requireAdministrator(caller);
  // Regulators and the administrator may read any subscription's log; others only their own.
  if (!seesAll(actor)) await ownSubscription(ctx, caller, subscriptionId);
  else if (!(await ctx.store.read((r) => r.getSubscription(subscriptionId))))
    throw notFound('subscription-not-found', `no subscription ${subscriptionId}`);
  const filter = { subscriptionId, ...(state === undefined ? {} : { state }) };
  const found = await ctx.store.read((r) => r.listDeliveries(filter, page));
  return { items: found.items.map(viewDelivery), next: found.next };
}

/** A delivery with every attempt made at it. */
export async function getDelivery(
  ctx: AppContext,
  caller: Caller,
  id: string,
): Promise<DeliveryView & { log: DeliveryAttemptView[] }> {
  const actor = requireAdministrator(caller);
  const found = await ctx.store.read(async (r) => {
    const delivery = await r.getDelivery(id);
    if (!delivery || (!seesAll(actor) && delivery.orgId !== actor.orgId)) return null;
    return { delivery, log: await r.listDeliveryAttempts(id) };
  });
  if (!found) throw noSuchDelivery(id);
  return {
    ...viewDelivery(found.delivery),
    log: found.log.map(({ deliveryId: _id, ...attempt }) => attempt),
  };
}

/**
 * Puts a dead or delivered delivery back in the queue, due now, with a fresh set of attempts (the log keeps the
 * earlier ones). The receiver gets the same webhook-id again: one that de-duplicates ignores it, as it should a
 * copy; a redelivery is for a receiver that lost or refused it. Only the delivery's organisation may ask.
 */
export async function redeliver(ctx: AppContext, caller: Caller, id: string): Promise<DeliveryView> {
  const actor = requireActor(caller);
  return audited(
    ctx,
    caller,
    'delivery.redeliver',
    async (tx) => {
      const delivery = await tx.getDelivery(id);
      if (!delivery || (delivery.orgId !== actor.orgId && !hasRole(actor, 'admin'))) throw noSuchDelivery(id);
      if (delivery.state === 'pending')
        throw conflict('delivery-pending', `delivery ${id} is in the queue already`);
      const subscription = await tx.getSubscription(delivery.subscriptionId);
      if (!subscription || subscription.deletedAt)
        throw conflict('subscription-removed', `the subscription of delivery ${id} was removed`);
      const at = isoNow(ctx);
      const update = {
        ...delivery,
        state: 'pending' as const,
        attempts: 0,
        nextAttemptAt: at,
        updatedAt: at,
      };
      await tx.updateDelivery(id, update);
      return viewDelivery(update);
    },
    (d) => d.id,
    id,
  );
}
