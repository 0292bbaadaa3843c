/**
 * The lifecycle state machine: pure functions from a robot's status and a reported event to the next status or a
 * rejection. No I/O and no clock of its own: the registry's time comes in `ctx.now`.
 *
 * Checks run in a fixed order and the first failure is the answer: (1) event time, (2) state, including a
 * stop-use order in force, (3) reporter, (4) event-specific rules. The table they read is `TRANSITIONS`.
 */
import type { Component, EventType, ReportedEvent, Reporter } from './events.js';
import { EVENT_TYPES } from './events.js';
import type { LifecycleState, Rejection, RobotStatus } from './status.js';
import { TRANSITIONS, describeWho } from './rules.js';
import type { Party, Transition } from './rules.js';
import { compareWithEventTime, compareWithEventTimeAnywhere, parseDateTime } from '../time.js';

export { TRANSITIONS } from './rules.js';
export type { Party, Target, Transition } from './rules.js';

export interface MachineContext {
  reporter: Reporter;
  /** The custodian has authorised this reporter (a service provider) to report service and incidents. */
  authorisedForService: boolean;
  /** The registry's clock, for "not in the future". */
  now: Date;
}

export type Outcome = { ok: true; status: RobotStatus } | { ok: false; rejection: Rejection };

/** How far an event may lie ahead of the registry's clock (the reporter's clock may run fast). */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A robot whose ID has been issued: nothing has happened to it yet; its manufacturer holds it. */
export function initialStatus(manufacturerId: string): RobotStatus {
  return {
    state: 'issued',
    resumeState: null,
    suspension: null,
    manufacturerId,
    custodianId: manufacturerId,
    inTransitTo: null,
    operatorId: null,
    certification: null,
    components: [],
    software: [],
    productionDate: null,
    site: null,
    lastEventTime: null,
    eventCount: 0,
  };
}

/** A rejection without the parts every rejection shares (state and allowed events). */
type Fault = Pick<Rejection, 'kind' | 'code' | 'message'> & { field?: string };

const fault = (kind: Rejection['kind'], code: string, message: string, field?: string): Fault =>
  field === undefined ? { kind, code, message } : { kind, code, message, field };

/** Applies one event. Never mutates `status` or `event`: the next status is a new object. */
export function applyEvent(status: RobotStatus, event: ReportedEvent, ctx: MachineContext): Outcome {
  const result = check(status, event, ctx);
  if ('state' in result) return { ok: true, status: result };
  const rejection: Rejection = { ...result, state: status.state, allowed: allowedEvents(status, ctx) };
  return { ok: false, rejection };
}

function check(status: RobotStatus, event: ReportedEvent, ctx: MachineContext): RobotStatus | Fault {
  if (event.type === 'corrected') {
    return fault(
      'invalid',
      'correction-needs-history',
      `a correction (of event ${event.payload.correctsEventId}) is not a transition: the robot's history is replayed without the corrected event`,
    );
  }
  // 1. Time.
  const time = parseDateTime(event.eventTime);
  if (time === null) {
    return fault(
      'invalid',
      'invalid-event-time',
      `eventTime must be an ISO 8601 date-time with seconds and an offset (e.g. 2026-03-01T09:30:00+08:00), got '${event.eventTime}'`,
      '/eventTime',
    );
  }
  if (time > ctx.now.getTime() + CLOCK_SKEW_MS) {
    return fault(
      'invalid',
      'future-event',
      `eventTime ${event.eventTime} is in the future (the registry's time is ${ctx.now.toISOString()})`,
      '/eventTime',
    );
  }
  if (status.lastEventTime !== null && time < Date.parse(status.lastEventTime)) {
    return fault(
      'conflict',
      'out-of-order',
      `eventTime ${event.eventTime} is before the robot's latest event (${status.lastEventTime}): events are recorded in time order`,
      '/eventTime',
    );
  }

  // 2.–4. State, reporter, the rules on the robot alone (at the event time); then those on the payload.
  const blocked = whyNot(event.type, status, ctx, { at: event.eventTime });
  if (blocked !== null) return blocked;
  return transition(status, event, ctx);
}

/** The event types this reporter may report now (state, stop-use order, reporter, certification at `ctx.now`). */
export function allowedEvents(status: RobotStatus, ctx: MachineContext): EventType[] {
  const at = ctx.now.toISOString();
  return EVENT_TYPES.filter(
    (type) => TRANSITIONS[type].from.length > 0 && blocker(type, status, ctx, at) === null,
  );
}

/** Why an event of this type is refused before its payload is looked at: a rejection without state and allowed. */
export type Refusal = Fault;

