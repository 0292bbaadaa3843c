/**
 * Compliance rules as data: what each rule looks for, whom a finding concerns, and its parameters with defaults.
 * A deployment changes parameters or switches rules off with one JSON setting (ROBOTID_COMPLIANCE_RULES); the
 * store runs each rule's check as SQL over the whole registry (src/store/<dialect>/compliance.ts).
 */
import { Issues } from '../errors.js';
import { jsonObjectSetting } from '../settings.js';

export const RULE_CODES = [
  'late-reports',
  'certification-expired',
  'service-overdue',
  'not-seen',
  'recycling-incomplete',
  'never-placed',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export const isRuleCode = (value: string): value is RuleCode =>
  (RULE_CODES as readonly string[]).includes(value);

export interface RuleDefinition {
  code: RuleCode;
  description: string;
  /** Whose finding it is: the organisation that must act. */
  concerns: string;
  /** Parameters and their defaults (all whole days so far). */
  defaults: Readonly<Record<string, number>>;
}

export const RULES: Readonly<Record<RuleCode, RuleDefinition>> = {
  'late-reports': {
    code: 'late-reports',
    description: 'Events reported after their reporting deadline, recorded within the last `days` days.',
    concerns: 'the organisation that reported late',
    defaults: { days: 90 },
  },
  'certification-expired': {
    code: 'certification-expired',
    description:
      'Robots sold or in use whose latest certification failed, has passed its validUntil, or is missing.',
    concerns: 'the custodian and the manufacturer',
    defaults: {},
  },
  'service-overdue': {
    code: 'service-overdue',
    description:
      'Robots in use without an inspection or maintenance for `days` days (counted from their first activation if never serviced).',
    concerns: 'the custodian',
    defaults: { days: 365 },
  },
  'not-seen': {
    code: 'not-seen',
    description: 'Robots not recycled or exported with no event for `days` days.',
    concerns: 'the custodian',
    defaults: { days: 365 },
  },
  'recycling-incomplete': {
    code: 'recycling-incomplete',
    description:
      'Recycled robots whose recycling report leaves out components that were fitted when the robot was decommissioned.',
    concerns: 'the recycler (who reported the recycling)',
    defaults: {},
  },
  'never-placed': {
    code: 'never-placed',
    description:
      'Robots manufactured or certified more than `days` days ago and never shipped, sold or activated.',
    concerns: 'the manufacturer',
    defaults: { days: 180 },
  },
};

/** A rule as a deployment runs it. */
export interface ActiveRule {
  code: RuleCode;
  enabled: boolean;
  parameters: Readonly<Record<string, number>>;
}

export type ComplianceRules = Readonly<Record<RuleCode, ActiveRule>>;

const MAX_DAYS = 3650;

/**
 * The rules with a deployment's changes from a JSON object such as
 * `{"service-overdue": {"days": 180}, "not-seen": {"enabled": false}, "late-reports": false}`: per rule, an
 * object of parameters (and `enabled`), or a boolean that switches it on or off. Every fault is reported with its
 * place in the setting.
 */
export function complianceRulesWith(
  json: string | undefined,
  field = 'ROBOTID_COMPLIANCE_RULES',
): ComplianceRules {
  const rules = Object.fromEntries(
    RULE_CODES.map((code) => [code, { code, enabled: true, parameters: { ...RULES[code].defaults } }]),
  ) as Record<RuleCode, { code: RuleCode; enabled: boolean; parameters: Record<string, number> }>;
  if (json === undefined || json.trim() === '') return rules;
  const parsed = jsonObjectSetting(json, field, 'invalid-compliance-rules', 'rule code → settings');
  const issues = new Issues();
  for (const [code, value] of Object.entries(parsed)) {
    const at = `${field}/${code}`;
    if (!isRuleCode(code)) {
      issues.add({ field: at, message: `unknown rule (known: ${RULE_CODES.join(', ')})` });
      continue;
    }
    const rule = rules[code];
    if (typeof value === 'boolean') {
      rule.enabled = value;
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.add({ field: at, message: 'must be true, false or an object of parameters' });
      continue;
    }
    for (const [name, setting] of Object.entries(value as Record<string, unknown>)) {
      if (name === 'enabled') {
        if (typeof setting === 'boolean') rule.enabled = setting;
        else issues.add({ field: `${at}/enabled`, message: 'must be true or false' });
      } else if (!(name in RULES[code].defaults)) {
        const known = ['enabled', ...Object.keys(RULES[code].defaults)].join(', ');
        issues.add({ field: `${at}/${name}`, message: `unknown parameter (known: ${known})` });
      } else if (!Number.isInteger(setting) || (setting as number) < 1 || (setting as number) > MAX_DAYS) {
        issues.add({ field: `${at}/${name}`, message: `must be whole days from 1 to ${MAX_DAYS}` });
      } else rule.parameters[name] = setting as number;
    }
  }
  issues.throwIfAny('invalid-compliance-rules');
  return rules;
}

export const DEFAULT_COMPLIANCE_RULES: ComplianceRules = complianceRulesWith(undefined);

/** One rule's check for a run: `cutoff` is the instant its days count back to (the run's time when it has none). */
export interface RuleCheck {
  rule: RuleCode;
  cutoff: string;
}

/** What a run asks the store to check at instant `at` (ISO, UTC): the enabled rules only. */
export interface CompliancePlan {
  at: string;
  checks: RuleCheck[];
}

const DAY_MS = 86_400_000;

export function compliancePlan(rules: ComplianceRules, at: Date): CompliancePlan {
  const checks = RULE_CODES.filter((code) => rules[code].enabled).map((code) => {
    const days = rules[code].parameters.days;
    const cutoff = days === undefined ? at : new Date(at.getTime() - days * DAY_MS);
    return { rule: code, cutoff: cutoff.toISOString() };
  });
  return { at: at.toISOString(), checks };
}
