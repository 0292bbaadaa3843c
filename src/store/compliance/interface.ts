/**
 * Compliance findings and the runs that reconcile them. Records, and this area's part of the store interface
 * (composed in ../store.ts).
 */
import type { CompliancePlan, RuleCode } from '../../domain/safety/compliance.js';
import type { Page, PageRequest } from '../page.js';

/** A compliance finding: one rule broken, for one organisation, about one robot (or event, by `key`). */
export interface ComplianceFinding {
  id: number;
  rule: RuleCode;
  orgId: string;
  robotId: string | null;
  /** What the finding is about, unique per rule and organisation among open findings (a robot ID, an event). */
  key: string;
  detail: Record<string, unknown>;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
}

/** Newly opened findings of one rule for one organisation in a run: what a notice announces. */
export interface OpenedFindings {
  rule: RuleCode;
  orgId: string;
  count: number;
  /** A few of the robots concerned (at most 20), in ID order. */
  robotIds: string[];
}

export interface ComplianceRunOutcome {
  opened: OpenedFindings[];
  /** Findings still found (kept, not duplicated) and findings no longer found (resolved now). */
  kept: number;
  resolved: number;
}

/** Findings of one organisation: open ones, or those resolved at or after `resolvedSince`. */
export interface FindingFilter {
  orgId: string;
  rule?: RuleCode;
  open: boolean;
  resolvedSince?: string;
}

export interface ComplianceReader {
  /** Findings in id order after `page.after`. */
  listComplianceFindings(filter: FindingFilter, page: PageRequest): Promise<Page<ComplianceFinding>>;
  /** How many findings match, by rule. */
  countComplianceFindings(filter: Omit<FindingFilter, 'rule'>): Promise<Map<RuleCode, number>>;
}

export interface ComplianceWriter {
  /**
   * Runs the plan's rules over the whole registry in SQL and reconciles the stored findings: a finding found now and
   * not open opens, one still found is kept (its detail and lastSeen refreshed), an open one not found now (or of a
   * rule not in the plan) is resolved at `plan.at`.
   */
  checkCompliance(plan: CompliancePlan): Promise<ComplianceRunOutcome>;
}
