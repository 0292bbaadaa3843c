/**
 * `robotid demo`: fills a registry with a realistic population through the use cases, in process: organisations
 * with keys, models, ID blocks and three years of robot lives (plan.ts), reported week by week (capture-loop.ts).
 */
import { createKey, mintKey } from '../app/api-keys.js';
import type { Actor, AppContext } from '../app/context.js';
import { admitOrganisation, ensurePlatformOrganisation, initAdministrator } from '../app/organisations.js';
import { DomainError } from '../domain/errors.js';
import { CaptureLoop, type DemoProgress, type Member } from './capture-loop.js';
import { DAY_MS } from './catalogue.js';
import { makePlan } from './plan.js';
import { buildPopulation, type Population } from './population.js';
import { Random } from './random.js';
import { describeOutcome, type DemoOutcome } from './outcome.js';
import { WINDOW_MS, buildWorld, type World } from './world.js';
import { openRecall } from '../app/recalls/open.js';
import { startRecallWork } from '../app/recalls/work.js';

export { DemoGeneratorError, type DemoProgress, type Member } from './capture-loop.js';

export interface DemoOptions {
  robots: number;
  seed: number;
  /** Add to a registry that holds organisations already. */
  force?: boolean;
  /** The registry's "now", the end of the demo period; default: the start of the current UTC day. */
  now?: Date;
  years?: number;
  onProgress?: (p: DemoProgress) => void;
}

/** The code of the refusal to fill a registry that holds organisations already (a conflict). */
export const DEMO_REFUSAL_CODE = 'demo-data-present';

/** About one operator per 500 robots, between 12 and 200: a small demo stays quick. */
export const operatorsFor = (robots: number) => Math.max(12, Math.min(200, Math.round(robots / 500)));

export async function runDemo(app: AppContext, options: DemoOptions): Promise<DemoOutcome> {
  const began = Date.now();
  const others = await app.store.read((r) => r.listOrganisations({}, { after: 0, limit: 100 }));
  const foreign = others.items.find((o) => !o.roles.includes('admin'));
  if (foreign && !options.force) {
    throw new DomainError(
      'conflict',
      DEMO_REFUSAL_CODE,
      `this registry holds organisations already (such as "${foreign.name}"): the demo fills an empty one. ` +
        'Use another data directory, or --force to add the demo population to this one.',
    );
  }
  const end = options.now?.getTime() ?? Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const windows = Math.ceil(((options.years ?? 3) * 365.25 * DAY_MS) / WINDOW_MS);
  const start = end - windows * WINDOW_MS;
  let clock = start - 60 * DAY_MS;
  // The demo's clock runs in this thread, so its captures must too (a writer thread keeps the real time).
  const ctx: AppContext = { ...app, now: () => new Date(clock), applyCapture: undefined };

  const rng = new Random(options.seed);
  const pop = buildPopulation(rng, operatorsFor(options.robots));
  const world = buildWorld(rng, pop, start, end, app.deadlines);
  const admin = await administrator(ctx);
  const members = await admit(ctx, admin.actor, pop);
  const plan = makePlan(world, options.robots);

  const campaign = { number: null as string | null };
  const loop = new CaptureLoop(
    ctx,
    pop,
    plan,
    members,
    start,
    windows,
    (t) => (clock = t),
    options.onProgress,
    async (windowStart) => {
      if (campaign.number === null && windowStart + WINDOW_MS > world.recall.at)
        campaign.number = await openBatteryRecall(ctx, world, members[world.recall.regulator]!.actor);
    },
  );
  await loop.run();
  return describeOutcome(ctx, {
    pop,
    plan,
    world,
    members,
    adminKey: admin.token,
    robotIds: loop.robotIds,
    campaign: campaign.number,
    byType: loop.byType,
    events: loop.events,
    grants: loop.grants,
    batches: loop.batches,
    late: loop.late,
    seconds: (Date.now() - began) / 1000,
    captureSeconds: loop.seconds,
  });
}

/**
 * The regulator's recall campaign on the battery lot, opened in the week of the recall: its affected set is found
 * now; the battery swaps reported in the weeks after remedy the robots one by one (the demo's own stop-use orders,
 * one per robot, come with the reports).
 */
async function openBatteryRecall(ctx: AppContext, world: World, regulator: Actor): Promise<string> {
  const { part, lot } = world.recall;
  const recall = await openRecall(ctx, regulator, {
    component: `Battery pack ${part.partNumber}, lot ${lot}`,
    summary: `Cells of battery lot ${lot} may overheat while charging (电池组批次 ${lot} 存在热失控风险).`,
    consequence: 'Thermal runaway: fire.',
    remedy: { description: 'Replace the battery pack.', overTheAir: false },
    stopUse: false,
    criteria: { components: [{ partNumber: part.partNumber, lots: [lot] }] },
  });
  await startRecallWork(ctx, recall.number);
  return recall.number;
}

/** The acting administrator: the first administrator key if there is none yet, else a new one. */
async function administrator(ctx: AppContext) {
  if (!(await ctx.store.read((r) => r.hasAdminKey()))) {
    const { organisation, key } = await initAdministrator(ctx);
    return { actor: adminActor(organisation.id, key.id), token: key.token };
  }
  const platform = await ensurePlatformOrganisation(ctx);
  const key = await ctx.store.write((tx) => mintKey(ctx, tx, platform.id, 'demo administrator key', null));
  return { actor: adminActor(platform.id, key.id), token: key.token };
}

const adminActor = (orgId: string, keyId: string): Actor => ({ orgId, keyId, roles: new Set(['admin']) });

/** Admits every organisation (or finds it, from an earlier run) and gives each a key. */
async function admit(ctx: AppContext, admin: Actor, pop: Population): Promise<Member[]> {
  const members: Member[] = [];
  for (const o of pop.orgs) {
    const existing = await ctx.store.read((r) =>
      r.findOrganisationByRegistration(o.jurisdiction, o.registrationNumber),
    );
    const org =
      existing ??
      (await admitOrganisation(ctx, admin, {
        name: o.name,
        roles: o.roles,
        jurisdiction: o.jurisdiction,
        registrationNumber: o.registrationNumber,
      }));
    const key = await createKey(ctx, admin, org.id, 'demo key');
    members.push({
      id: org.id,
      token: key.token,
      actor: { orgId: org.id, keyId: key.id, roles: new Set(org.roles) },
    });
  }
  return members;
}
