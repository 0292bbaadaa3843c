/**
 * EPCIS 2.0 queries (GS1 REST binding: GET /events, /epcs/{epc}/events): the stored events the caller may see,
 * exported (domain/epcis/export.ts) and matched against the query's parameters. What a caller sees is what its
 * native history shows it: each robot's events pass the same gate (policy/relation.ts) and the same cut
 * (policy/history.ts) as GET /v1/robots/{id}/events, and each read is noted as that one is.
 */
import { invalid, notFound } from '../../domain/errors.js';
import { exportEvent, type EpcisJson } from '../../domain/epcis/export.js';
import { lifecycleTypesFor, matchesQuery, robotsNamed, type EpcisQuery } from '../../domain/epcis/query.js';
import { eventIdsOf, partOf } from '../../domain/epcis/uris.js';
import { parseRobotId } from '../../domain/id/index.js';
import type { DataClass } from '../../domain/policy/table.js';
import type { Reader } from '../../store/store.js';
import { requireActor } from '../access.js';
import type { Actor, AppContext, Caller } from '../context.js';
import { historyView } from '../policy/history.js';
import { noteRead } from '../policy/reads.js';
import { relationTo, requirePurpose } from '../policy/relation.js';
import { withRobotKeysRead } from './query-gs1-keys.js';

/** The binding's default page size, and the registry's most (docs/epcis.md). */
export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 1000;
/** Stored events one request reads at most when no robot is named: a page may then hold fewer than perPage. */
export const SCAN_LIMIT = 2000;
/** Robots one request reads at most when the query names parts (a lot may be in many robots). */
export const MAX_ROBOTS = 1000;

export interface EventsPage {
  events: EpcisJson[];
  /** The token of the next page; null on the last. */
  next: string | null;
}

/** A robot's events the caller sees, exported, by seq. */
export interface Visible {
  bySeq: Map<number, EpcisJson[]>;
  classes: DataClass[];
}

/** A robot's events the caller sees, exported (null: it sees none of the robot's history); gate and cut. */
export async function visibleEvents(
  ctx: AppContext,
  r: Reader,
  caller: Actor,
  robotId: string,
  at: string,
): Promise<Visible | null> {
  const [robot, status, events] = await Promise.all([
    r.getRobot(robotId),
    r.getRobotStatus(robotId),
    r.listEvents(robotId),
  ]);
  if (!robot) return null;
  const relation = await relationTo(r, caller, robot, status, at);
  requirePurpose(caller, relation);
  if (relation === 'public') return null;
  const { entries, classes } = historyView(events, relation, caller.orgId);
  const byId = new Map(entries.map((e) => [e.eventId, e]));
  const printed = parseRobotId(robotId).printed;
  const bySeq = new Map<number, EpcisJson[]>();
  for (const entry of entries) {
    const target = (entry.payload as { correctsEventId?: unknown }).correctsEventId;
    const corrects = entry.type === 'corrected' && typeof target === 'string' ? byId.get(target) : undefined;
    bySeq.set(
      entry.seq,
      exportEvent(entry, { publicBaseUrl: ctx.publicBaseUrl, robotId, printed, corrects }),
    );
  }
  return { bySeq, classes };
}

const encodeToken = (seq: number) => Buffer.from(JSON.stringify({ s: seq })).toString('base64url');

function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const { s } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { s?: unknown };
    if (Number.isSafeInteger(s) && (s as number) >= 0) return s as number;
  } catch {
    // refused below
  }
  throw invalid('invalid-page-token', 'nextPageToken is not one this registry gave', [
    { field: 'query:/nextPageToken', message: 'not a token from a previous page’s Link header' },
  ]);
}

/** The robots the query names, through its first EPC parameter (robots by any name, parts by their URNs). */
async function robotsOfQuery(ctx: AppContext, r: Reader, q: EpcisQuery): Promise<string[] | undefined> {
  const named = q.epcs ?? q.anyEpcs ?? q.parentIds;
  if (named) {
    const { robots, others } = robotsNamed(named, ctx.publicBaseUrl);
    const found = new Set(robots);
    for (const uri of others) {
      const part = partOf(uri);
      if (!part) continue; // not a registry part: no stored event names it
      const page = await r.findRobots(
        {
          component: {
            partNumber: part.partNumber,
            ...(part.serial === undefined ? {} : { serial: part.serial }),
            ...(part.lot === undefined ? {} : { lot: part.lot }),
            includeRemoved: true,
          },
        },
        { after: '', limit: MAX_ROBOTS },
      );
      for (const robot of page.items) found.add(robot.id);
    }
    return [...found].slice(0, MAX_ROBOTS);
  }
  const ids = q.eventIds?.map(eventIdsOf);
  if (ids?.every((candidates) => candidates[0]?.robotId !== undefined))
    return [...new Set(ids.map((c) => c[0]!.robotId!))];
  return undefined;
}

