import { notFound } from '../domain/errors.js';
import type { Page, PageRequest, StoredEvent } from '../store/store.js';
import { actsFor, requireActor } from './access.js';
import type { AppContext, Caller } from './context.js';
import { noteRead } from './policy/reads.js';
import { requirePurpose } from './policy/relation.js';

export type LateReport = Pick<
  StoredEvent,
  'seq' | 'robotId' | 'eventId' | 'type' | 'eventTime' | 'recordTime'
>;

/** What late reports show of an organisation's events: which robots and when (the read audit's classes). */
const CLASSES = ['technical', 'custody'] as const;

/**
 * An organisation's reports that came in after their deadline: for itself and for regulators, who state why
 * (RobotID-Purpose). Every read and refused attempt is in the read audit.
 */
export async function listLateReports(
  ctx: AppContext,
  caller: Caller,
  orgId: string,
  page: PageRequest,
): Promise<Page<LateReport>> {
  const actor = requireActor(caller);
  const query = `late-reports:${orgId}`;
  const refuse = (error: Error) => {
    noteRead(ctx, caller, { query, classes: CLASSES, outcome: 'denied' });
    return error;
  };
  if (!actsFor(actor, orgId)) {
    if (!actor.roles.has('regulator'))
      throw refuse(notFound('organisation-not-found', `no organisation ${orgId}`));
    try {
      requirePurpose(caller, 'regulator');
    } catch (error) {
      throw refuse(error as Error);
    }
  }
  const result = await ctx.store.read((r) => r.listLateEvents(orgId, page));
  noteRead(ctx, caller, { query, classes: CLASSES, outcome: 'granted' });
  return {
    next: result.next,
    items: result.items.map(({ seq, robotId, eventId, type, eventTime, recordTime }) => ({
      seq,
      robotId,
      eventId,
      type,
      eventTime,
      recordTime,
    })),
  };
}
