/**
 * Reading campaigns. What a campaign announces (number, component, summary, consequence, remedy, stop-use, counts)
 * is public, as recalls are; its criteria (part numbers, lots, firmware) are a manufacturer's supply data, shown to
 * regulators and to the campaign's manufacturer. Which robots are affected: a regulator sees all, a manufacturer its
 * own, any other organisation those it held when notified.
 */
import { parseRobotId } from '../../domain/id/index.js';
import { MANUAL_MOVES, type RecallRobotState } from '../../domain/safety/recalls.js';
import { conflict, forbidden, invalid } from '../../domain/errors.js';
import type {
  Reader,
  Page,
  PageRequest,
  RecallFilter,
  RecallProgress,
  RecallRecord,
  RecallRobot,
  RecallRobotFilter,
} from '../../store/store.js';
import { requireActor } from '../access.js';
import { audited } from '../audit.js';
import { isoNow, type AppContext, type Caller } from '../context.js';
import { noteRead } from '../policy/reads.js';
import { requirePurpose } from '../policy/relation.js';
import { getRecallOrFail, idPrefixOf, requireManager } from './open.js';

export interface RecallView extends Omit<RecallRecord, 'criteria' | 'scope' | 'openedByKey'> {
  criteria?: RecallRecord['criteria'];
  affected: number;
  progress: { remedied: number; outstanding: number; completion: number };
}

const seesCriteria = (caller: Caller, r: RecallRecord) =>
  !!caller &&
  (caller.roles.has('regulator') || caller.roles.has('admin') || caller.orgId === r.manufacturerId);

function viewOf(caller: Caller, r: RecallRecord, byState: RecallProgress['byState']): RecallView {
  const { criteria, scope: _scope, openedByKey: _key, ...announced } = r;
  const s = byState;
  const affected = s.notified + s.remedied + s.unreachable + s.exempt;
  const done = s.remedied + s.exempt;
  return {
    ...announced,
    ...(seesCriteria(caller, r) ? { criteria } : {}),
    affected,
    progress: {
      remedied: s.remedied,
      outstanding: s.notified + s.unreachable,
      completion: affected === 0 ? 1 : done / affected,
    },
  };
}

export async function getRecallView(ctx: AppContext, caller: Caller, number: string): Promise<RecallView> {
  return ctx.store.read(async (r) => {
    const recall = await getRecallOrFail(r, number);
    return viewOf(caller, recall, await r.recallCounts(number));
  });
}

export async function listRecallViews(
  ctx: AppContext,
  caller: Caller,
  filter: RecallFilter,
  page: PageRequest,
): Promise<Page<RecallView>> {
  return ctx.store.read(async (r) => {
    const found = await r.listRecalls(filter, page);
    const items = [];
    for (const recall of found.items) items.push(viewOf(caller, recall, await r.recallCounts(recall.number)));
    return { items, next: found.next };
  });
}

/** Completion over time: robots per state now and, day by day, affected and remedied by then. */
export async function getRecallProgress(ctx: AppContext, number: string) {
  return ctx.store.read(async (r) => {
    const recall = await getRecallOrFail(r, number);
    const progress = await r.recallProgress(number);
    const view = viewOf(null, recall, progress.byState);
    return {
      recall: number,
      affectedSet: recall.affectedSet,
      affected: view.affected,
      ...view.progress,
      ...progress,
    };
  });
}

/** A campaign's robots the caller may know about (see the header). */
export async function listAffectedRobots(
  ctx: AppContext,
  caller: Caller,
  number: string,
  filter: Pick<RecallRobotFilter, 'state'>,
  page: PageRequest<string>,
): Promise<Page<AffectedRobot, string>> {
  const actor = requireActor(caller);
  return ctx.store.read(async (r) => {
    await getRecallOrFail(r, number);
    let scope: RecallRobotFilter = {};
    if (actor.roles.has('regulator') || actor.roles.has('admin')) requirePurpose(actor, 'regulator');
    else if (actor.roles.has('manufacturer')) {
      const org = await r.getOrganisation(actor.orgId);
      scope = { idPrefixes: org ? idPrefixOf(org) : [] };
    } else scope = { custodianId: actor.orgId };
    const found = await r.listRecallRobots(number, { ...filter, ...scope }, page);
    // Which robots a holder had and where they stand: custody data, kept in the read audit like a search.
    const query = new URLSearchParams({ recall: number, ...(filter.state ? { state: filter.state } : {}) });
    noteRead(ctx, actor, { query: query.toString(), classes: ['custody'], outcome: 'granted' });
    return { ...found, items: await withCustodianNames(r, found.items) };
  });
}