/** Adds a stored event's matching EPCIS events to the page; false when they no longer fit. */
function take(page: EpcisJson[], exported: EpcisJson[], q: EpcisQuery, ctx: AppContext, perPage: number) {
  const matching = exported.filter((e) => matchesQuery(e, q, ctx.publicBaseUrl));
  if (page.length > 0 && page.length + matching.length > perPage) return false;
  page.push(...matching);
  return true;
}

/**
 * One page of the events the caller may see that match the query, in the registry's order of acceptance (a stored
 * event's EPCIS events are never split across pages). `epc`: the /epcs/{epc}/events form, where a robot the caller
 * may not see is not found, as in the native API.
 */
export async function queryEpcisEvents(
  ctx: AppContext,
  caller: Caller,
  q: EpcisQuery,
  paging: { perPage?: number; nextPageToken?: string },
  epc?: string,
): Promise<EventsPage> {
  const actor = requireActor(caller);
  const perPage = Math.min(paging.perPage ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
  const after = decodeToken(paging.nextPageToken);
  const at = ctx.now().toISOString();
  const seen = new Map<string, DataClass[]>();
  const result = await ctx.store.read(async (r) => {
    // A robot named by its registered GS1 key is read by its own name (query-gs1-keys.ts says for whom).
    q = await withRobotKeysRead(r, actor, ctx.publicBaseUrl, q, at);
    const path =
      epc === undefined
        ? undefined
        : await withRobotKeysRead(r, actor, ctx.publicBaseUrl, { epcs: [epc] }, at);
    const scope = await robotsOfQuery(ctx, r, path ?? q);
    if (scope) return robotScoped(r, scope);
    return scan(r);
  });
  for (const [robotId, classes] of seen)
    noteRead(ctx, caller, { robotId, query: 'epcis', classes, outcome: 'granted' });
  return result;

  /** The named robots' events, merged in seq order. */
  async function robotScoped(r: Reader, robots: string[]): Promise<EventsPage> {
    const all: [number, EpcisJson[]][] = [];
    for (const robotId of robots) {
      const visible = await visibleEvents(ctx, r, actor, robotId, at);
      if (!visible) {
        if (epc !== undefined) {
          noteRead(ctx, caller, { robotId, query: 'epcis', classes: ['technical'], outcome: 'denied' });
          throw notFound('robot-not-found', `no robot ${epc} that you may see`);
        }
        continue;
      }
      seen.set(robotId, visible.classes);
      for (const [seq, events] of visible.bySeq) if (seq > after) all.push([seq, events]);
    }
    all.sort((a, b) => a[0] - b[0]);
    const page: EpcisJson[] = [];
    for (const [i, [seq, events]] of all.entries()) {
      if (!take(page, events, q, ctx, perPage))
        return { events: page, next: encodeToken(all[i - 1]?.[0] ?? seq - 1) };
    }
    return { events: page, next: null };
  }

  /** No robot named: the stored events after the token, at most SCAN_LIMIT, each robot's through its gate. */
  async function scan(r: Reader): Promise<EventsPage> {
    const types = lifecycleTypesFor(q);
    if (types?.length === 0) return { events: [], next: null };
    const batch = await r.scanEvents(after, SCAN_LIMIT, {
      ...(types ? { types } : {}),
      ...(q.eventIds
        ? { eventIds: [...new Set(q.eventIds.flatMap((id) => eventIdsOf(id).map((c) => c.eventId)))] }
        : {}),
      ...(q.recordTimeFrom === undefined ? {} : { recordedFrom: new Date(q.recordTimeFrom).toISOString() }),
      ...(q.recordTimeBefore === undefined
        ? {}
        : { recordedBefore: new Date(q.recordTimeBefore).toISOString() }),
    });
    const visible = new Map<string, Visible | null>();
    const page: EpcisJson[] = [];
    let last = after;
    for (const stored of batch) {
      if (!visible.has(stored.robotId))
        visible.set(stored.robotId, await visibleEvents(ctx, r, actor, stored.robotId, at));
      const robot = visible.get(stored.robotId);
      const events = robot?.bySeq.get(stored.seq);
      if (robot && events) {
        if (!take(page, events, q, ctx, perPage)) return { events: page, next: encodeToken(last) };
        seen.set(stored.robotId, robot.classes);
      }
      last = stored.seq;
    }
    return { events: page, next: batch.length === SCAN_LIMIT ? encodeToken(last) : null };
  }
}
