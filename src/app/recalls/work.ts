/**
 * A campaign's background work: finding its affected robots (in chunks, each its own short unit of work, so that a
 * campaign of millions never holds the writers' lock for long) and, with stop-use, ordering them to stop. Every step
 * is idempotent: a process that dies midway leaves a campaign in `computing`, and whoever resumes it (any process,
 * `resumeRecallWork`) continues without duplicating robots, notices or stop-use orders.
 */
import { repeatEvery } from '../../lib/repeat.js';
import type { CaptureResult } from '../capture/index.js';
import { captureEvents } from '../capture/index.js';
import { isoNow, type Actor, type AppContext } from '../context.js';
import { announce } from '../notifications/announce.js';
import type { Reader, RecallRecord, StopUseOutcome } from '../../store/store.js';
import { affectsNotices, recallSummary } from './notices.js';

/**
 * Robots added per unit of work: few enough that captures wait only milliseconds for one, and — on the embedded
 * store, whose statements run on this thread — that requests are answered between two.
 */
export const AFFECTED_CHUNK = 2_000;

/** Lets the event loop answer requests: awaiting a store's already settled promise would not. */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Stop-use orders per capture. */
const STOP_USE_CHUNK = 1000;

/** Campaigns being worked on by this process, so that a second start joins the first. */
const running = new Map<string, Promise<void>>();

export interface RecallWorkHooks {
  failed?: (number: string, error: unknown) => void;
}

let hooks: RecallWorkHooks = {};
export const setRecallWorkHooks = (h: RecallWorkHooks) => {
  hooks = h;
};

/** Starts (or joins) a campaign's work in this process; resolves when it is done. Never rejects. */
export function startRecallWork(ctx: AppContext, number: string): Promise<void> {
  let job = running.get(number);
  if (!job) {
    job = doRecallWork(ctx, number)
      .catch((error: unknown) => hooks.failed?.(number, error))
      .finally(() => running.delete(number));
    running.set(number, job);
  }
  return job;
}

/** Resumes every open campaign's unfinished work (after a restart; periodically, for stop-use of robots that
 *  joined a campaign since). */
export async function resumeRecallWork(ctx: AppContext): Promise<void> {
  const open = await ctx.store.read((r) => r.listOpenRecalls());
  for (const recall of open) await startRecallWork(ctx, recall.number);
}

async function doRecallWork(ctx: AppContext, number: string): Promise<void> {
  const recall = await ctx.store.read((r) => r.getRecall(number));
  if (!recall || recall.status !== 'open') return;
  if (recall.affectedSet === 'computing') await computeAffectedSet(ctx, recall);
  if (recall.stopUse) await orderStopUse(ctx, recall);
}

/**
 * Finds the robots the criteria match, then adds them chunk by chunk, each chunk checked again under the writers'
 * lock (a part replaced since the search does not count). Robots that come to match meanwhile are added by the
 * captures that change them (src/app/recalls/tracking.ts), since the campaign is open already.
 */
export async function computeAffectedSet(ctx: AppContext, recall: RecallRecord): Promise<void> {
  const candidates = await ctx.store.read((r) => r.findRecallCandidates(recall.criteria, recall.scope));
  const makers = new MakerCache();
  for (let i = 0; i < candidates.length; i += AFFECTED_CHUNK) {
    await yieldToRequests();
    const chunk = candidates.slice(i, i + AFFECTED_CHUNK);
    await ctx.store.write(async (tx) => {
      const at = isoNow(ctx);
      const added = await tx.addRecallCandidates(recall, chunk, at);
      const parties = [];
      for (const robot of added)
        parties.push({ ...robot, manufacturerId: await makers.of(tx, robot.robotId) });
      await announce(tx, at, affectsNotices(recall, parties, { count: false }));
    });
  }
  await ctx.store.write(async (tx) => {
    const at = isoNow(ctx);
    await tx.updateRecall(recall.number, { affectedSet: 'ready', computedAt: at });
    const counts = await tx.recallCounts(recall.number);
    const affected = Object.values(counts).reduce((a, b) => a + b, 0);
    await announce(tx, at, [
      {
        topic: 'recall.updated',
        audience: recall.manufacturerId ? [recall.manufacturerId] : [],
        robotId: null,
        data: { ...recallSummary(recall), affectedSet: 'ready', affected },
      },
    ]);
  });
}

/** A robot's manufacturer from its ID's country and enterprise code, looked up once per prefix. */
class MakerCache {
  private readonly byPrefix = new Map<string, string | null>();
  async of(r: Reader, robotId: string): Promise<string | null> {
    const prefix = robotId.slice(0, 6);
    if (!this.byPrefix.has(prefix)) {
      const org = await r.findOrganisationByEnterpriseCode(prefix.slice(2));
      this.byPrefix.set(prefix, org && org.jurisdiction === prefix.slice(0, 2) ? org.id : null);
    }
    return this.byPrefix.get(prefix)!;
  }
}

/**
 * Orders every affected robot not yet ordered to stop use: a `suspended` event in the ledger, reported as the
 * regulator who opened the campaign, with an event id of the campaign's (a retry is a duplicate, not a second
 * order). A robot under another order already is left under that one, and the refusal is noted.
 */
export async function orderStopUse(ctx: AppContext, recall: RecallRecord): Promise<void> {
  const regulator = await ctx.store.read((r) => r.getOrganisation(recall.openedBy));
  if (!regulator) return;
  const actor: Actor = { orgId: regulator.id, keyId: recall.openedByKey, roles: new Set(regulator.roles) };
  for (;;) {
    const page = await ctx.store.read((r) =>
      r.listRecallRobots(recall.number, { stopUsePending: true }, { after: '', limit: STOP_USE_CHUNK }),
    );
    const robots = page.items.filter((e) => e.state === 'notified' || e.state === 'unreachable');
    const skipped = page.items.filter((e) => !robots.includes(e));
    if (page.items.length === 0) return;
    const eventTime = isoNow(ctx);
    const events = robots.map((e) => ({
      eventId: `${recall.number}-stop-use`,
      type: 'suspended',
      robotId: e.robotId,
      eventTime,
      payload: {
        orderNumber: recall.number,
        reason: `Recall ${recall.number}: ${recall.summary}`.slice(0, 2000),
      },
    }));
    const result = events.length > 0 ? await captureEvents(ctx, actor, events, 'proceed') : null;
    const outcomes: StopUseOutcome[] = [
      ...robots.map((e, i) => outcomeOf(e.robotId, result!, i)),
      ...skipped.map((e) => ({ robotId: e.robotId, seq: null, outcome: `not ordered: ${e.state}` })),
    ];
    await ctx.store.write((tx) => tx.setRecallStopUse(recall.number, outcomes));
  }
}

function outcomeOf(robotId: string, result: CaptureResult, index: number): StopUseOutcome {
  const r = result.results[index]!;
  if (r.outcome === 'rejected')
    return { robotId, seq: null, outcome: `refused: ${r.problem?.code ?? 'rejected'}` };
  return { robotId, seq: r.seq ?? null, outcome: 'ordered' };
}

/**
 * Every `intervalMs`, the process leading 'recall-worker' resumes open campaigns' work: after a restart, and for
 * robots that joined a stop-use campaign since (a capture adds them; the order is the campaign's own act).
 */
export const startRecallWorker = (ctx: AppContext, intervalMs: number, failed: (error: unknown) => void) =>
  repeatEvery(
    intervalMs,
    async () => {
      if (await ctx.store.leads('recall-worker')) await resumeRecallWork(ctx);
    },
    failed,
  );