export interface WhyNotOptions {
  /** The event's time (default: `ctx.now`): certification must be valid then. */
  at?: string;
  /** Name the organisations in messages (the custodian, the recipient): not to a caller who may not see them. */
  nameParties?: boolean;
}

/**
 * The one judgement of whether this reporter may report this type of event on the robot now, before its payload
 * (and time) is looked at: the state (and a stop-use order), the reporter, then the rules on the robot alone, in
 * that order; null when nothing stands in the way. `applyEvent` refuses with it and `allowedEvents` lists by it,
 * so a prediction (GET /v1/robots/{id}/next-events) is the capture's own answer. A correction is no transition:
 * it depends on the robot's history (corrections.ts), so it is refused here (`correction-needs-history`).
 */
export function whyNot(
  type: EventType,
  status: RobotStatus,
  ctx: MachineContext,
  options: WhyNotOptions = {},
): Refusal | null {
  const found = blocker(type, status, ctx, options.at ?? ctx.now.toISOString(), options.nameParties ?? true);
  if (found === null || found.code !== 'event-not-allowed') return found;
  const allowed = allowedEvents(status, ctx);
  const list = allowed.length > 0 ? allowed.join(', ') : 'none';
  return { ...found, message: `${found.message}; allowed now: ${list}` };
}

/** whyNot's checks in order, without the list of allowed events (which is made of these). */
function blocker(type: EventType, status: RobotStatus, ctx: MachineContext, at: string, named = true) {
  const t = TRANSITIONS[type];
  if (type === 'corrected') {
    return fault(
      'invalid',
      'correction-needs-history',
      "a correction is not a transition: the robot's history is replayed without the corrected event",
    );
  }
  if (!stateAllows(t, status)) {
    const why =
      t.only === 'in-transit' && status.inTransitTo === null
        ? ': it is not in transit'
        : t.only === 'suspended' && status.suspension === null
          ? ': no stop-use order is in force'
          : '';
    return fault(
      'conflict',
      'event-not-allowed',
      `a robot in state '${status.state}' cannot be '${type}'${why}`,
    );
  }
  if (t.blockedWhileSuspended === true && status.suspension !== null) {
    return fault(
      'conflict',
      'suspended',
      `the robot is under stop-use order ${status.suspension.orderNumber} (since ${status.suspension.since}): it cannot be '${type}' until a regulator reinstates it`,
    );
  }
  if (!permitted(t, status, ctx)) {
    return fault(
      'forbidden',
      'not-permitted',
      `only ${describeWho(t, named ? status : undefined)} may report ${t.noun}`,
    );
  }
  return precondition(type, status, at, named);
}

/** Whether the latest certification passed and, if it has a validUntil, is still valid at `at`. */
export function hasValidCertification(status: RobotStatus, at: string): boolean {
  const c = status.certification;
  if (c === null || c.result !== 'pass') return false;
  if (c.validUntil === null) return true;
  const comparison = compareWithEventTime(c.validUntil, at);
  return comparison !== null && comparison >= 0;
}

/**
 * Applies events in order from a fresh status. The first rejection stops the replay and says at which index;
 * corrections use it to rebuild a robot's status from its history without the corrected event.
 */
export function replay(
  manufacturerId: string,
  events: { event: ReportedEvent; ctx: MachineContext }[],
): Outcome & { index?: number } {
  let status = initialStatus(manufacturerId);
  for (const [index, { event, ctx }] of events.entries()) {
    const outcome = applyEvent(status, event, ctx);
    if (!outcome.ok) return { ...outcome, index };
    status = outcome.status;
  }
  return { ok: true, status };
}

// ---------------------------------------------------------------------------------------------------------------

function stateAllows(t: Transition, status: RobotStatus): boolean {
  if (!t.from.includes(status.state)) return false;
  if (t.only === 'in-transit') return status.inTransitTo !== null;
  if (t.only === 'suspended') return status.suspension !== null;
  return true;
}

function isParty(party: Party, status: RobotStatus, ctx: MachineContext): boolean {
  const { orgId, roles } = ctx.reporter;
  switch (party) {
    case 'custodian':
      return orgId === status.custodianId;
    case 'authorised-service-provider':
      return ctx.authorisedForService;
    case 'regulator':
      return roles.has('regulator');
    case 'recipient':
      return status.inTransitTo !== null && orgId === status.inTransitTo;
    case 'manufacturer-of-record':
      return orgId === status.manufacturerId;
    case 'any-organisation':
      return true;
  }
}

function permitted(t: Transition, status: RobotStatus, ctx: MachineContext): boolean {
  const roles = t.who.roles;
  return (
    t.who.anyOf.some((party) => isParty(party, status, ctx)) &&
    (roles === undefined || roles.some((role) => ctx.reporter.roles.has(role)))
  );
}

