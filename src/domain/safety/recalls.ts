/**
 * Recall campaigns (modelled on NHTSA recalls): what is defective, what it may cause, the remedy, and the criteria
 * that define the affected robots. Pure: matching a robot against a campaign and deciding whether a service
 * remedied it happen here; finding the robots in the store is the adapters' SQL, which must agree with `matches`.
 */
import { invalid, type FieldIssue } from '../errors.js';
import type { Component, ServicedPayload, SoftwareVersion } from '../lifecycle/events.js';
import type { LifecycleState } from '../lifecycle/status.js';
import { isDate } from '../time.js';
import { validateCountryCode, validateEnterpriseCode, validateModelCode } from '../id/robot-id.js';

/** A part number, narrowed to some lots and/or a serial range (both absent: every unit of that part number). */
export interface ComponentCriterion {
  partNumber: string;
  lots?: string[];
  /** Inclusive, compared character by character (serials of one range have the same length). */
  serials?: { from: string; to: string };
}

export interface SoftwareCriterion {
  target: string;
  versions: string[];
}

/**
 * Which robots a campaign affects: every criterion given narrows (AND); within `components` or `software` any one
 * entry suffices (OR). Components count while fitted, including parts fitted in service; a part replaced before
 * the campaign no longer makes its robot affected.
 */
export interface RecallCriteria {
  /** Model prefixes of the robot ID: country + enterprise + model code (12 characters). */
  models?: string[];
  /** Production date range, inclusive (YYYY-MM-DD). */
  producedFrom?: string;
  producedTo?: string;
  components?: ComponentCriterion[];
  software?: SoftwareCriterion[];
}

export interface Remedy {
  description: string;
  /** Fixed by an over-the-air update (no visit needed). */
  overTheAir: boolean;
  /** The software that remedies: a service installing this version of this target satisfies the remedy. */
  software?: SoftwareVersion;
}

/** What the campaign announces; the registry adds its number, owner and dates. */
export interface RecallDraft {
  component: string;
  summary: string;
  consequence: string;
  remedy: Remedy;
  /** Affected robots must stop use until remedied: each gets a stop-use order named after the campaign. */
  stopUse: boolean;
  criteria: RecallCriteria;
}

export const RECALL_ROBOT_STATES = ['notified', 'remedied', 'unreachable', 'exempt'] as const;
export type RecallRobotState = (typeof RECALL_ROBOT_STATES)[number];

/** States in which a robot still needs its remedy (the campaign's completion counts the others as done). */
export const OUTSTANDING: readonly RecallRobotState[] = ['notified', 'unreachable'];

/** Robots out of service for good are never affected: a recall is for robots that may still be used. */
export const NEVER_AFFECTED: readonly LifecycleState[] = ['decommissioned', 'recycled'];

/** Moves a person may make by hand (remedies are recorded by service events, never by hand). */
export const MANUAL_MOVES: Readonly<Record<RecallRobotState, readonly RecallRobotState[]>> = {
  notified: ['unreachable', 'exempt'],
  unreachable: ['notified', 'exempt'],
  exempt: ['notified'],
  remedied: [],
};

const MODEL_PREFIX_LENGTH = 12;

