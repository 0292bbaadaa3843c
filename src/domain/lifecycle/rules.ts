/**
 * The lifecycle transition table as data: which event may be reported in which state, where it takes the robot
 * and who may report it. It is the single source for `applyEvent`, `allowedEvents` and docs/lifecycle.md.
 *
 * Rules that reach beyond one robot's status live beside it: corrections (corrections.ts), the organisation a
 * robot is handed to (counterparties.ts), serialised parts in one robot at a time (fitted-parts.ts) and when a
 * service authorisation is asked for (`needsServiceAuthorisation`, below).
 */
import type { Role } from '../org/roles.js';
import type { EventType } from './events.js';
import { STATES } from './status.js';
import type { LifecycleState, RobotStatus } from './status.js';

/**
 * Who a reporter may be, relative to the robot:
 * - custodian: the organisation holding the robot (`status.custodianId`);
 * - authorised-service-provider: a service provider the custodian has authorised (`ctx.authorisedForService`);
 * - regulator: an organisation with the regulator role;
 * - recipient: the organisation the robot was shipped to (`status.inTransitTo`);
 * - manufacturer-of-record: the robot's own manufacturer (`status.manufacturerId`);
 * - any-organisation: anyone.
 */
export type Party =
  | 'custodian'
  | 'authorised-service-provider'
  | 'regulator'
  | 'recipient'
  | 'manufacturer-of-record'
  | 'any-organisation';

/** Where an event takes the robot: a state, nowhere (`unchanged`), or back to `status.resumeState`. */
export type Target = LifecycleState | 'unchanged' | 'resume';

export interface Transition {
  /** The states in which the event may be reported. */
  from: readonly LifecycleState[];
  /** A further condition without which the event is not allowed at all: a shipment under way, a stop-use order. */
  only?: 'in-transit' | 'suspended';
  to: Target;
  /** States in `from` that the event leaves as they are although `to` names a state. */
  stays?: readonly LifecycleState[];
  /** `to` applies only when the reported certification passed. */
  toOnPassOnly?: boolean;
  /** The reporter must be one of these parties and, when `roles` is given, hold one of those roles. */
  who: { anyOf: readonly Party[]; roles?: readonly Role[] };
  /** Refused (conflict `suspended`) while a stop-use order is in force. */
  blockedWhileSuspended?: boolean;
  /** Refused (conflict `in-transit`) between shipment and receipt. */
  blockedWhileInTransit?: boolean;
  /** Needs a valid certification at the event time (conflict `certification-required`). */
  requiresCertification?: boolean;
  /** What the event is called in messages: "only … may report <noun>". */
  noun: string;
  /** Further checks and effects, for the documentation. */
  effects: string;
}

const ALL = STATES;
const except = (...excluded: LifecycleState[]): LifecycleState[] => ALL.filter((s) => !excluded.includes(s));

