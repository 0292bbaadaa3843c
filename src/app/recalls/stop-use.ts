/**
 * Stop-use orders are `suspended` / `reinstated` events in the ledger (a regulator's, or a recall's with stop-use).
 * Here: their notices, written with the events, and the rule that a recall's order is lifted only once the robot
 * is remedied (or exempted).
 */
import { DomainError } from '../../domain/errors.js';
import type { SuspendedPayload } from '../../domain/lifecycle/events.js';
import type { Notice, NoticeTopic } from '../../domain/safety/notices.js';
import { OUTSTANDING, RECALL_NUMBER } from '../../domain/safety/recalls.js';
import type { Tx } from '../../store/store.js';
import type { CommittedEvent } from '../capture/derived.js';
import { isoNow, type AppContext } from '../context.js';
import { announce } from '../notifications/announce.js';
import { robotAudience } from './facts.js';
import { robotsPerOrganisation } from './notices.js';

const TOPICS = { suspended: 'robot.suspended', reinstated: 'robot.reinstated' } as const;

/**
 * One notice per organisation and order naming only the robots that concern it (a recall's stop-use suspends
 * thousands at once: one notice each would bury the receivers).
 */
export async function announceStopUse(tx: Tx, ctx: AppContext, committed: CommittedEvent[]): Promise<void> {
  const orders = new Map<
    string,
    { topic: NoticeTopic; data: Record<string, unknown>; items: { robotId: string; orgs: string[] }[] }
  >();
  for (const { event, after, before } of committed) {
    if (event.type !== 'suspended' && event.type !== 'reinstated') continue;
    const { orderNumber } = event.payload as { orderNumber: string };
    const key = `${event.type} ${orderNumber}`;
    let order = orders.get(key);
    if (!order) {
      const reason = event.type === 'suspended' ? { reason: (event.payload as SuspendedPayload).reason } : {};
      order = {
        topic: TOPICS[event.type],
        data: { orderNumber, ...reason, eventTime: event.eventTime },
        items: [],
      };
      orders.set(key, order);
    }
    order.items.push({ robotId: event.robotId, orgs: [...robotAudience(before), ...robotAudience(after)] });
  }
  const notices: Notice[] = [];
  for (const { topic, data, items } of orders.values())
    for (const [org, robots] of robotsPerOrganisation(items))
      notices.push({
        topic,
        audience: [org],
        robotId: robots.length === 1 ? robots[0]! : null,
        data: { ...data, robots },
      });
  await announce(tx, isoNow(ctx), notices);
}

/** A recall's stop-use order stays until the robot is remedied or exempted: reinstating it earlier is refused. */
export async function assertRecallAllowsReinstatement(
  tx: Tx,
  robotId: string,
  orderNumber: string,
  field: string,
): Promise<void> {
  if (!RECALL_NUMBER.test(orderNumber)) return;
  const entry = (await tx.listRecallEntries([robotId])).find((e) => e.recall === orderNumber);
  if (!entry || !OUTSTANDING.includes(entry.state)) return;
  throw new DomainError(
    'conflict',
    'recall-not-remedied',
    `robot ${robotId} is under recall ${orderNumber} and not remedied (${entry.state}): its stop-use order is lifted once a service remedies it or a regulator exempts it`,
    [{ field, message: 'not remedied under this recall' }],
    { recall: orderNumber, recallState: entry.state },
  );
}