/** Checks what a schema cannot: codes, dates, ranges, a campaign narrowed by something. Throws `invalid-criteria`. */
export function validateRecallDraft(draft: RecallDraft): RecallDraft {
  const issues = [...criteriaIssues(draft.criteria), ...remedyIssues(draft.remedy)];
  if (issues.length > 0)
    throw invalid('invalid-criteria', issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
  return draft;
}

function criteriaIssues(c: RecallCriteria): FieldIssue[] {
  const at = '/criteria';
  const issues: FieldIssue[] = [];
  if (!c.models?.length && !c.components?.length && !c.software?.length)
    issues.push({
      field: at,
      message: 'name at least one of models, components or software: a recall of every robot is not a recall',
    });
  c.models?.forEach((m, i) => issues.push(...modelIssues(m, `${at}/models/${i}`)));
  for (const key of ['producedFrom', 'producedTo'] as const) {
    const value = c[key];
    if (value !== undefined && !isDate(value))
      issues.push({ field: `${at}/${key}`, message: `expected a date YYYY-MM-DD, got '${value}'` });
  }
  if (c.producedFrom && c.producedTo && c.producedFrom > c.producedTo)
    issues.push({ field: `${at}/producedTo`, message: 'is before producedFrom' });
  c.components?.forEach((p, i) => {
    const range = p.serials;
    if (range && range.from > range.to)
      issues.push({
        field: `${at}/components/${i}/serials/to`,
        message: `'${range.to}' is before '${range.from}'`,
      });
    if (range && range.from.length !== range.to.length)
      issues.push({
        field: `${at}/components/${i}/serials`,
        message: 'from and to must have the same length (serials compare character by character)',
      });
    if (p.lots?.length === 0)
      issues.push({ field: `${at}/components/${i}/lots`, message: 'empty: leave it out to mean every lot' });
  });
  c.software?.forEach((s, i) => {
    if (s.versions.length === 0)
      issues.push({ field: `${at}/software/${i}/versions`, message: 'name at least one affected version' });
  });
  return issues;
}

function modelIssues(prefix: string, field: string): FieldIssue[] {
  if (prefix.length !== MODEL_PREFIX_LENGTH)
    return [
      {
        field,
        message: `a model is the ID's first 12 characters (country, enterprise, model), got '${prefix}'`,
      },
    ];
  try {
    validateCountryCode(prefix.slice(0, 2), field);
    validateEnterpriseCode(prefix.slice(2, 6), field);
    validateModelCode(prefix.slice(6, 12), field);
    return [];
  } catch (error) {
    return [{ field, message: error instanceof Error ? error.message : String(error) }];
  }
}

function remedyIssues(remedy: Remedy): FieldIssue[] {
  if (remedy.overTheAir && !remedy.software)
    return [
      { field: '/remedy/software', message: 'an over-the-air remedy names the software version that fixes' },
    ];
  return [];
}

/** The robot facts a campaign's criteria look at. */
export interface RobotFacts {
  robotId: string;
  state: LifecycleState;
  productionDate: string | null;
  components: readonly Component[];
  software: readonly SoftwareVersion[];
}

const partMatches = (c: ComponentCriterion, p: Component) =>
  p.partNumber === c.partNumber &&
  (c.lots === undefined || (p.lot !== undefined && c.lots.includes(p.lot))) &&
  (c.serials === undefined ||
    (p.serial !== undefined &&
      p.serial.length === c.serials.from.length &&
      p.serial >= c.serials.from &&
      p.serial <= c.serials.to));

/** Whether the robot is affected: the same rule as the stores' SQL (src/store/recalls/criteria.ts). */
export function matches(c: RecallCriteria, robot: RobotFacts): boolean {
  if (NEVER_AFFECTED.includes(robot.state)) return false;
  if (c.models?.length && !c.models.includes(robot.robotId.slice(0, MODEL_PREFIX_LENGTH))) return false;
  const produced = robot.productionDate?.slice(0, 10) ?? null;
  if (c.producedFrom && (produced === null || produced < c.producedFrom)) return false;
  if (c.producedTo && (produced === null || produced > c.producedTo)) return false;
  if (c.components?.length && !c.components.some((k) => robot.components.some((p) => partMatches(k, p))))
    return false;
  if (
    c.software?.length &&
    !c.software.some((s) =>
      robot.software.some((v) => v.target === s.target && s.versions.includes(v.version)),
    )
  )
    return false;
  return true;
}

/**
 * Whether a service remedied the robot: afterwards it no longer matches the criteria (the part replaced, the
 * firmware updated past the affected versions), or it runs the remedy's software, or — for a remedy without
 * software (an inspection and adjustment, say) — the service names the campaign.
 */
export function remedies(
  campaign: { number: string; criteria: RecallCriteria; remedy: Remedy },
  service: ServicedPayload,
  after: RobotFacts,
): boolean {
  if (!matches(campaign.criteria, after)) return true;
  const fix = campaign.remedy.software;
  if (fix) return after.software.some((v) => v.target === fix.target && v.version === fix.version);
  return service.recall === campaign.number;
}

/** Campaign numbers: `RC-<year>-<6 digits>`, the year of opening, numbered across years. */
export const recallNumber = (year: number, n: number) => `RC-${year}-${String(n).padStart(6, '0')}`;
export const RECALL_NUMBER = /^RC-\d{4}-\d{6}$/;