/** An affected robot with its holder's name, so that a list says who holds it, not only an `org_…` id. */
export type AffectedRobot = RecallRobot & { custodianName: string | null };

/** One organisation read per distinct holder on the page (a page holds few). */
async function withCustodianNames(r: Reader, robots: RecallRobot[]): Promise<AffectedRobot[]> {
  const ids = [...new Set(robots.map((robot) => robot.custodianId))];
  const names = new Map(
    await Promise.all(ids.map(async (id) => [id, (await r.getOrganisation(id))?.name ?? null] as const)),
  );
  return robots.map((robot) => ({ ...robot, custodianName: names.get(robot.custodianId) ?? null }));
}

/** One campaign a robot is in, as anyone may see it (what a recall lookup by vehicle number shows). */
export interface RobotRecallNote {
  recall: string;
  status: 'open' | 'closed';
  component: string;
  summary: string;
  consequence: string;
  remedy: string;
  overTheAir: boolean;
  stopUse: boolean;
  openedAt: string;
  /** The robot's place in the campaign. */
  state: RecallRobotState;
  since: string;
}

export async function recallNotesOf(r: Reader, robotId: string): Promise<RobotRecallNote[]> {
  const notes: RobotRecallNote[] = [];
  for (const e of await r.listRecallEntries([robotId])) {
    const recall = await r.getRecall(e.recall);
    if (!recall) continue;
    notes.push({
      recall: recall.number,
      status: recall.status,
      component: recall.component,
      summary: recall.summary,
      consequence: recall.consequence,
      remedy: recall.remedy.description,
      overTheAir: recall.remedy.overTheAir,
      stopUse: recall.stopUse,
      openedAt: recall.openedAt,
      state: e.state,
      since: e.changedAt,
    });
  }
  return notes;
}

/**
 * Moves an affected robot by hand: unreachable (its holder cannot be reached), back to notified, or exempt (a
 * regulator's decision, with a note). Remedies are never set by hand: a service event records them.
 */
export async function setAffectedRobotState(
  ctx: AppContext,
  caller: Caller,
  number: string,
  robotInput: string,
  change: { state: RecallRobotState; note?: string },
): Promise<AffectedRobot> {
  const robotId = parseRobotId(robotInput, 'robotId').canonical;
  return audited(
    ctx,
    caller,
    'recalls.robot-state',
    async (tx) => {
      const recall = await getRecallOrFail(tx, number);
      const actor = requireManager(caller, recall);
      if (change.state === 'exempt' && !actor.roles.has('regulator'))
        throw forbidden('exemption-needs-regulator', 'only a regulator may exempt a robot from a recall');
      if (change.state === 'exempt' && !change.note)
        throw invalid('note-required', 'an exemption states why', [{ field: '/note', message: 'required' }]);
      const entry = (await tx.listRecallEntries([robotId])).find((e) => e.recall === number);
      if (!entry)
        throw invalid('not-affected', `robot ${robotId} is not in recall ${number}`, [
          { field: 'robotId', message: 'not affected' },
        ]);
      const allowed = MANUAL_MOVES[entry.state];
      if (!allowed.includes(change.state))
        throw conflict(
          'recall-state-move',
          `a robot ${entry.state} under recall ${number} cannot be set ${change.state} by hand; allowed: ${allowed.join(', ') || 'none'}`,
        );
      const at = isoNow(ctx);
      await tx.putRecallStates([
        { recall: number, robotId, state: change.state, at, note: change.note ?? null },
      ]);
      const [changed] = await withCustodianNames(tx, [
        { ...entry, state: change.state, changedAt: at, note: change.note ?? null },
      ]);
      return changed!;
    },
    () => `${number} ${robotId}`,
    `${number} ${robotId}`,
  );
}
