/**
 * The read audit's two questions: who read this robot's data (its operator or custodian, and regulators), and a
 * regulator's search over every read. Both answers are themselves non-public data, so asking is recorded too.
 */
import { notFound } from '../domain/errors.js';
import { parseRobotId } from '../domain/id/index.js';
import { PURPOSE_HEADER, purposeRequired, type Purpose } from '../domain/policy/purposes.js';
import type { DataClass } from '../domain/policy/table.js';
import type { Page, PageRequest, ReadAuditEntry, ReadAuditFilter, Reader } from '../store/store.js';
import { hasRole, requireActor, requireRole } from './access.js';
import { isoNow, type Actor, type AppContext, type Caller } from './context.js';
import type { ReadRecord } from './read-audit.js';

/** Who read a robot's data is the operator's business (how its robot is used): the class of these answers. */
const READ_AUDIT_CLASSES: DataClass[] = ['usage'];

/** One line of a robot's read audit, as its operator or custodian sees it (no key ids: those are internal). */
export interface RobotRead {
  at: string;
  orgId: string | null;
  orgName: string | null;
  classes: DataClass[];
  purpose: Purpose | null;
  outcome: 'granted' | 'denied';
  /** Regulators only. */
  keyId?: string | null;
}

/** One line of the regulator's search: the whole record, with the reader's name. */
export type ReadAuditLine = ReadAuditEntry & { orgName: string | null };

const regulatorsPurpose = () =>
  purposeRequired(
    `a regulator states why it reads: send the ${PURPOSE_HEADER} header`,
    'required of regulators',
  );

function recordOf(
  ctx: AppContext,
  caller: Actor,
  what: { robotId: string | null; query: string | null },
  purpose: Purpose | null,
  outcome: ReadRecord['outcome'],
): ReadRecord {
  return {
    at: isoNow(ctx),
    orgId: caller.orgId,
    keyId: caller.keyId,
    ...what,
    classes: READ_AUDIT_CLASSES,
    purpose,
    outcome,
  };
}

/** The organisations' names, by id, for the readers on a page. */
async function namesOf(r: Reader, ids: (string | null)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => id !== null))];
  const orgs = await Promise.all(unique.map((id) => r.getOrganisation(id)));
  return new Map(orgs.flatMap((o) => (o ? [[o.id, o.name] as const] : [])));
}

/** How the caller stands to the robot for its read audit: holds it now, regulates, or neither. */
type Standing = 'holder' | 'regulator' | null;

/**
 * A robot's read audit, newest first: for its current custodian or operator, and regulators (who state a
 * purpose). Anyone else hears that there is no such robot, and the attempt is recorded as denied.
 */
export async function listRobotReads(
  ctx: AppContext,
  caller: Caller,
  input: string,
  purpose: Purpose | null,
  page: PageRequest,
): Promise<Page<RobotRead>> {
  const actor = requireActor(caller);
  const id = parseRobotId(input, 'robotId');
  const what = { robotId: id.canonical, query: null };
  const standing = await ctx.store.read(async (r): Promise<Standing> => {
    const [robot, status] = await Promise.all([r.getRobot(id.canonical), r.getRobotStatus(id.canonical)]);
    if (!robot) return null;
    if ([status?.custodianId, status?.operatorId].includes(actor.orgId)) return 'holder';
    return hasRole(actor, 'regulator') ? 'regulator' : null;
  });
  if (standing === null) {
    ctx.readAudit.record(recordOf(ctx, actor, what, purpose, 'denied'));
    throw notFound('robot-not-found', `no robot ${id.display} that you may see`);
  }
  if (standing === 'regulator' && purpose === null) throw regulatorsPurpose();
  const listed = await ctx.store.read(async (r) => {
    const entries = await r.listReadAudit({ robotId: id.canonical }, page);
    return {
      entries,
      names: await namesOf(
        r,
        entries.items.map((e) => e.orgId),
      ),
    };
  });
  ctx.readAudit.record(recordOf(ctx, actor, what, purpose, 'granted'));
  const { entries, names } = listed;
  return {
    next: entries.next,
    items: entries.items.map((e) => ({
      at: e.at,
      orgId: e.orgId,
      orgName: e.orgId === null ? null : (names.get(e.orgId) ?? null),
      classes: e.classes,
      purpose: e.purpose,
      outcome: e.outcome,
      ...(standing === 'regulator' ? { keyId: e.keyId } : {}),
    })),
  };
}

/** The regulator's search: the store's filter as given over HTTP. */
export type ReadAuditQuery = ReadAuditFilter;

/**
 * The search as recorded: its filters by name, in name order, as a query string (percent-encoded, except ':',
 * which a query may hold as it is: instants stay readable).
 */
export function canonicalQuery(filter: ReadAuditFilter): string {
  return Object.entries(filter)
    .filter((field): field is [string, string] => field[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${encodeURIComponent(value).replace(/%3A/g, ':')}`)
    .join('&');
}

/** The filter with the robot ID in canonical form and instants in UTC (as `at` is stored), to compare as text. */
function normalised(query: ReadAuditQuery): ReadAuditFilter {
  const filter: ReadAuditFilter = { ...query };
  if (query.robotId !== undefined) filter.robotId = parseRobotId(query.robotId, 'query:/robotId').canonical;
  if (query.from !== undefined) filter.from = new Date(query.from).toISOString();
  if (query.to !== undefined) filter.to = new Date(query.to).toISOString();
  return filter;
}

/**
 * A regulator's search of every read record, newest first. The regulator states a purpose (`purpose` here is the
 * caller's own, not the filter's); the search is recorded with its canonical query string. Others are refused.
 */
export async function searchReadAudit(
  ctx: AppContext,
  caller: Caller,
  query: ReadAuditQuery,
  purpose: Purpose | null,
  page: PageRequest,
): Promise<Page<ReadAuditLine>> {
  const actor = requireActor(caller);
  const filter = normalised(query);
  const what = { robotId: null, query: canonicalQuery(filter) };
  if (!hasRole(actor, 'regulator')) ctx.readAudit.record(recordOf(ctx, actor, what, purpose, 'denied'));
  requireRole(actor, 'regulator');
  if (purpose === null) throw regulatorsPurpose();
  const { entries, names } = await ctx.store.read(async (r) => {
    const entries = await r.listReadAudit(filter, page);
    return {
      entries,
      names: await namesOf(
        r,
        entries.items.map((e) => e.orgId),
      ),
    };
  });
  ctx.readAudit.record(recordOf(ctx, actor, what, purpose, 'granted'));
  return {
    next: entries.next,
    items: entries.items.map((e) => ({
      ...e,
      orgName: e.orgId === null ? null : (names.get(e.orgId) ?? null),
    })),
  };
}
