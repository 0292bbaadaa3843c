/**
 * Recall tracking inside each capture's unit of work: a robot that comes to match an open campaign (manufactured
 * with an affected part, fitted one in service, given an affected firmware) joins it; a service that remedies an
 * affected robot closes its entry. Both are committed with the events, or not at all.
 */
import type { Notice } from '../../domain/safety/notices.js';
import { OUTSTANDING, matches, remedies, type RecallRobotState } from '../../domain/safety/recalls.js';
import type { ServicedPayload } from '../../domain/lifecycle/events.js';
import type { RecallRecord, RecallStateChange, Tx } from '../../store/store.js';
import type { CommittedEvent } from '../capture/derived.js';
import type { AppContext } from '../context.js';
import { isoNow } from '../context.js';
import { announce } from '../notifications/announce.js';
import { factsOf } from './facts.js';
import { affectsNotices, type AffectedRobotParties } from './notices.js';

/** Events that change what a campaign's criteria look at (parts, software, production date). */
const CHANGES_FACTS = new Set(['manufactured', 'serviced']);

export async function trackRecalls(tx: Tx, ctx: AppContext, committed: CommittedEvent[]): Promise<void> {
  const relevant = committed.filter((c) => CHANGES_FACTS.has(c.event.type));
  if (relevant.length === 0) return;
  const open = await tx.listOpenRecalls();
  if (open.length === 0) return;
  const serviced = [
    ...new Set(relevant.filter((c) => c.event.type === 'serviced').map((c) => c.event.robotId)),
  ];
  // Each robot's state in each campaign, as this batch goes.
  const states = new Map<string, RecallRobotState>();
  for (const e of await tx.listRecallEntries(serviced)) states.set(`${e.recall} ${e.robotId}`, e.state);

  const at = isoNow(ctx);
  const joined: (AffectedRobotParties & { recall: RecallRecord })[] = [];
  const remedied: RecallStateChange[] = [];
  for (const { event, seq, after } of relevant) {
    const facts = factsOf(event.robotId, after);
    for (const recall of open) {
      const key = `${recall.number} ${event.robotId}`;
      const state = states.get(key);
      if (state) {
        if (event.type !== 'serviced' || !OUTSTANDING.includes(state)) continue;
        if (!remedies(recall, event.payload as ServicedPayload, facts)) continue;
        remedied.push({
          recall: recall.number,
          robotId: event.robotId,
          state: 'remedied',
          at,
          remedySeq: seq,
        });
        states.set(key, 'remedied');
      } else if (inScope(recall, event.robotId) && matches(recall.criteria, facts)) {
        joined.push({
          recall,
          robotId: event.robotId,
          custodianId: after.custodianId,
          manufacturerId: after.manufacturerId,
        });
        // Joined now: a later service in this batch may remedy it (the entry is written before the remedy).
        states.set(key, 'notified');
      }
    }
  }
  await tx.addRecallRobots(
    joined.map((j) => ({ recall: j.recall.number, robotId: j.robotId, custodianId: j.custodianId })),
    at,
  );
  await tx.putRecallStates(remedied);
  const notices: Notice[] = [];
  for (const recall of open) {
    const found = joined.filter((j) => j.recall === recall);
    if (found.length > 0) notices.push(...affectsNotices(recall, found, { count: true }));
  }
  await announce(tx, at, notices);
}

const inScope = (recall: RecallRecord, robotId: string) =>
  recall.scope === null || recall.scope.some((prefix) => robotId.startsWith(prefix));
