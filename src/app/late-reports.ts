import { notFound } from '../domain/errors.js';
import type { Page, PageRequest, StoredEvent } from '../store/store.js';
import { actsFor, requireActor } from './access.js';
import type { AppContext, Caller } from './context.js';

export type LateReport = Pick<
  StoredEvent,
  'seq' | 'robotId' | 'eventId' | 'type' | 'eventTime' | 'recordTime'
>;

/** An organisation's reports that came in after their deadline: for itself and for regulators. */
export async function listLateReports(
  ctx: AppContext,
  caller: Caller,
  orgId: string,
  page: PageRequest,
): Promise<Page<LateReport>> {
  const actor = requireActor(caller);
  if (!actsFor(actor, orgId) && !actor.roles.has('regulator')) {
    throw notFound('organisation-not-found', `no organisation ${orgId}`);
  }
  const result = await ctx.store.read((r) => r.listLateEvents(orgId, page));
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
