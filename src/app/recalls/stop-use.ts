/**
 * Stop-use orders are `suspended` / `reinstated` events in the ledger (a regulator's, or a recall's with stop-use).
 * Here: their notices, written with the events, and the rule that a recall's order is lifted only once the robot
 * is remedied (or exempted).
 */
import { DomainError } from '../../domain/errors.js';
import type { SuspendedPayload } from '../../domain/lifecycle/events.js';
import type { Notice } from '../../domain/safety/notices.js';
import { OUTSTANDING, RECALL_NUMBER } from '../../domain/safety/recalls.js';
import type { Tx } from '../../store/store.js';
import type { CommittedEvent } from '../capture/derived.js';
import { isoNow, type AppContext } from '../context.js';
import { announce } from '../notifications/announce.js';
import { robotAudience } from './facts.js';

const TOPICS = { suspended: 'robot.suspended', reinstated: 'robot.reinstated' } as const;

/**
 * One notice per organisation and order naming only the robots that concern it (a recall's stop-use suspends
 * thousands at once: one notice each would bury the receivers).
 */
export async function announceStopUse(tx: Tx, ctx: AppContext, committed: CommittedEvent[]): Promise<void> {
  const groups = new Map<string, { notice: Notice; robots: string[] }>();
  for (const { event, after, before } of committed) {
    if (event.type !== 'suspended' && event.type !== 'reinstated') continue;
    const { orderNumber } = event.payload as { orderNumber: string };
    const reason = event.type === 'suspended' ? (event.payload as SuspendedPayload).reason : null;
    for (const org of new Set([...robotAudience(before), ...robotAudience(after)])) {
      const key = `${event.type} ${orderNumber} ${org}`;
      let group = groups.get(key);
      if (!group) {
        const data = { orderNumber, ...(reason === null ? {} : { reason }), eventTime: event.eventTime };
        group = { notice: { topic: TOPICS[event.type], audience: [org], robotId: null, data }, robots: [] };
        groups.set(key, group);
      }
      group.robots.push(event.robotId);
    }
  }
  const notices = [...groups.values()].map(({ notice, robots }) => ({
    ...notice,
    robotId: robots.length === 1 ? robots[0]! : null,
    data: { ...notice.data, robots },
  }));
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
