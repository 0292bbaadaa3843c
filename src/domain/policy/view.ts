/** Applying the policy table: a caller's relation to a robot, and a record cut down to what that relation sees. */
import type { EventType } from '../lifecycle/events.js';
import {
  CORRECTION_PAYLOAD,
  EVENT_POLICY,
  POLICY,
  type DataClass,
  type FieldTable,
  type Relation,
} from './table.js';

/** The caller, as far as the policy cares. */
export interface Subject {
  orgId: string;
  roles: ReadonlySet<string>;
}

/** A service provider's or recycler's grant for one robot, from its custodian. */
export interface Grant {
  orgId: string;
  grantedBy: string;
  validFrom: string;
  validUntil: string;
  revokedAt: string | null;
}

/** Who stands where to one robot. */
export interface RobotParties {
  manufacturerId: string;
  custodianId: string | null;
  operatorId: string | null;
  grants: readonly Grant[];
}

/**
 * In force at `at` (all ISO 8601 UTC, so they compare as text): from its start, until its end or revocation, and
 * only while whoever granted it still holds the robot (a grant does not outlive its grantor's custody).
 */
export const grantInForce = (g: Grant, robot: RobotParties, at: string) =>
  g.revokedAt === null && g.validFrom <= at && at < g.validUntil && g.grantedBy === robot.custodianId;

export function relationOf(subject: Subject | null, robot: RobotParties, at: string): Relation {
  if (!subject) return 'public';
  if (subject.roles.has('regulator') || subject.roles.has('admin')) return 'regulator';
  if (subject.orgId === robot.manufacturerId) return 'manufacturer';
  if (subject.orgId === robot.operatorId) return 'operator';
  if (subject.orgId === robot.custodianId) return 'custodian';
  if (robot.grants.some((g) => g.orgId === subject.orgId && grantInForce(g, robot, at))) return 'authorised';
  return 'public';
}

export type Sees = (dataClass: DataClass) => boolean;

export const seesFor = (relation: Relation): Sees => {
  const visible = new Set<DataClass>(POLICY[relation]);
  return (c) => visible.has(c);
};

/**
 * `value` with only the fields whose class `sees` accepts; undefined when nothing is left. Fields the table does
 * not name are dropped (deny by default); a class on an object or array field covers everything inside it.
 * `seen` collects the classes of what was kept (for the read audit).
 */
export function redact(value: unknown, table: FieldTable, sees: Sees, seen?: Set<DataClass>): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(value as Record<string, unknown>)) {
    const rule = table[field];
    if (rule === undefined || inner === undefined) continue;
    const kept = redactField(inner, rule, sees, seen);
    if (kept !== undefined) out[field] = kept;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function redactField(value: unknown, rule: FieldTable[string], sees: Sees, seen?: Set<DataClass>): unknown {
  if (typeof rule === 'string') {
    if (!sees(rule)) return undefined;
    seen?.add(rule);
    return value;
  }
  if (value === null) return null;
  if (Array.isArray(rule)) {
    if (!Array.isArray(value)) return undefined;
    const items = value.map((item) => redact(item, rule[0] as FieldTable, sees, seen));
    return items.every((i) => i === undefined) ? undefined : items.filter((i) => i !== undefined);
  }
  return redact(value, rule as FieldTable, sees, seen);
}

/** The class that decides whether an event is seen at all; a correction is as visible as what it corrects. */
export function eventClass(type: EventType, correctedType?: EventType): DataClass {
  if (type === 'corrected') return correctedType ? eventClass(correctedType) : 'custody';
  return EVENT_POLICY[type].event;
}

export const payloadTable = (type: EventType): FieldTable =>
  type === 'corrected' ? CORRECTION_PAYLOAD : EVENT_POLICY[type].payload;
