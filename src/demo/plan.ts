/**
 * The plan before anything is written: which model each robot is, when it is built, in which ID blocks its
 * IDs are issued, and its life. Everything here follows from the seed alone.
 */
import { DAY_MS, MAKER_SHARE, MODELS } from './catalogue.js';
import { LifeBuilder, issuedLife, type Life } from './lives.js';
import { WINDOW_MS, windowEnd, type World } from './world.js';

export interface Block {
  model: number;
  /** Robot indices, in serial order. */
  robots: number[];
  /** The reporting window at whose start the IDs are issued. */
  window: number;
}

export interface Plan {
  /** Per robot: its model (index into MODELS). */
  modelOf: Int32Array;
  lives: Life[];
  blocks: Block[];
  /** Per model, the window at whose start it is registered. */
  modelWindow: number[];
}

/** Share of the IDs issued that are never built (the newest serials of each model). */
const UNBUILT_SHARE = 0.015;
/** How many unbuilt IDs a regulator freezes, to show a stop-use order on an ID that was never built. */
const FROZEN_IDS = 12;

export function makePlan(world: World, robots: number): Plan {
  const { rng, start, end } = world;
  const windowOf = (t: number) => Math.floor((t - start) / WINDOW_MS);
  const span = end - 2 * DAY_MS - (start + 7 * DAY_MS);
  const weights = MODELS.map((m) => {
    const ofMaker = MODELS.filter((o) => o.maker === m.maker).reduce((s, o) => s + o.popularity, 0);
    return [MODELS.indexOf(m), (MAKER_SHARE[m.maker]! * m.popularity) / ofMaker] as const;
  });
  const modelOf = new Int32Array(robots);
  const t0 = new Float64Array(robots).fill(Number.NaN);
  const unbuilt = Math.round(robots * UNBUILT_SHARE);
  const byModel: number[][] = MODELS.map(() => []);
  for (let r = 0; r < robots - unbuilt; r++) {
    const m = rng.weighted(weights);
    modelOf[r] = m;
    // Production grows over the period: density ∝ 0.3 + x on [launch, 1].
    const launch = Math.min(0.9, (MODELS[m]!.launchDay * DAY_MS) / span);
    const c = rng.between(0.3 * launch + (launch * launch) / 2, 0.8);
    const x = -0.3 + Math.sqrt(0.09 + 2 * c);
    t0[r] = start + 7 * DAY_MS + x * span;
    byModel[m]!.push(r);
  }
  const built = byModel.map((list, m) => [m, list.length] as const).filter(([, n]) => n > 0);
  for (let r = robots - unbuilt; r < robots; r++) {
    const m = rng.weighted(built);
    modelOf[r] = m;
    byModel[m]!.push(r);
  }

  // IDs in production order; one block per model and calendar month, the unbuilt ones in the last block.
  const blocks: Block[] = [];
  byModel.forEach((list, m) => {
    list.sort((a, b) => (t0[a]! || Infinity) - (t0[b]! || Infinity) || a - b);
    let current: Block | null = null;
    let month = '';
    for (const r of list) {
      const t = t0[r]!;
      const thisMonth = Number.isNaN(t) ? month : new Date(t).toISOString().slice(0, 7);
      if (!current || thisMonth !== month) {
        current = { model: m, robots: [], window: windowOf(t) };
        blocks.push(current);
        month = thisMonth;
      }
      current.robots.push(r);
    }
  });
  const modelWindow = MODELS.map((m) => Math.max(0, windowOf(start + (m.launchDay - 30) * DAY_MS)));

  // Lives in production order, so that lots and running numbers follow time.
  const lives: Life[] = new Array<Life>(robots);
  const order = Array.from({ length: robots - unbuilt }, (_, r) => r).sort(
    (a, b) => t0[a]! - t0[b]! || a - b,
  );
  for (const r of order) {
    const model = MODELS[modelOf[r]!]!;
    lives[r] = new LifeBuilder(world, model, world.pop.of.manufacturer[model.maker]!, t0[r]!).live();
  }
  const frozenModel = byModel.reduce(
    (best, list, m) => (spares(list) > spares(byModel[best]!) ? m : best),
    0,
  );
  function spares(list: number[]) {
    return list.filter((r) => r >= robots - unbuilt).length;
  }
  const lastBlock = blocks.filter((b) => b.model === frozenModel).pop();
  const issuedAt = lastBlock ? start + lastBlock.window * WINDOW_MS : end;
  const freezeAt = windowEnd(start, Math.max(issuedAt + DAY_MS, end - 4 * DAY_MS)) - 5 * 3_600_000;
  let frozen = 0;
  for (let r = robots - unbuilt; r < robots; r++) {
    const freeze = modelOf[r] === frozenModel && frozen < FROZEN_IDS && freezeAt > issuedAt && freezeAt < end;
    if (freeze) frozen++;
    lives[r] = issuedLife(world, freeze ? freezeAt : null);
  }
  return { modelOf, lives, blocks, modelWindow };
}
