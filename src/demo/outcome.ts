/** What the demo made, counted from the registry itself, with keys and examples to explore it by. */
import type { AppContext } from '../app/context.js';
import { printedFromValidCanonical } from '../domain/id/index.js';
import type { EventType } from '../domain/lifecycle/events.js';
import { STATES, type LifecycleState } from '../domain/lifecycle/status.js';
import { MODELS } from './catalogue.js';
import { TAG, type Life } from './lives.js';
import type { Plan } from './plan.js';
import type { OrgKind, Population } from './population.js';
import type { Member } from './capture-loop.js';
import type { World } from './world.js';

export interface DemoKey {
  kind: OrgKind | 'admin';
  name: string;
  orgId: string;
  token: string;
}

export interface DemoOutcome {
  robots: number;
  events: number;
  /** Service authorisations given by operators to their service contractors. */
  grants: number;
  /** Batches of events captured (captureEvents calls). */
  batches: number;
  /** Events reported after their deadline (the registry flags them late). */
  late: number;
  seconds: number;
  captureSeconds: number;
  eventsPerSecond: number;
  /** Robots of this run by state, as the registry holds them. */
  byState: Record<LifecycleState, number>;
  byType: Partial<Record<EventType, number>>;
  organisations: Record<OrgKind, number>;
  models: number;
  issuances: number;
  /** Canonical IDs of this run's robots, in the order they were planned. */
  robotIds: string[];
  keys: DemoKey[];
  examples: { what: string; id: string }[];
  /** The actuator lot in the most robots. */
  busyLot: { lot: string; partNumber: string; robots: number };
  recall: { lot: string; partNumber: string; orderNumber: string; robots: number; campaign: string | null };
  period: { from: string; to: string };
}

interface Facts {
  pop: Population;
  plan: Plan;
  world: World;
  members: Member[];
  adminKey: string;
  robotIds: string[];
  /** The recall campaign opened on the battery lot, if the demo period reached it. */
  campaign: string | null;
  byType: Map<EventType, number>;
  events: number;
  grants: number;
  batches: number;
  late: number;
  seconds: number;
  captureSeconds: number;
}

