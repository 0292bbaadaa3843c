/**
 * Runs the compliance rules (docs/compliance.md): one unit of work that reconciles the stored findings with what
 * the rules find now and announces the new ones, one notice per organisation and rule (never one per robot).
 */
import {
  compliancePlan,
  RULES,
  type ComplianceRules,
  type RuleCode,
} from '../../domain/safety/compliance.js';
import type { OpenedFindings, Tx } from '../../store/store.js';
import { requireRole } from '../access.js';
import { audited } from '../audit.js';
import type { AppContext, Caller } from '../context.js';
import { announce } from '../notifications/announce.js';

export interface ComplianceRun {
  at: string;
  /** The rules checked (those switched on). */
  rules: RuleCode[];
  /** Findings opened now, kept open, and resolved now. */
  opened: number;
  kept: number;
  resolved: number;
  /** Notices written: one per organisation and rule with new findings. */
  notices: number;
}

/** A run now, by the background loop or a test: the deployment's rules unless others are given. */
export async function runComplianceCheck(
  ctx: AppContext,
  rules: ComplianceRules = ctx.compliance,
): Promise<ComplianceRun> {
  return ctx.store.write((tx) => checkIn(ctx, tx, rules));
}

async function checkIn(ctx: AppContext, tx: Tx, rules: ComplianceRules): Promise<ComplianceRun> {
  const plan = compliancePlan(rules, ctx.now());
  const outcome = await tx.checkCompliance(plan);
  await announce(tx, plan.at, outcome.opened.map(findingNotice(plan.at)));
  return {
    at: plan.at,
    rules: plan.checks.map((c) => c.rule),
    opened: outcome.opened.reduce((sum, g) => sum + g.count, 0),
    kept: outcome.kept,
    resolved: outcome.resolved,
    notices: outcome.opened.length,
  };
}

/** A run asked for through the API (`POST /v1/compliance/runs`): regulators and the administrator. */
export async function requestComplianceCheck(ctx: AppContext, caller: Caller): Promise<ComplianceRun> {
  return audited(
    ctx,
    caller,
    'compliance.run',
    async (tx) => {
      requireRole(caller, 'regulator', 'admin');
      return checkIn(ctx, tx, ctx.compliance);
    },
    (run) => run.at,
  );
}

const findingNotice = (at: string) => (group: OpenedFindings) => ({
  topic: 'compliance.finding' as const,
  audience: [group.orgId],
  robotId: group.count === 1 ? (group.robotIds[0] ?? null) : null,
  data: {
    rule: group.rule,
    description: RULES[group.rule].description,
    opened: group.count,
    robotIds: group.robotIds,
    checkedAt: at,
  },
});

export interface ComplianceLoopEvents {
  failed(error: unknown): void;
  leadershipChanged(leading: boolean): void;
  ran(run: ComplianceRun): void;
}

/**
 * Checks every `intervalMs` while this process leads the 'compliance-checker' role (one process of a deployment
 * does it for all), the first time `firstAfterMs` after the start (a process restarted more often than the
 * interval still checks). A round still running when the next is due is not doubled. Returns a function that
 * stops it.
 */
export function startComplianceChecking(
  ctx: AppContext,
  intervalMs: number,
  events: ComplianceLoopEvents,
  firstAfterMs = Math.min(intervalMs, 30_000),
): () => void {
  let running = false;
  let leading = false;
  const round = async () => {
    const leads = await ctx.store.leads('compliance-checker').catch((error: unknown) => {
      events.failed(error);
      return false;
    });
    if (leads !== leading) events.leadershipChanged((leading = leads));
    if (!leads) return;
    events.ran(await runComplianceCheck(ctx));
  };
  const tick = () => {
    if (running) return;
    running = true;
    round()
      .catch(events.failed)
      .finally(() => (running = false));
  };
  const first = setTimeout(tick, firstAfterMs);
  const timer = setInterval(tick, intervalMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