export const TRANSITIONS: Readonly<Record<EventType, Transition>> = {
  manufactured: {
    from: ['issued'],
    to: 'manufactured',
    who: { anyOf: ['manufacturer-of-record'], roles: ['manufacturer'] },
    noun: 'manufacture',
    effects:
      'sets components, software and productionDate; productionDate not after eventTime; no two components with the same partNumber and serial (`duplicate-component`)',
  },
  certified: {
    from: ['manufactured', 'certified', 'in_distribution', 'sold', 'in_use'],
    to: 'certified',
    stays: ['certified', 'in_distribution', 'sold', 'in_use'],
    toOnPassOnly: true,
    who: { anyOf: ['any-organisation'], roles: ['certifier'] },
    noun: 'certification',
    effects:
      'records the certification (pass or fail) as the latest one; validUntil, if given, is a date or date-time',
  },
  shipped: {
    from: ['certified', 'in_distribution', 'sold', 'decommissioned'],
    to: 'in_distribution',
    stays: ['decommissioned'],
    who: { anyOf: ['custodian'] },
    noun: 'a shipment',
    effects:
      'sets inTransitTo = toOrgId, which must differ from the custodian (`same-organisation`); the custodian stays until receipt',
  },
  received: {
    from: ALL,
    only: 'in-transit',
    to: 'unchanged',
    who: { anyOf: ['recipient'] },
    noun: 'receipt',
    effects: 'the reporter becomes custodian; inTransitTo is cleared',
  },
  sold: {
    from: ['certified', 'in_distribution'],
    to: 'sold',
    who: { anyOf: ['custodian'], roles: ['seller', 'manufacturer'] },
    blockedWhileSuspended: true,
    blockedWhileInTransit: true,
    requiresCertification: true,
    noun: 'a sale',
    effects: 'operatorId = custodianId = toOrgId',
  },
  activated: {
    // Again while in use: moved to another site, or put to use by a new owner (a transfer clears the old site).
    from: ['sold', 'in_use'],
    to: 'in_use',
    who: { anyOf: ['custodian'] },
    blockedWhileSuspended: true,
    requiresCertification: true,
    noun: 'activation',
    effects: 'sets the site (siteType, region); again in use: a new site',
  },
  serviced: {
    from: ['manufactured', 'certified', 'in_distribution', 'sold', 'in_use'],
    to: 'unchanged',
    who: { anyOf: ['custodian', 'authorised-service-provider'] },
    noun: 'service',
    effects:
      'each replaced old component must be fitted (partNumber and serial, else lot: `component-not-fitted`) and is swapped for the new one; software versions replace those of the same target or are added',
  },
  incident_reported: {
    from: except('issued', 'recycled'),
    to: 'unchanged',
    // The manufacturer too: it hears of incidents from its robots (which report through its systems) and its field service.
    who: { anyOf: ['custodian', 'authorised-service-provider', 'manufacturer-of-record'] },
    noun: 'incidents',
    effects:
      'recorded; each component named must give a serial or a lot (`component-unidentified`); derives an incident (docs/incidents.md)',
  },
  ownership_transferred: {
    from: ['sold', 'in_use'],
    to: 'unchanged',
    who: { anyOf: ['custodian'] },
    blockedWhileSuspended: true,
    noun: 'a transfer of ownership',
    effects: 'custodianId = operatorId = toOrgId, another organisation (`same-organisation`)',
  },
  suspended: {
    from: except('recycled'),
    to: 'unchanged',
    who: { anyOf: ['regulator'] },
    noun: 'a stop-use order',
    effects: 'sets suspension { orderNumber, since: eventTime }; not twice (`already-suspended`)',
  },
  reinstated: {
    from: ALL,
    only: 'suspended',
    to: 'unchanged',
    who: { anyOf: ['regulator'] },
    noun: 'a reinstatement',
    effects: 'clears the suspension; orderNumber must be that of the order in force (`order-mismatch`)',
  },
  decommissioned: {
    from: ['manufactured', 'certified', 'in_distribution', 'sold', 'in_use', 'lost', 'stolen'],
    to: 'decommissioned',
    who: { anyOf: ['custodian', 'regulator'] },
    noun: 'decommissioning',
    effects: 'clears resumeState',
  },
  recycled: {
    from: ['decommissioned'],
    to: 'recycled',
    who: { anyOf: ['custodian'], roles: ['recycler'] },
    noun: 'recycling',
    effects: 'final; the robot is shipped to the recycler and received first',
  },
  exported: {
    from: ['certified', 'in_distribution', 'sold', 'in_use'],
    to: 'exported',
    who: { anyOf: ['custodian'] },
    noun: 'an export',
    effects: 'resumeState = the state before',
    // A robot under a stop-use order must not leave the country's control.
    blockedWhileSuspended: true,
  },
  imported: {
    from: ['exported'],
    to: 'resume',
    who: { anyOf: ['any-organisation'] },
    blockedWhileSuspended: true,
    noun: 'an import',
    effects: 'the reporter becomes custodian; resumeState and inTransitTo are cleared',
  },
  reported_lost: {
    from: ['in_distribution', 'sold', 'in_use'],
    to: 'lost',
    who: { anyOf: ['custodian', 'regulator'] },
    noun: 'a loss',
    effects: 'resumeState = the state before',
  },
  reported_stolen: {
    from: ['in_distribution', 'sold', 'in_use'],
    to: 'stolen',
    who: { anyOf: ['custodian', 'regulator'] },
    noun: 'a theft',
    effects: 'resumeState = the state before',
  },
  recovered: {
    from: ['lost', 'stolen'],
    to: 'resume',
    who: { anyOf: ['custodian', 'regulator'] },
    blockedWhileSuspended: true,
    noun: 'a recovery',
    effects: 'resumeState is cleared',
  },
  corrected: {
    from: [],
    to: 'unchanged',
    who: { anyOf: [] },
    noun: 'a correction',
    effects:
      'never applied as a transition (`correction-needs-history`): the capture use case replays the history without the corrected event',
  },
};