export async function describeOutcome(ctx: AppContext, f: Facts): Promise<DemoOutcome> {
  const { pop, plan, world, members } = f;
  const expected = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<LifecycleState, number>;
  for (const life of plan.lives) expected[life.final]++;
  const mine = new Set(f.robotIds);
  const byState = await countStates(ctx, mine);
  for (const s of STATES) {
    if (byState[s] !== expected[s]) {
      throw new Error(`the registry holds ${byState[s]} robots ${s}, the generator expected ${expected[s]}`);
    }
  }
  const organisations = Object.fromEntries(
    Object.entries(pop.of).map(([kind, list]) => [kind, list.length]),
  ) as Record<OrgKind, number>;
  const first = (kind: OrgKind, by?: (i: number) => number) =>
    [...pop.of[kind]].sort((a, b) => (by ? by(b) - by(a) : a - b))[0]!;
  const keyOf = (kind: OrgKind, org: number): DemoKey => ({
    kind,
    name: pop.orgs[org]!.name,
    orgId: members[org]!.id,
    token: members[org]!.token,
  });
  const keys: DemoKey[] = [
    { kind: 'admin', name: 'Registry operator', orgId: '', token: f.adminKey },
    keyOf('manufacturer', first('manufacturer')),
    keyOf(
      'operator',
      first('operator', (i) => pop.orgs[i]!.size),
    ),
    keyOf('regulator', first('regulator')),
    keyOf('service_provider', first('service_provider')),
    keyOf('seller', first('seller')),
    keyOf('certifier', first('certifier')),
    keyOf('recycler', first('recycler')),
  ];
  const printed = (r: number) => printedFromValidCanonical(f.robotIds[r]!);
  const find = (what: string, test: (l: Life) => boolean) => {
    const r = plan.lives.findIndex(test);
    return r < 0 ? [] : [{ what, id: printed(r) }];
  };
  const stillSuspended = (l: Life) =>
    l.steps.filter((s) => s.type === 'suspended' || s.type === 'reinstated').pop()?.type === 'suspended';
  const examples = [
    ...find(
      'in use, serviced by its contractor, repaired',
      (l) => l.final === 'in_use' && (l.tags & TAG.providerServiced) !== 0 && (l.tags & TAG.repaired) !== 0,
    ),
    ...find(
      'under a stop-use order: carries the recalled battery lot',
      (l) => (l.tags & TAG.recalled) !== 0 && stillSuspended(l),
    ),
    ...find('recycled', (l) => l.final === 'recycled' && l.steps.length > 8),
    ...find('stolen', (l) => l.final === 'stolen'),
    ...find('exported', (l) => l.final === 'exported'),
    ...find('issued, never built, frozen by a regulator', (l) => l.final === 'issued' && l.steps.length > 0),
  ];
  const recalled = plan.lives.filter((l) => (l.tags & TAG.recalled) !== 0).length;
  const byType = Object.fromEntries([...f.byType].sort((a, b) => b[1] - a[1])) as DemoOutcome['byType'];
  return {
    robots: plan.lives.length,
    events: f.events,
    grants: f.grants,
    batches: f.batches,
    late: f.late,
    seconds: f.seconds,
    captureSeconds: f.captureSeconds,
    eventsPerSecond: Math.round(f.events / Math.max(0.001, f.captureSeconds)),
    byState,
    byType,
    organisations,
    models: MODELS.length,
    issuances: plan.blocks.length,
    robotIds: f.robotIds,
    keys,
    examples,
    busyLot: await busiestLot(ctx, plan),
    recall: {
      lot: world.recall.lot,
      partNumber: world.recall.part.partNumber,
      orderNumber: world.recall.orderNumber,
      robots: recalled,
      campaign: f.campaign,
    },
    period: { from: new Date(world.start).toISOString(), to: new Date(world.end).toISOString() },
  };
}

/** This run's robots by state, read back from the store; robots without events are `issued`. */
async function countStates(ctx: AppContext, mine: Set<string>): Promise<Record<LifecycleState, number>> {
  const counts = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<LifecycleState, number>;
  let seen = 0;
  for (const state of STATES) {
    let after = '';
    for (;;) {
      const page = await ctx.store.read((r) => r.findRobots({ state }, { after, limit: 5000 }));
      for (const robot of page.items) if (mine.has(robot.id)) counts[state]++;
      if (page.next === null) break;
      after = page.next;
    }
    seen += counts[state];
  }
  counts.issued += mine.size - seen;
  return counts;
}

/**
 * The actuator lot fitted at manufacture in the most robots, and how many robots `robot find --lot` finds with it
 * now: parts from the lot fitted later in service count too, as the search counts them.
 */
async function busiestLot(ctx: AppContext, plan: Plan) {
  const robots = new Map<string, number>();
  for (const life of plan.lives) {
    const made = life.steps[0];
    if (made?.type !== 'manufactured') continue;
    const lots = new Set<string>();
    for (const c of made.payload.components as { kind: string; partNumber: string; lot?: string }[]) {
      if (c.kind === 'actuator' && c.lot) lots.add(`${c.partNumber}\u0000${c.lot}`);
    }
    for (const key of lots) robots.set(key, (robots.get(key) ?? 0) + 1);
  }
  const [key, count] = [...robots].reduce((a, b) => (b[1] > a[1] ? b : a), ['\u0000', 0] as [string, number]);
  const [partNumber, lot] = key.split('\u0000') as [string, string];
  return { lot, partNumber, robots: count === 0 ? 0 : await robotsWithLot(ctx, lot) };
}

async function robotsWithLot(ctx: AppContext, lot: string): Promise<number> {
  let found = 0;
  for (let after = ''; ;) {
    const page = await ctx.store.read((r) => r.findRobots({ component: { lot } }, { after, limit: 5000 }));
    found += page.items.length;
    if (page.next === null) return found;
    after = page.next;
  }
}
