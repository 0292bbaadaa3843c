/**
 * An organisation's compliance report: per rule, its open findings (a count and the first of them) and those
 * resolved recently. Read by the organisation itself and by regulators (with a purpose); to anyone else the
 * organisation's report does not exist (404). Every read, granted or refused, is recorded in the read audit.
 */
import { invalid, notFound } from '../../domain/errors.js';
import { RULE_CODES, RULES, type RuleCode } from '../../domain/safety/compliance.js';
import type { ComplianceFinding, Reader } from '../../store/store.js';
import { requireActor } from '../access.js';
import type { AppContext, Caller } from '../context.js';
import { requirePurpose } from '../policy/relation.js';
import { noteRead } from '../policy/reads.js';

export type FindingView = Omit<ComplianceFinding, 'orgId' | 'rule'>;

export interface RuleReport {
  code: RuleCode;
  description: string;
  concerns: string;
  enabled: boolean;
  parameters: Record<string, number>;
  open: { count: number; findings: FindingView[] };
  resolved: { count: number; findings: FindingView[] };
}

export interface ComplianceReport {
  organisation: { id: string; name: string };
  generatedAt: string;
  /** Resolved findings are those resolved at or after this instant. */
  resolvedSince: string;
  /** Findings listed per rule and kind at most; the counts are complete. */
  limit: number;
  rules: RuleReport[];
}

export interface ReportOptions {
  /** Findings listed per rule, open and resolved each (1–1000, default 100). */
  limit?: number;
  /** How far back "resolved recently" reaches, in days (1–3650, default 30). */
  resolvedDays?: number;
}

const DAY_MS = 86_400_000;

export async function complianceReport(
  ctx: AppContext,
  caller: Caller,
  orgId: string,
  options: ReportOptions = {},
): Promise<ComplianceReport> {
  const actor = requireActor(caller);
  const limit = wholeOption(options.limit, 'query:/limit', 100, 1000);
  const resolvedDays = wholeOption(options.resolvedDays, 'query:/resolvedDays', 30, 3650);
  const query = `compliance-report:${orgId}`;
  const classes = ['technical', 'custody'] as const;
  const own = actor.orgId === orgId;
  if (!own && !actor.roles.has('regulator')) {
    noteRead(ctx, caller, { query, classes, outcome: 'denied' });
    throw notFound('organisation-not-found', `no organisation ${orgId}`);
  }
  if (!own) {
    try {
      requirePurpose(caller, 'regulator');
    } catch (error) {
      noteRead(ctx, caller, { query, classes, outcome: 'denied' });
      throw error;
    }
  }
  const now = ctx.now();
  const resolvedSince = new Date(now.getTime() - resolvedDays * DAY_MS).toISOString();
  const report = await ctx.store.read(async (r) => {
    const org = await r.getOrganisation(orgId);
    if (!org) return null;
    return {
      organisation: { id: org.id, name: org.name },
      generatedAt: now.toISOString(),
      resolvedSince,
      limit,
      rules: await rulesReport(ctx, r, orgId, resolvedSince, limit),
    };
  });
  if (!report) throw notFound('organisation-not-found', `no organisation ${orgId}`);
  noteRead(ctx, caller, { query, classes, outcome: 'granted' });
  return report;
}

async function rulesReport(
  ctx: AppContext,
  r: Reader,
  orgId: string,
  resolvedSince: string,
  limit: number,
): Promise<RuleReport[]> {
  const [openCounts, resolvedCounts] = await Promise.all([
    r.countComplianceFindings({ orgId, open: true }),
    r.countComplianceFindings({ orgId, open: false, resolvedSince }),
  ]);
  const page = { after: 0, limit };
  const list = async (rule: RuleCode, open: boolean, count: number) =>
    count === 0
      ? []
      : (await r.listComplianceFindings({ orgId, rule, open, resolvedSince }, page)).items.map(view);
  return Promise.all(
    RULE_CODES.map(async (code) => {
      const open = openCounts.get(code) ?? 0;
      const resolved = resolvedCounts.get(code) ?? 0;
      return {
        code,
        description: RULES[code].description,
        concerns: RULES[code].concerns,
        enabled: ctx.compliance[code].enabled,
        parameters: { ...ctx.compliance[code].parameters },
        open: { count: open, findings: await list(code, true, open) },
        resolved: { count: resolved, findings: await list(code, false, resolved) },
      };
    }),
  );
}

const view = ({ orgId: _org, rule: _rule, ...rest }: ComplianceFinding): FindingView => rest;

function wholeOption(value: number | undefined, field: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw invalid('invalid-query', `${field.slice(7)} must be a whole number from 1 to ${max}`, [
      { field, message: `from 1 to ${max}` },
    ]);
  return value;
}