/** Rules that depend on the robot alone (not the payload), at `at`. */
function precondition(type: EventType, status: RobotStatus, at: string, named: boolean): Fault | null {
  const t = TRANSITIONS[type];
  if (t.blockedWhileInTransit === true && status.inTransitTo !== null) {
    const to = named ? ` to ${status.inTransitTo}` : '';
    return fault(
      'conflict',
      'in-transit',
      `the robot is in transit${to}: it must be received before it can be '${type}'`,
    );
  }
  if (t.requiresCertification === true && !hasValidCertification(status, at)) {
    return fault(
      'conflict',
      'certification-required',
      `no code, no market access: ${certificationProblem(status, at)}, so it cannot be '${type}'`,
    );
  }
  if (type === 'suspended' && status.suspension !== null) {
    return fault(
      'conflict',
      'already-suspended',
      `the robot is already under stop-use order ${status.suspension.orderNumber} (since ${status.suspension.since})`,
    );
  }
  return null;
}

function certificationProblem(status: RobotStatus, at: string): string {
  const c = status.certification;
  if (c === null) return 'the robot has no certification';
  if (c.result !== 'pass') return `its latest certification (${c.certificateNumber}, ${c.standard}) failed`;
  return `its certification ${c.certificateNumber} (${c.standard}) was valid until ${c.validUntil ?? '?'}, before ${at}`;
}

/** The event-specific rules on the payload, and the next status. */
function transition(
  status: RobotStatus,
  event: Exclude<ReportedEvent, { type: 'corrected' }>,
  ctx: MachineContext,
): RobotStatus | Fault {
  const t = TRANSITIONS[event.type];
  const next: RobotStatus = {
    ...status,
    state: nextState(t, status.state),
    eventCount: status.eventCount + 1,
    lastEventTime: event.eventTime,
  };
  switch (event.type) {
    case 'manufactured': {
      const p = event.payload;
      // A production date is the plant's local day: not after the event's day wherever the plant is.
      const produced = compareWithEventTimeAnywhere(p.productionDate, event.eventTime);
      if (produced === null) {
        return fault(
          'invalid',
          'invalid-date',
          `productionDate must be an ISO 8601 date or date-time with offset, got '${p.productionDate}'`,
          '/payload/productionDate',
        );
      }
      if (produced > 0) {
        return fault(
          'invalid',
          'production-after-event',
          `productionDate ${p.productionDate} is after the event time ${event.eventTime}`,
          '/payload/productionDate',
        );
      }
      const seen = new Set<string>();
      for (const [i, component] of p.components.entries()) {
        const key = serialKey(component);
        if (key === null) continue;
        if (seen.has(key)) return duplicate(component, `/payload/components/${i}`);
        seen.add(key);
      }
      return {
        ...next,
        components: p.components.map((c) => ({ ...c })),
        software: p.software.map((s) => ({ ...s })),
        productionDate: p.productionDate,
      };
    }
    case 'certified': {
      const p = event.payload;
      if (p.validUntil !== undefined && compareWithEventTime(p.validUntil, event.eventTime) === null) {
        return fault(
          'invalid',
          'invalid-date',
          `validUntil must be an ISO 8601 date or date-time with offset, got '${p.validUntil}'`,
          '/payload/validUntil',
        );
      }
      return {
        ...next,
        state: p.result === 'pass' || t.toOnPassOnly !== true ? next.state : status.state,
        certification: {
          standard: p.standard,
          certificateNumber: p.certificateNumber,
          certifierId: ctx.reporter.orgId,
          result: p.result,
          validUntil: p.validUntil ?? null,
          eventTime: event.eventTime,
        },
      };
    }
    case 'shipped':
      if (event.payload.toOrgId === status.custodianId)
        return sameOrganisation(event.payload.toOrgId, 'shipped');
      return { ...next, inTransitTo: event.payload.toOrgId };
    case 'received':
      return { ...next, custodianId: ctx.reporter.orgId, inTransitTo: null };
    case 'sold':
      return takenOver(next, event.payload.toOrgId);
    case 'activated':
      return {
        ...next,
        site: { siteType: event.payload.siteType, region: event.payload.region },
        activatedAt: status.activatedAt ?? event.eventTime,
      };
    case 'serviced':
      // Inspections and maintenance restart the service clock (compliance rule service-overdue); repairs do not.
      return service(
        event.payload.kind === 'inspection' || event.payload.kind === 'maintenance'
          ? { ...next, lastServicedAt: event.eventTime }
          : next,
        event.payload,
      );
    case 'ownership_transferred':
      if (event.payload.toOrgId === status.custodianId) {
        return sameOrganisation(event.payload.toOrgId, 'transferred');
      }
      return takenOver(next, event.payload.toOrgId);
    case 'suspended':
      return { ...next, suspension: { orderNumber: event.payload.orderNumber, since: event.eventTime } };
    case 'reinstated': {
      const order = status.suspension?.orderNumber;
      if (event.payload.orderNumber !== order) {
        return fault(
          'invalid',
          'order-mismatch',
          `stop-use order ${event.payload.orderNumber} is not the one in force (${order ?? 'none'})`,
          '/payload/orderNumber',
        );
      }
      return { ...next, suspension: null };
    }
    case 'decommissioned':
      return { ...next, resumeState: null };
    case 'exported':
    case 'reported_lost':
    case 'reported_stolen':
      return { ...next, resumeState: status.state };
    case 'imported':
    case 'recovered': {
      if (status.resumeState === null) {
        return fault(
          'conflict',
          'no-resume-state',
          `the robot's status does not say which state it was in before`,
        );
      }
      const resumed: RobotStatus = { ...next, state: status.resumeState, resumeState: null };
      return event.type === 'imported'
        ? { ...resumed, custodianId: ctx.reporter.orgId, inTransitTo: null }
        : resumed;
    }
    case 'incident_reported': {
      const unnamed = (event.payload.components ?? []).findIndex((c) => !c.serial && !c.lot);
      if (unnamed < 0) return next;
      return fault(
        'invalid',
        'component-unidentified',
        `component ${event.payload.components![unnamed]!.partNumber} needs a serial or a lot to tell which parts it concerns`,
        `/payload/components/${unnamed}`,
      );
    }
    case 'recycled':
      return next;
  }
}

