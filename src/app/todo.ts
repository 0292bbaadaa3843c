/**
 * What an organisation has to do, for the console's home page: its reports that came in after their deadline, its
 * open compliance findings, the open recalls that reach its robots and its robots' open incidents — how many of
 * each and the newest few. For the organisation itself and regulators (who state why); to anyone else the
 * organisation's list does not exist (404). Every read and refused attempt is in the read audit.
 */
import { notFound } from '../domain/errors.js';
import type { EventType } from '../domain/lifecycle/events.js';
import type { ComplianceFinding, OpenIncidentOf, Reader } from '../store/store.js';
import { actsFor, requireActor } from './access.js';
import type { AppContext, Caller } from './context.js';
import { noteRead } from './policy/reads.js';
import { requirePurpose } from './policy/relation.js';

/** How many of each kind the list shows. */
export const TODO_LATEST = 5;

export interface CountAndLatest<T> {
  count: number;
  latest: T[];
}

export interface LateReportItem {
  seq: number;
  robotId: string;
  eventId: string;
  type: EventType;
  eventTime: string;
  recordTime: string;
  /** The deadline its type has in this registry (days from eventTime to recordTime). */
  deadlineDays: number;
}

export interface RecallItem {
  number: string;
  component: string;
  summary: string;
  stopUse: boolean;
  openedAt: string;
  /** The organisation's robots in the campaign still to be remedied. */
  robots: number;
}

export interface OrganisationTodo {
  lateReports: CountAndLatest<LateReportItem>;
  openFindings: CountAndLatest<Omit<ComplianceFinding, 'orgId'>>;
  recalls: CountAndLatest<RecallItem>;
  openIncidents: CountAndLatest<OpenIncidentOf>;
}

const CLASSES = ['technical', 'custody'] as const;

export async function organisationTodo(
  ctx: AppContext,
  caller: Caller,
  orgId: string,
): Promise<OrganisationTodo> {
  const actor = requireActor(caller);
  const query = `todo:${orgId}`;
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
  const todo = await ctx.store.read(async (r) => {
    const org = await r.getOrganisation(orgId);
    if (!org) return null;
    const prefix = org.enterpriseCode ? `${org.jurisdiction}${org.enterpriseCode}` : null;
    const [late, findings, recalls, incidents] = await Promise.all([
      r.lateReportsOf(orgId, TODO_LATEST),
      r.openFindingsOf(orgId, TODO_LATEST),
      recallsOf(r, orgId, prefix),
      r.openIncidentsOf(orgId, TODO_LATEST),
    ]);
    return {
      lateReports: {
        count: late.count,
        latest: late.latest.map(({ seq, robotId, eventId, type, eventTime, recordTime }) => ({
          seq,
          robotId,
          eventId,
          type,
          eventTime,
          recordTime,
          deadlineDays: ctx.deadlines[type],
        })),
      },
      openFindings: {
        count: findings.count,
        latest: findings.latest.map(({ orgId: _org, ...finding }) => finding),
      },
      recalls,
      openIncidents: incidents,
    };
  });
  if (!todo) throw refuse(notFound('organisation-not-found', `no organisation ${orgId}`));
  noteRead(ctx, caller, { query, classes: CLASSES, outcome: 'granted' });
  return todo;
}

async function recallsOf(
  r: Reader,
  orgId: string,
  prefix: string | null,
): Promise<CountAndLatest<RecallItem>> {
  const open = await r.openRecallsOf(orgId, prefix);
  const latest: RecallItem[] = [];
  for (const { number, robots } of open.slice(0, TODO_LATEST)) {
    const recall = await r.getRecall(number);
    if (!recall) continue;
    const { component, summary, stopUse, openedAt } = recall;
    latest.push({ number, component, summary, stopUse, openedAt, robots });
  }
  return { count: open.length, latest };
}