/**
 * Whether the reporter of this event must have been authorised by the robot's custodian (a service provider): the
 * table lets an authorised service provider report it and the reporter is not the custodian. The authorisation
 * must cover both the event time and the moment of reporting, so that an expired or revoked grant stops at once;
 * the state machine then reads it as `MachineContext.authorisedForService`.
 */
export function needsServiceAuthorisation(type: EventType, status: RobotStatus, orgId: string): boolean {
  return TRANSITIONS[type].who.anyOf.includes('authorised-service-provider') && status.custodianId !== orgId;
}

// ---------------------------------------------------------------------------------------------------------------
// Descriptions, for messages and for the documentation (the docs table is generated from these).

const quoteList = (items: readonly string[], conjunction: string): string =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1] ?? ''}`;

/** "sold, in_use", "every state except recycled", "any state, while in transit". */
export function describeFrom(t: Transition): string {
  if (t.from.length === 0) return '—';
  const missing = ALL.filter((s) => !t.from.includes(s));
  const states =
    missing.length === 0
      ? 'any state'
      : missing.length <= 2
        ? `every state except ${quoteList(missing, 'and')}`
        : t.from.join(', ');
  if (t.only === 'in-transit') return `${states}, while in transit (inTransitTo set)`;
  if (t.only === 'suspended') return `${states}, while a stop-use order is in force`;
  return states;
}

/** "in_distribution; decommissioned unchanged", "certified from manufactured on a pass; otherwise unchanged". */
export function describeTarget(t: Transition): string {
  if (t.from.length === 0) return '—';
  if (t.to === 'unchanged') return 'unchanged';
  if (t.to === 'resume') return 'the state before (resumeState)';
  const stays = t.stays ?? [];
  const pass = t.toOnPassOnly === true ? ' on a pass' : '';
  if (stays.length === 0) return `${t.to}${pass}`;
  const moving = t.from.filter((s) => !stays.includes(s));
  if (moving.length === 1) return `${t.to} from ${moving[0] ?? ''}${pass}; otherwise unchanged`;
  return `${t.to}${pass}; ${quoteList(stays, 'and')} unchanged`;
}

/**
 * Who may report the event. Given a status, names the organisations ("the robot's custodian (org_x)"); without,
 * describes them ("the custodian").
 */
export function describeWho(t: Transition, status?: RobotStatus): string {
  if (t.who.anyOf.length === 0) return 'nobody (see corrections)';
  const roles = t.who.roles ?? [];
  const roleText = `the ${quoteList(roles, 'or')} role`;
  if (t.who.anyOf.length === 1 && t.who.anyOf[0] === 'any-organisation') {
    return roles.length > 0 ? `an organisation with ${roleText}` : 'any organisation';
  }
  const parties = t.who.anyOf.map((party) => describeParty(party, status));
  return `${quoteList(parties, 'or')}${roles.length > 0 ? ` with ${roleText}` : ''}`;
}

function describeParty(party: Party, status: RobotStatus | undefined): string {
  const named = (text: string, orgId: string | null | undefined) =>
    status !== undefined && orgId ? `${text} (${orgId})` : text;
  switch (party) {
    case 'custodian':
      return status === undefined ? 'the custodian' : named("the robot's custodian", status.custodianId);
    case 'authorised-service-provider':
      return status === undefined
        ? 'a service provider the custodian has authorised'
        : 'a service provider it has authorised';
    case 'regulator':
      return 'a regulator';
    case 'recipient':
      return named('the organisation it was shipped to', status?.inTransitTo);
    case 'manufacturer-of-record':
      return named("the robot's manufacturer", status?.manufacturerId);
    case 'any-organisation':
      return 'any organisation';
  }
}

/** Conditions beyond state and reporter, for the documentation. */
export function describeConditions(t: Transition): string {
  const parts: string[] = [];
  if (t.requiresCertification === true) parts.push('valid certification (`certification-required`)');
  if (t.blockedWhileInTransit === true) parts.push('not in transit (`in-transit`)');
  if (t.blockedWhileSuspended === true) parts.push('not suspended (`suspended`)');
  parts.push(t.effects);
  return parts.join('; ');
}