function nextState(t: Transition, state: LifecycleState): LifecycleState {
  if (t.to === 'unchanged' || t.to === 'resume' || t.stays?.includes(state) === true) return state;
  return t.to;
}

/**
 * A new owner takes the robot over: it holds and operates it. Where the last owner used it is that owner's data
 * (and no longer where the robot is), so the site is cleared until the new owner activates it.
 */
function takenOver(status: RobotStatus, toOrgId: string): RobotStatus {
  return { ...status, custodianId: toOrgId, operatorId: toOrgId, site: null };
}

function sameOrganisation(orgId: string, what: string): Fault {
  return fault(
    'invalid',
    'same-organisation',
    `the robot cannot be ${what} to the organisation that already holds it (${orgId})`,
    '/payload/toOrgId',
  );
}

function serialKey(c: { partNumber: string; serial?: string | undefined }): string | null {
  return c.serial === undefined ? null : `${c.partNumber}\u0000${c.serial}`;
}

function duplicate(c: Component, field: string): Fault {
  return fault(
    'invalid',
    'duplicate-component',
    `component ${c.partNumber} with serial ${c.serial ?? ''} is listed twice`,
    field,
  );
}

/** Swaps replaced components (each old one must be fitted) and updates software versions by target. */
function service(
  next: RobotStatus,
  payload: Extract<ReportedEvent, { type: 'serviced' }>['payload'],
): RobotStatus | Fault {
  // Unchanged lists stay the same arrays: the registry tells "nothing fitted or updated" by identity.
  const replaced = payload.replaced ?? [];
  const components = replaced.length > 0 ? [...next.components] : next.components;
  for (const [i, { old, new: fitted }] of replaced.entries()) {
    const at = components.findIndex(
      (c) =>
        c.partNumber === old.partNumber &&
        (old.serial !== undefined ? c.serial === old.serial : old.lot === undefined || c.lot === old.lot) &&
        (old.position === undefined || c.position === old.position),
    );
    if (at < 0) {
      const which =
        old.serial !== undefined ? `serial ${old.serial}` : old.lot !== undefined ? `lot ${old.lot}` : '';
      return fault(
        'invalid',
        'component-not-fitted',
        `no component ${old.partNumber}${which ? ` ${which}` : ''}${old.position !== undefined ? ` at ${old.position}` : ''} is fitted in this robot`,
        `/payload/replaced/${i}/old`,
      );
    }
    components.splice(at, 1);
    const key = serialKey(fitted);
    if (key !== null && components.some((c) => serialKey(c) === key)) {
      return duplicate(fitted, `/payload/replaced/${i}/new`);
    }
    components.push({ ...fitted });
  }
  const updates = payload.software ?? [];
  const software = updates.length > 0 ? [...next.software] : next.software;
  for (const update of updates) {
    const at = software.findIndex((s) => s.target === update.target);
    if (at < 0) software.push({ ...update });
    else software[at] = { ...update };
  }
  return { ...next, components, software };
}
