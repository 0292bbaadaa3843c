/**
 * The shared setting every robot's life is drawn in: the period, the organisations, which operators buy which
 * models, service contracts, and the one battery recall. Built once from the seed.
 */
import type { EventType } from '../domain/lifecycle/events.js';
import type { ModelCategory } from '../domain/model/model.js';
import { DAY_MS, MODELS, lotAt, type Part } from './catalogue.js';
import type { Population, Sector } from './population.js';
import { cumulativeOf, type Random } from './random.js';

/** Registry clock steps: every organisation reports its week's events at the end of the week. */
export const WINDOW_MS = 7 * DAY_MS;

const AFFINITY: Record<ModelCategory, Partial<Record<Sector, number>>> = {
  general_purpose: { factory: 3, logistics: 2, research: 2, retail: 1, hospitality: 1, hospital: 0.5 },
  industrial: { factory: 6, logistics: 2 },
  logistics: { logistics: 6, factory: 2, retail: 1 },
  commercial_service: { retail: 4, hospitality: 4, hospital: 1 },
  household: { home: 5, care: 2 },
  healthcare: { hospital: 5, care: 4 },
  education_research: { research: 6, hospital: 0.3 },
  entertainment: { retail: 3, hospitality: 3 },
  special_purpose: { logistics: 2, factory: 2, hospitality: 1 },
};

export interface Recall {
  part: Part;
  lot: string;
  /** When the stop-use order is issued. */
  at: number;
  regulator: number;
  orderNumber: string;
}

export interface World {
  rng: Random;
  pop: Population;
  /** Start and end of the demo period (ms); `end` is the registry's "now". */
  start: number;
  end: number;
  /** Per model category, cumulative weights over `pop.of.operator`. */
  buyers: Record<ModelCategory, Float64Array>;
  /** Per operator (org index): its service contractor (org index), if it has one. */
  contractor: Map<number, number>;
  recall: Recall;
  /** Running numbers for certificates and stop-use orders, per issuing organisation. */
  numbers: Map<number, number>;
  /** The registry's reporting deadlines (days), by event type. */
  deadlines: Record<EventType, number>;
}

export function buildWorld(
  rng: Random,
  pop: Population,
  start: number,
  end: number,
  deadlines: Record<EventType, number>,
): World {
  const operators = pop.of.operator.map((i) => pop.orgs[i]!);
  const buyers = Object.fromEntries(
    (Object.keys(AFFINITY) as ModelCategory[]).map((category) => [
      category,
      cumulativeOf(operators.map((o) => o.size * (AFFINITY[category][o.sector!] ?? 0.05))),
    ]),
  ) as Record<ModelCategory, Float64Array>;
  const contractor = new Map<number, number>();
  for (const o of operators) {
    if (!rng.chance(0.35)) continue;
    const near = pop.of.service_provider.filter(
      (p) => pop.orgs[p]!.region.slice(0, 2) === o.region.slice(0, 2),
    );
    contractor.set(o.index, rng.pick(near.length > 0 ? near : pop.of.service_provider));
  }
  // A battery lot of the largest maker, made about 18 months ago, is recalled about 8 months ago.
  const days = (end - start) / DAY_MS;
  const battery = MODELS[0]!.bom.find((f) => f.part.kind === 'battery_pack')!.part;
  const lot = lotAt(battery, Math.floor(days * 0.5), start);
  const recallDay = Math.floor(days * 0.78);
  const regulator = pop.of.regulator[0]!;
  const at = windowEnd(start, start + recallDay * DAY_MS) - 10 * 3_600_000;
  const recall: Recall = {
    part: battery,
    lot,
    at,
    regulator,
    orderNumber: `${pop.orgs[regulator]!.prefix}-${new Date(at).getUTCFullYear()}-0042`,
  };
  return { rng, pop, start, end, buyers, contractor, recall, numbers: new Map(), deadlines };
}

/** The end of the reporting window `t` falls in: when the registry records it. */
export function windowEnd(start: number, t: number): number {
  return start + (Math.floor((t - start) / WINDOW_MS) + 1) * WINDOW_MS;
}

/** The next document number of an organisation, e.g. `ZJRC-2025-000123`. */
export function documentNumber(world: World, org: number, t: number, digits = 6): string {
  const n = (world.numbers.get(org) ?? 0) + 1;
  world.numbers.set(org, n);
  const prefix = world.pop.orgs[org]!.prefix;
  return `${prefix}-${new Date(t).getUTCFullYear()}-${String(n).padStart(digits, '0')}`;
}

/**
 * Reports with a deadline under a week (incidents, thefts, stop-use orders) would mostly be late if they waited
 * for the weekly upload. Most organisations send them in time, so such an event moves towards the end of its
 * week (the report itself is what the registry times); some stay late.
 */
export function reportable(world: World, type: EventType, t: number): number {
  const deadline = world.deadlines[type] * DAY_MS;
  const close = windowEnd(world.start, t);
  if (close - t <= deadline || !world.rng.chance(0.85)) return t;
  return close - world.rng.between(0.1, 0.9) * deadline;
}
