import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_TYPES } from '../../src/domain/lifecycle/events.js';
import type { EventType, PayloadByType, ReportedEvent } from '../../src/domain/lifecycle/events.js';
import { STATES, sameSoftware } from '../../src/domain/lifecycle/status.js';
import type { LifecycleState, Rejection, RobotStatus } from '../../src/domain/lifecycle/status.js';
import {
  TRANSITIONS,
  allowedEvents,
  applyEvent,
  hasValidCertification,
  initialStatus,
  replay,
} from '../../src/domain/lifecycle/machine.js';
import type { MachineContext, Outcome } from '../../src/domain/lifecycle/machine.js';
import { INBOUND, OUTBOUND, inboundRuleFor, type Evidence } from '../../src/domain/epcis/mapping.js';
import { PAYLOAD_SCHEMAS } from '../../src/domain/lifecycle/payloads.js';

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const ROBOT = 'CN0001H00001R0000000000000001';
/** The registry's clock in most tests: well after every event time below. */
const NOW = new Date('2027-01-01T00:00:00Z');

/** `h` hours after 2026-01-01T00:00Z, written in UTC+8 as a reporter in China would. */
function at(h: number): string {
  const d = new Date(Date.UTC(2026, 0, 1) + h * 3_600_000 + 8 * 3_600_000);
  return `${d.toISOString().slice(0, 19)}+08:00`;
}

let eventSeq = 0;
function ev<T extends EventType>(type: T, payload: PayloadByType[T], eventTime: string): ReportedEvent {
  eventSeq += 1;
  return { eventId: `e${eventSeq}`, type, robotId: ROBOT, eventTime, payload } as ReportedEvent;
}

function ctxOf(
  orgId: string,
  roles: string[],
  opts: { authorised?: boolean; now?: Date } = {},
): MachineContext {
  return {
    reporter: { orgId, keyId: `${orgId}-key`, roles: new Set(roles) },
    authorisedForService: opts.authorised ?? false,
    now: opts.now ?? NOW,
  };
}

function mustApply(status: RobotStatus, event: ReportedEvent, ctx: MachineContext): RobotStatus {
  const outcome = applyEvent(status, event, ctx);
  if (!outcome.ok)
    assert.fail(`${event.type} rejected: ${outcome.rejection.code}: ${outcome.rejection.message}`);
  return outcome.status;
}

/** Asserts the event was accepted; a failure names the rejection (and never leaves assert.ok to guess a message). */
function accepts(outcome: Outcome, what = 'event'): asserts outcome is Extract<Outcome, { ok: true }> {
  if (!outcome.ok) assert.fail(`${what} rejected: ${outcome.rejection.code}: ${outcome.rejection.message}`);
}

function mustReject(outcome: Outcome, kind: Rejection['kind'], code: string, field?: string): Rejection {
  assert.ok(!outcome.ok, `expected rejection ${code}, got state ${outcome.ok ? outcome.status.state : ''}`);
  const r = outcome.rejection;
  assert.equal(r.code, code, r.message);
  assert.equal(r.kind, kind);
  assert.equal(r.field, field);
  return r;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const ACTUATOR_L = {
  kind: 'actuator',
  position: 'left_knee',
  manufacturer: 'Acme Drives',
  partNumber: 'ACT-100',
  serial: 'A1',
} as const;
const ACTUATOR_R = { ...ACTUATOR_L, position: 'right_knee', serial: 'A2' } as const;
const BATTERY = {
  kind: 'battery_pack',
  manufacturer: 'Cellco',
  partNumber: 'BAT-7',
  lot: 'L2026-01',
} as const;
const PASS = { standard: 'GB/T 00000-2026', certificateNumber: 'CERT-1', result: 'pass' } as const;

const maker = ctxOf('org_maker', ['manufacturer']);
const certifier = ctxOf('org_cert', ['certifier']);
const shop = ctxOf('org_shop', ['seller']);
const operator = ctxOf('org_op', ['operator']);
const regulator = ctxOf('org_reg', ['regulator']);

/** A robot made by org_maker, certified (valid until the end of 2026), held by org_maker. */
function certifiedRobot(validUntil = '2026-12-31'): RobotStatus {
  let s = initialStatus('org_maker');
  s = mustApply(
    s,
    ev(
      'manufactured',
      { productionDate: '2026-01-01', components: [ACTUATOR_L, ACTUATOR_R, BATTERY], software: [] },
      at(1),
    ),
    maker,
  );
  return mustApply(s, ev('certified', { ...PASS, validUntil }, at(2)), certifier);
}

/** certifiedRobot, shipped to and received by org_shop. */
function robotAtShop(validUntil?: string): RobotStatus {
  let s = certifiedRobot(validUntil);
  s = mustApply(s, ev('shipped', { toOrgId: 'org_shop' }, at(3)), maker);
  return mustApply(s, ev('received', {}, at(4)), shop);
}

/** robotAtShop, sold to org_op. */
function soldRobot(): RobotStatus {
  return mustApply(robotAtShop(), ev('sold', { toOrgId: 'org_op' }, at(5)), shop);
}

/** soldRobot, activated by org_op. */
function robotInUse(): RobotStatus {
  return mustApply(soldRobot(), ev('activated', { siteType: 'hospital', region: '110105' }, at(6)), operator);
}

// ---------------------------------------------------------------------------------------------------------------
// The whole life

test('happy path: from factory to recycling', () => {
  const fixer = ctxOf('org_fix', ['service_provider'], { authorised: true });
  const newOwner = ctxOf('org_op2', ['operator']);
  const recycler = ctxOf('org_recycler', ['recycler']);
  const history: { event: ReportedEvent; ctx: MachineContext }[] = [];
  let s = initialStatus('org_maker');
  const step = (event: ReportedEvent, ctx: MachineContext) => {
    history.push({ event, ctx });
    s = mustApply(s, event, ctx);
    return s;
  };

  assert.deepEqual(s, {
    state: 'issued',
    resumeState: null,
    suspension: null,
    manufacturerId: 'org_maker',
    custodianId: 'org_maker',
    inTransitTo: null,
    operatorId: null,
    certification: null,
    components: [],
    software: [],
    productionDate: null,
    site: null,
    lastEventTime: null,
    eventCount: 0,
  });

  step(
    ev(
      'manufactured',
      {
        productionDate: '2026-01-01',
        plant: 'Shenzhen 2',
        components: [ACTUATOR_L, ACTUATOR_R, BATTERY],
        software: [
          { target: 'main_controller', version: '1.0.0' },
          { target: 'motion_os', version: '3.2' },
        ],
      },
      at(1),
    ),
    maker,
  );
  assert.equal(s.state, 'manufactured');
  assert.equal(s.productionDate, '2026-01-01');
  assert.deepEqual(s.components, [ACTUATOR_L, ACTUATOR_R, BATTERY]);
  assert.equal(s.software.length, 2);
  assert.equal(s.eventCount, 1);
  assert.equal(s.lastEventTime, at(1));

  step(ev('certified', { ...PASS, validUntil: '2028-12-31' }, at(2)), certifier);
  assert.equal(s.state, 'certified');
  assert.deepEqual(s.certification, {
    standard: 'GB/T 00000-2026',
    certificateNumber: 'CERT-1',
    certifierId: 'org_cert',
    result: 'pass',
    validUntil: '2028-12-31',
    eventTime: at(2),
  });

  step(ev('shipped', { toOrgId: 'org_shop' }, at(3)), maker);
  assert.equal(s.state, 'in_distribution');
  assert.equal(s.inTransitTo, 'org_shop');
  assert.equal(s.custodianId, 'org_maker');

  step(ev('received', {}, at(4)), shop);
  assert.equal(s.state, 'in_distribution');
  assert.equal(s.custodianId, 'org_shop');
  assert.equal(s.inTransitTo, null);

  step(ev('sold', { toOrgId: 'org_op' }, at(5)), shop);
  assert.equal(s.state, 'sold');
  assert.equal(s.custodianId, 'org_op');
  assert.equal(s.operatorId, 'org_op');

  step(ev('activated', { siteType: 'hospital', region: '110105' }, at(6)), operator);
  assert.equal(s.state, 'in_use');
  assert.deepEqual(s.site, { siteType: 'hospital', region: '110105' });

  const NEW_ACTUATOR = { ...ACTUATOR_L, partNumber: 'ACT-110', serial: 'B9' };
  step(
    ev(
      'serviced',
      {
        kind: 'repair',
        description: 'left knee actuator worn',
        replaced: [
          { old: { manufacturer: 'Acme Drives', partNumber: 'ACT-100', serial: 'A1' }, new: NEW_ACTUATOR },
        ],
        software: [
          { target: 'main_controller', version: '1.1.0' },
          { target: 'vision', version: '0.9' },
        ],
      },
      at(7),
    ),
    fixer,
  );
  assert.equal(s.state, 'in_use');
  assert.deepEqual(s.components, [ACTUATOR_R, BATTERY, NEW_ACTUATOR]);
  assert.deepEqual(s.software, [
    { target: 'main_controller', version: '1.1.0' },
    { target: 'motion_os', version: '3.2' },
    { target: 'vision', version: '0.9' },
  ]);

  step(ev('incident_reported', { category: 'fall', severity: 'minor' }, at(8)), operator);
  assert.equal(s.state, 'in_use');
  assert.equal(s.eventCount, 8);

  step(ev('ownership_transferred', { toOrgId: 'org_op2' }, at(9)), operator);
  assert.equal(s.state, 'in_use');
  assert.equal(s.custodianId, 'org_op2');
  assert.equal(s.operatorId, 'org_op2');

  step(ev('decommissioned', { note: 'end of life' }, at(10)), newOwner);
  assert.equal(s.state, 'decommissioned');

  step(ev('shipped', { toOrgId: 'org_recycler' }, at(11)), newOwner);
  assert.equal(s.state, 'decommissioned');
  assert.equal(s.inTransitTo, 'org_recycler');

  step(ev('received', {}, at(12)), recycler);
  assert.equal(s.state, 'decommissioned');
  assert.equal(s.custodianId, 'org_recycler');
  assert.equal(s.inTransitTo, null);

  step(
    ev(
      'recycled',
      {
        components: [
          { partNumber: 'ACT-110', serial: 'B9', outcome: 'reused' },
          { partNumber: 'BAT-7', lot: 'L2026-01', outcome: 'recycled' },
        ],
        materialsKg: { aluminium: 12.5 },
      },
      at(13),
    ),
    recycler,
  );
  assert.equal(s.state, 'recycled');
  assert.equal(s.eventCount, 13);
  assert.equal(s.lastEventTime, at(13));
  assert.deepEqual(allowedEvents(s, recycler), []);

  // The same history replayed gives the same status.
  assert.deepEqual(replay('org_maker', history), { ok: true, status: s });
});

// ---------------------------------------------------------------------------------------------------------------
// Every event type in every state

/** The states each event may be reported in, written out by hand (not read from TRANSITIONS). */
const EXPECTED_FROM: Record<EventType, readonly LifecycleState[]> = {
  manufactured: ['issued'],
  certified: ['manufactured', 'certified', 'in_distribution', 'sold', 'in_use'],
  shipped: ['certified', 'in_distribution', 'sold', 'decommissioned'],
  // While in transit, in any state.
  received: [...STATES],
  sold: ['certified', 'in_distribution'],
  activated: ['sold', 'in_use'],
  serviced: ['manufactured', 'certified', 'in_distribution', 'sold', 'in_use'],
  incident_reported: STATES.filter((st) => st !== 'issued' && st !== 'recycled'),
  ownership_transferred: ['sold', 'in_use'],
  suspended: STATES.filter((st) => st !== 'recycled'),
  // While suspended, in any state.
  reinstated: [...STATES],
  decommissioned: ['manufactured', 'certified', 'in_distribution', 'sold', 'in_use', 'lost', 'stolen'],
  recycled: ['decommissioned'],
  exported: ['certified', 'in_distribution', 'sold', 'in_use'],
  imported: ['exported'],
  reported_lost: ['in_distribution', 'sold', 'in_use'],
  reported_stolen: ['in_distribution', 'sold', 'in_use'],
  recovered: ['lost', 'stolen'],
  corrected: [],
};

/** Where each event takes the robot ('same': stays; 'resume': back to resumeState), by hand. */
const EXPECTED_TO: Record<EventType, LifecycleState | 'same' | 'resume'> = {
  manufactured: 'manufactured',
  certified: 'certified', // from manufactured on a pass, else the same (below)
  shipped: 'in_distribution', // decommissioned stays (below)
  received: 'same',
  sold: 'sold',
  activated: 'in_use',
  serviced: 'same',
  incident_reported: 'same',
  ownership_transferred: 'same',
  suspended: 'same',
  reinstated: 'same',
  decommissioned: 'decommissioned',
  recycled: 'recycled',
  exported: 'exported',
  imported: 'resume',
  reported_lost: 'lost',
  reported_stolen: 'stolen',
  recovered: 'resume',
  corrected: 'same',
};
const STAYS: Partial<Record<EventType, readonly LifecycleState[]>> = {
  certified: ['certified', 'in_distribution', 'sold', 'in_use'],
  shipped: ['decommissioned'],
};

const VALID_PAYLOADS: { [T in EventType]: PayloadByType[T] } = {
  manufactured: { productionDate: '2026-01-01', components: [ACTUATOR_R], software: [] },
  certified: { ...PASS, validUntil: '2030-01-01' },
  shipped: { toOrgId: 'org_b' },
  received: {},
  sold: { toOrgId: 'org_b' },
  activated: { siteType: 'factory', region: 'CN-GD' },
  serviced: { kind: 'maintenance' },
  incident_reported: { category: 'fault', severity: 'minor' },
  ownership_transferred: { toOrgId: 'org_b' },
  suspended: { orderNumber: 'SO-2', reason: 'test' },
  reinstated: { orderNumber: 'SO-1' },
  decommissioned: {},
  recycled: { components: [] },
  exported: { country: 'DE' },
  imported: { country: 'DE' },
  reported_lost: {},
  reported_stolen: {},
  recovered: {},
  corrected: { correctsEventId: 'e1', reason: 'incorrect_data' },
};

const ALL_ROLES = [
  'manufacturer',
  'seller',
  'service_provider',
  'operator',
  'recycler',
  'certifier',
  'regulator',
];

/**
 * A robot in `state`, set up so that `type` would be accepted but for the state: held by org_a (which made it),
 * validly certified, in transit to org_b only for `received`, suspended only for `reinstated`; the reporter
 * holds every role and is the custodian (org_b, the recipient, for `received`).
 */
function fixture(state: LifecycleState, type: EventType) {
  const status: RobotStatus = {
    ...initialStatus('org_a'),
    state,
    resumeState: state === 'lost' || state === 'stolen' || state === 'exported' ? 'in_use' : null,
    suspension: type === 'reinstated' ? { orderNumber: 'SO-1', since: at(0) } : null,
    inTransitTo: type === 'received' ? 'org_b' : null,
    operatorId: 'org_a',
    certification: { ...PASS, certifierId: 'org_c', validUntil: '2030-01-01', eventTime: at(0) },
    components: [ACTUATOR_L],
    lastEventTime: at(0),
    eventCount: 3,
  };
  const ctx = ctxOf(type === 'received' ? 'org_b' : 'org_a', ALL_ROLES, { authorised: true });
  const event = ev(type, VALID_PAYLOADS[type] as never, at(1));
  return { status, ctx, event };
}

test('TRANSITIONS lists the states written out in this test', () => {
  for (const type of EVENT_TYPES) {
    assert.deepEqual([...TRANSITIONS[type].from].sort(), [...EXPECTED_FROM[type]].sort(), type);
  }
  assert.equal(TRANSITIONS.received.only, 'in-transit');
  assert.equal(TRANSITIONS.reinstated.only, 'suspended');
});

test('every event type × every state: accepted exactly where the table allows it', () => {
  let accepted = 0;
  for (const type of EVENT_TYPES) {
    for (const state of STATES) {
      const { status, ctx, event } = fixture(state, type);
      const outcome = applyEvent(status, event, ctx);
      const where = `${type} in ${state}`;
      if (type === 'corrected') {
        mustReject(outcome, 'invalid', 'correction-needs-history');
      } else if (EXPECTED_FROM[type].includes(state)) {
        accepts(outcome, where);
        accepted++;
        const to = STAYS[type]?.includes(state) ? 'same' : EXPECTED_TO[type];
        const expected = to === 'same' ? state : to === 'resume' ? 'in_use' : to;
        assert.equal(outcome.status.state, expected, where);
        assert.equal(outcome.status.eventCount, 4, where);
        assert.equal(outcome.status.lastEventTime, at(1), where);
      } else {
        const r = mustReject(outcome, 'conflict', 'event-not-allowed');
        assert.equal(r.state, state, where);
        assert.match(r.message, new RegExp(`^a robot in state '${state}' cannot be '${type}'`), where);
      }
    }
  }
  assert.equal(
    accepted,
    Object.values(EXPECTED_FROM).reduce((n, states) => n + states.length, 0),
  );
});

test('received needs a shipment under way; reinstated needs a stop-use order', () => {
  const s = robotAtShop();
  const r1 = mustReject(applyEvent(s, ev('received', {}, at(5)), shop), 'conflict', 'event-not-allowed');
  assert.match(
    r1.message,
    /^a robot in state 'in_distribution' cannot be 'received': it is not in transit; allowed now: /,
  );
  const r2 = mustReject(
    applyEvent(s, ev('reinstated', { orderNumber: 'SO-1' }, at(5)), regulator),
    'conflict',
    'event-not-allowed',
  );
  assert.match(r2.message, /: no stop-use order is in force; allowed now: suspended, decommissioned, /);
});

test('nothing leaves decommissioned or recycled towards use: every event type from both states', () => {
  const fromDecommissioned: EventType[] = [];
  const fromRecycled: EventType[] = [];
  for (const type of EVENT_TYPES) {
    for (const state of ['decommissioned', 'recycled'] as const) {
      const { status, ctx, event } = fixture(state, type);
      const outcome = applyEvent(status, event, ctx);
      if (!outcome.ok) {
        assert.ok(
          ['event-not-allowed', 'correction-needs-history'].includes(outcome.rejection.code),
          `${type} from ${state}: ${outcome.rejection.code}`,
        );
        continue;
      }
      (state === 'decommissioned' ? fromDecommissioned : fromRecycled).push(type);
      if (state === 'recycled') assert.equal(outcome.status.state, 'recycled', type);
      else assert.ok(['decommissioned', 'recycled'].includes(outcome.status.state), type);
    }
  }
  // What may still happen, and nothing else: no sale, activation, service, certification, import, recovery.
  assert.deepEqual(fromDecommissioned, [
    'shipped',
    'received',
    'incident_reported',
    'suspended',
    'reinstated',
    'recycled',
  ]);
  assert.deepEqual(fromRecycled, ['received', 'reinstated']);

  // A scrapped robot shipped on and received is still scrapped and cannot be sold.
  let s = mustApply(robotInUse(), ev('decommissioned', {}, at(7)), operator);
  s = mustApply(s, ev('shipped', { toOrgId: 'org_shop' }, at(8)), operator);
  s = mustApply(s, ev('received', {}, at(9)), shop);
  assert.equal(s.state, 'decommissioned');
  const r = mustReject(
    applyEvent(s, ev('sold', { toOrgId: 'org_x' }, at(10)), shop),
    'conflict',
    'event-not-allowed',
  );
  assert.equal(
    r.message,
    "a robot in state 'decommissioned' cannot be 'sold'; allowed now: shipped, incident_reported",
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Time

test('event times: a date-time with offset, not in the future, not before the latest event', () => {
  const s = robotAtShop(); // latest event at(4) = 2026-01-01T12:00:00+08:00
  const sale = (eventTime: string, ctx = shop) =>
    applyEvent(s, ev('sold', { toOrgId: 'org_op' }, eventTime), ctx);

  for (const bad of [
    '2026-01-01',
    '2026-01-01T12:00:00',
    '2026-01-01 12:00:00Z',
    '2026-02-30T12:00:00Z',
    'soon',
  ]) {
    const r = mustReject(sale(bad), 'invalid', 'invalid-event-time', '/eventTime');
    assert.ok(r.message.includes(`got '${bad}'`), r.message);
  }
  accepts(sale('2026-01-01T04:00:00.123456Z'));
  accepts(sale('2026-01-01t04:00:00z'));

  // Before the latest event, compared as instants whatever the offsets.
  mustReject(sale('2026-01-01T11:59:59+08:00'), 'conflict', 'out-of-order', '/eventTime');
  mustReject(sale('2026-01-01T03:59:59Z'), 'conflict', 'out-of-order', '/eventTime');
  accepts(sale('2026-01-01T04:00:00Z'), 'the same instant as the latest event, in another offset');
  accepts(sale(at(4)), 'equal is allowed');
  accepts(sale('2025-12-31T23:30:00-05:00'), 'a later instant although it sorts earlier as a string');

  // The future, with five minutes' grace for clocks that run fast.
  const now = new Date('2026-01-02T00:00:00Z');
  const clocked = ctxOf('org_shop', ['seller'], { now });
  accepts(sale('2026-01-02T00:05:00Z', clocked));
  const r = mustReject(sale('2026-01-02T00:05:01Z', clocked), 'invalid', 'future-event', '/eventTime');
  assert.match(r.message, /is in the future \(the registry's time is 2026-01-02T00:00:00.000Z\)/);
  accepts(sale('2026-01-02T08:04:00+08:00', clocked));
});

test('checks run in order: time, state, reporter, rules', () => {
  const s = robotAtShop();
  const stranger = ctxOf('org_x', []);
  // A future event in the wrong state from the wrong reporter: the time is reported.
  mustReject(
    applyEvent(s, ev('activated', { siteType: 'home', region: 'x' }, '2030-01-01T00:00:00Z'), stranger),
    'invalid',
    'future-event',
    '/eventTime',
  );
  // Wrong state and wrong reporter: the state.
  mustReject(
    applyEvent(s, ev('activated', { siteType: 'home', region: 'x' }, at(5)), stranger),
    'conflict',
    'event-not-allowed',
  );
  // Wrong reporter and a bad payload: the reporter.
  mustReject(
    applyEvent(s, ev('shipped', { toOrgId: 'org_shop' }, at(5)), stranger),
    'forbidden',
    'not-permitted',
  );
  mustReject(
    applyEvent(s, ev('shipped', { toOrgId: 'org_shop' }, at(5)), shop),
    'invalid',
    'same-organisation',
    '/payload/toOrgId',
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Certification

test('no code, no market access: no sale or activation without a valid certification', () => {
  // None: a robot made and shipped without any certification cannot even reach a state that allows a sale,
  // so build the status directly.
  const uncertified: RobotStatus = { ...robotAtShop(), certification: null };
  let r = mustReject(
    applyEvent(uncertified, ev('sold', { toOrgId: 'org_op' }, at(5)), shop),
    'conflict',
    'certification-required',
  );
  assert.equal(
    r.message,
    "no code, no market access: the robot has no certification, so it cannot be 'sold'",
  );
  assert.ok(!r.allowed.includes('sold'), 'sold is not allowed');

  // Failed: a later failed certification replaces the passed one.
  let s = robotAtShop();
  s = mustApply(
    s,
    ev('certified', { ...PASS, certificateNumber: 'CERT-2', result: 'fail' }, at(5)),
    certifier,
  );
  assert.equal(s.state, 'in_distribution');
  r = mustReject(
    applyEvent(s, ev('sold', { toOrgId: 'org_op' }, at(6)), shop),
    'conflict',
    'certification-required',
  );
  assert.match(r.message, /its latest certification \(CERT-2, GB\/T 00000-2026\) failed/);
  // A new pass restores market access.
  s = mustApply(s, ev('certified', { ...PASS, certificateNumber: 'CERT-3' }, at(7)), certifier);
  accepts(applyEvent(s, ev('sold', { toOrgId: 'org_op' }, at(8)), shop));

  // Expired: valid through 2026-01-01 (a date: through that calendar day, as the event time writes it).
  s = robotAtShop('2026-01-01');
  accepts(applyEvent(s, ev('sold', { toOrgId: 'org_op' }, '2026-01-01T23:59:59+08:00'), shop));
  r = mustReject(
    applyEvent(s, ev('sold', { toOrgId: 'org_op' }, '2026-01-02T00:00:00+08:00'), shop),
    'conflict',
    'certification-required',
  );
  assert.match(
    r.message,
    /its certification CERT-1 \(GB\/T 00000-2026\) was valid until 2026-01-01, before 2026-01-02/,
  );

  // Expiry between sale and activation blocks activation.
  s = mustApply(s, ev('sold', { toOrgId: 'org_op' }, '2026-01-01T20:00:00+08:00'), shop);
  mustReject(
    applyEvent(
      s,
      ev('activated', { siteType: 'home', region: 'CN-11' }, '2026-01-03T09:00:00+08:00'),
      operator,
    ),
    'conflict',
    'certification-required',
  );

  // A certification without validUntil does not expire; one with a date-time expires at that instant.
  s = certifiedRobot();
  s = mustApply(s, ev('certified', { ...PASS, certificateNumber: 'CERT-4' }, at(3)), certifier);
  assert.ok(hasValidCertification(s, '2099-01-01T00:00:00Z'));
  s = mustApply(s, ev('certified', { ...PASS, validUntil: '2026-06-30T12:00:00Z' }, at(4)), certifier);
  assert.ok(hasValidCertification(s, '2026-06-30T12:00:00Z'));
  assert.ok(hasValidCertification(s, '2026-06-30T19:59:59+08:00'));
  assert.ok(!hasValidCertification(s, '2026-06-30T12:00:01Z'));
  assert.ok(!hasValidCertification(initialStatus('org_maker'), '2026-01-01T00:00:00Z'));
});

test('a failed first certification leaves the robot manufactured; validUntil must be a date', () => {
  let s = initialStatus('org_maker');
  s = mustApply(
    s,
    ev('manufactured', { productionDate: '2026-01-01', components: [], software: [] }, at(1)),
    maker,
  );
  s = mustApply(s, ev('certified', { ...PASS, result: 'fail' }, at(2)), certifier);
  assert.equal(s.state, 'manufactured');
  assert.equal(s.certification?.result, 'fail');
  mustReject(
    applyEvent(s, ev('certified', { ...PASS, validUntil: 'next year' }, at(3)), certifier),
    'invalid',
    'invalid-date',
    '/payload/validUntil',
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Reporters

test('custody: only the custodian sells, ships, activates; another seller cannot sell', () => {
  const s = robotAtShop();
  const otherShop = ctxOf('org_shop2', ['seller']);
  const r = mustReject(
    applyEvent(s, ev('sold', { toOrgId: 'org_op' }, at(5)), otherShop),
    'forbidden',
    'not-permitted',
  );
  assert.equal(
    r.message,
    "only the robot's custodian (org_shop) with the seller or manufacturer role may report a sale",
  );
  assert.deepEqual(r.allowed, []);
  assert.equal(r.state, 'in_distribution');
  mustReject(
    applyEvent(s, ev('shipped', { toOrgId: 'org_x' }, at(5)), otherShop),
    'forbidden',
    'not-permitted',
  );
  // The manufacturer no longer holds it.
  mustReject(applyEvent(s, ev('shipped', { toOrgId: 'org_x' }, at(5)), maker), 'forbidden', 'not-permitted');

  const sold = soldRobot();
  const r2 = mustReject(
    applyEvent(sold, ev('activated', { siteType: 'home', region: 'CN-11' }, at(6)), shop),
    'forbidden',
    'not-permitted',
  );
  assert.equal(r2.message, "only the robot's custodian (org_op) may report activation");

  // Only the organisation it was shipped to receives it.
  const shipped = mustApply(certifiedRobot(), ev('shipped', { toOrgId: 'org_shop' }, at(3)), maker);
  const r3 = mustReject(
    applyEvent(shipped, ev('received', {}, at(4)), otherShop),
    'forbidden',
    'not-permitted',
  );
  assert.equal(r3.message, 'only the organisation it was shipped to (org_shop) may report receipt');
});

test('roles: manufacturer, certifier, seller, recycler, regulator', () => {
  const issued = initialStatus('org_maker');
  const manufacture = ev(
    'manufactured',
    { productionDate: '2026-01-01', components: [], software: [] },
    at(1),
  );
  // Another manufacturer, or the right organisation without the role.
  let r = mustReject(
    applyEvent(issued, manufacture, ctxOf('org_other', ['manufacturer'])),
    'forbidden',
    'not-permitted',
  );
  assert.equal(
    r.message,
    "only the robot's manufacturer (org_maker) with the manufacturer role may report manufacture",
  );
  mustReject(applyEvent(issued, manufacture, ctxOf('org_maker', ['seller'])), 'forbidden', 'not-permitted');

  const made = mustApply(issued, manufacture, maker);
  r = mustReject(applyEvent(made, ev('certified', PASS, at(2)), maker), 'forbidden', 'not-permitted');
  assert.equal(r.message, 'only an organisation with the certifier role may report certification');

  // The custodian without a seller or manufacturer role cannot sell.
  let s = mustApply(certifiedRobot(), ev('shipped', { toOrgId: 'org_depot' }, at(3)), maker);
  const depot = ctxOf('org_depot', ['operator']);
  s = mustApply(s, ev('received', {}, at(4)), depot);
  mustReject(applyEvent(s, ev('sold', { toOrgId: 'org_op' }, at(5)), depot), 'forbidden', 'not-permitted');
  // The manufacturer role is enough to sell directly.
  accepts(applyEvent(certifiedRobot(), ev('sold', { toOrgId: 'org_op' }, at(3)), maker));

  // Recycling: the custodian with the recycler role, not a recycler that does not hold the robot.
  const scrapped = mustApply(robotInUse(), ev('decommissioned', {}, at(7)), operator);
  mustReject(
    applyEvent(scrapped, ev('recycled', { components: [] }, at(8)), operator),
    'forbidden',
    'not-permitted',
  );
  r = mustReject(
    applyEvent(scrapped, ev('recycled', { components: [] }, at(8)), ctxOf('org_recycler', ['recycler'])),
    'forbidden',
    'not-permitted',
  );
  assert.equal(r.message, "only the robot's custodian (org_op) with the recycler role may report recycling");

  // Stop-use orders: regulators only. Decommissioning: the custodian or a regulator.
  s = robotInUse();
  r = mustReject(
    applyEvent(s, ev('suspended', { orderNumber: 'SO-1', reason: 'x' }, at(7)), operator),
    'forbidden',
    'not-permitted',
  );
  assert.equal(r.message, 'only a regulator may report a stop-use order');
  assert.equal(mustApply(s, ev('decommissioned', {}, at(7)), regulator).state, 'decommissioned');
  mustReject(applyEvent(s, ev('decommissioned', {}, at(7)), shop), 'forbidden', 'not-permitted');
});

test('service and incidents: the custodian or a service provider it has authorised', () => {
  const s = robotInUse();
  const service = ev('serviced', { kind: 'inspection' }, at(7));
  const incident = ev(
    'incident_reported',
    { category: 'collision', severity: 'moderate', injuries: 0 },
    at(7),
  );
  for (const event of [service, incident]) {
    accepts(applyEvent(s, event, operator));
    accepts(applyEvent(s, event, ctxOf('org_fix', ['service_provider'], { authorised: true })));
    mustReject(
      applyEvent(s, event, ctxOf('org_fix', ['service_provider'], { authorised: false })),
      'forbidden',
      'not-permitted',
    );
  }
  const r = mustReject(
    applyEvent(s, service, ctxOf('org_fix', ['service_provider'])),
    'forbidden',
    'not-permitted',
  );
  assert.equal(
    r.message,
    "only the robot's custodian (org_op) or a service provider it has authorised may report service",
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Suspension, loss, export

test('a stop-use order blocks activation until a regulator reinstates the robot with the same order number', () => {
  let s = soldRobot();
  const activate = (time: string) =>
    applyEvent(s, ev('activated', { siteType: 'office', region: 'CN-31' }, time), operator);
  s = mustApply(
    s,
    ev('suspended', { orderNumber: 'SO-2026-17', reason: 'battery fire risk' }, at(6)),
    regulator,
  );
  assert.equal(s.state, 'sold');
  assert.deepEqual(s.suspension, { orderNumber: 'SO-2026-17', since: at(6) });
  assert.ok(!allowedEvents(s, operator).includes('activated'), 'activation is not allowed');

  let r = mustReject(activate(at(7)), 'conflict', 'suspended');
  assert.equal(
    r.message,
    `the robot is under stop-use order SO-2026-17 (since ${at(6)}): it cannot be 'activated' until a regulator reinstates it`,
  );
  // Transfers and recoveries are blocked too; service and incidents are not.
  mustReject(
    applyEvent(s, ev('ownership_transferred', { toOrgId: 'org_op2' }, at(7)), operator),
    'conflict',
    'suspended',
  );
  accepts(applyEvent(s, ev('serviced', { kind: 'repair' }, at(7)), operator));

  r = mustReject(
    applyEvent(s, ev('suspended', { orderNumber: 'SO-2026-18', reason: 'again' }, at(7)), regulator),
    'conflict',
    'already-suspended',
  );
  assert.ok(!allowedEvents(s, regulator).includes('suspended'), 'a second order is not allowed');
  r = mustReject(
    applyEvent(s, ev('reinstated', { orderNumber: 'SO-2026-18' }, at(8)), regulator),
    'invalid',
    'order-mismatch',
    '/payload/orderNumber',
  );
  assert.equal(r.message, 'stop-use order SO-2026-18 is not the one in force (SO-2026-17)');
  mustReject(
    applyEvent(s, ev('reinstated', { orderNumber: 'SO-2026-17' }, at(8)), operator),
    'forbidden',
    'not-permitted',
  );

  s = mustApply(s, ev('reinstated', { orderNumber: 'SO-2026-17', note: 'fixed' }, at(8)), regulator);
  assert.equal(s.suspension, null);
  assert.equal(
    mustApply(s, ev('activated', { siteType: 'office', region: 'CN-31' }, at(9)), operator).state,
    'in_use',
  );
});

test('lost or stolen, then recovered: back to the state before', () => {
  let s = robotInUse();
  s = mustApply(s, ev('reported_lost', {}, at(7)), operator);
  assert.equal(s.state, 'lost');
  assert.equal(s.resumeState, 'in_use');
  assert.deepEqual(allowedEvents(s, operator), ['incident_reported', 'decommissioned', 'recovered']);
  s = mustApply(s, ev('recovered', {}, at(8)), operator);
  assert.equal(s.state, 'in_use');
  assert.equal(s.resumeState, null);

  // Stolen from a shop, reported by a regulator, recovered by the shop.
  s = robotAtShop();
  s = mustApply(s, ev('reported_stolen', { note: 'break-in' }, at(5)), regulator);
  assert.equal(s.state, 'stolen');
  s = mustApply(s, ev('suspended', { orderNumber: 'SO-9', reason: 'stolen' }, at(6)), regulator);
  mustReject(applyEvent(s, ev('recovered', {}, at(7)), shop), 'conflict', 'suspended');
  s = mustApply(s, ev('reinstated', { orderNumber: 'SO-9' }, at(7)), regulator);
  s = mustApply(s, ev('recovered', {}, at(8)), shop);
  assert.equal(s.state, 'in_distribution');
  // A lost robot may be written off.
  s = mustApply(s, ev('reported_lost', {}, at(9)), shop);
  s = mustApply(s, ev('decommissioned', {}, at(10)), shop);
  assert.equal(s.state, 'decommissioned');
  assert.equal(s.resumeState, null);
});

test('exported, then imported by another organisation: back to the state before, with a new custodian', () => {
  let s = soldRobot();
  s = mustApply(s, ev('exported', { country: 'DE', counterparty: 'Robo GmbH' }, at(6)), operator);
  assert.equal(s.state, 'exported');
  assert.equal(s.resumeState, 'sold');
  mustReject(
    applyEvent(s, ev('activated', { siteType: 'home', region: 'x' }, at(7)), operator),
    'conflict',
    'event-not-allowed',
  );
  const importer = ctxOf('org_imp', []);
  assert.deepEqual(allowedEvents(s, importer), ['imported']);
  s = mustApply(s, ev('imported', { country: 'DE' }, at(7)), importer);
  assert.equal(s.state, 'sold');
  assert.equal(s.resumeState, null);
  assert.equal(s.custodianId, 'org_imp');
});

// ---------------------------------------------------------------------------------------------------------------
// Payload rules

test('manufactured: no duplicate components, productionDate not after the event (its day anywhere)', () => {
  const issued = initialStatus('org_maker');
  const make = (payload: PayloadByType['manufactured'], time = at(1)) =>
    applyEvent(issued, ev('manufactured', payload, time), maker);

  const r = mustReject(
    make({
      productionDate: '2026-01-01',
      components: [ACTUATOR_L, BATTERY, { ...ACTUATOR_R, serial: 'A1' }],
      software: [],
    }),
    'invalid',
    'duplicate-component',
    '/payload/components/2',
  );
  assert.equal(r.message, 'component ACT-100 with serial A1 is listed twice');
  // Lot-tracked parts (no serial) may repeat.
  accepts(make({ productionDate: '2026-01-01', components: [BATTERY, BATTERY], software: [] }));

  // at(1) is 2026-01-01T09:00+08:00: a date is compared with that calendar day.
  mustReject(
    make({ productionDate: '2026-01-02', components: [], software: [] }),
    'invalid',
    'production-after-event',
    '/payload/productionDate',
  );
  mustReject(
    make({ productionDate: '2026-01-01T09:00:01+08:00', components: [], software: [] }),
    'invalid',
    'production-after-event',
    '/payload/productionDate',
  );
  accepts(make({ productionDate: '2026-01-01T09:00:00+08:00', components: [], software: [] }));
  // Events are kept in UTC, a date names no zone: 18:30 UTC on 31 December is 02:30 on 1 January in Shanghai,
  // where the robot was made that day. A date after the event's day anywhere (its day at +14:00) is refused.
  const inShanghaiAtHalfPastTwo = '2025-12-31T18:30:00.000Z';
  accepts(make({ productionDate: '2026-01-01', components: [], software: [] }, inShanghaiAtHalfPastTwo));
  mustReject(
    make({ productionDate: '2026-01-02', components: [], software: [] }, inShanghaiAtHalfPastTwo),
    'invalid',
    'production-after-event',
    '/payload/productionDate',
  );
  mustReject(
    make({ productionDate: '2026-01-01', components: [], software: [] }, '2025-12-31T09:59:59.000Z'),
    'invalid',
    'production-after-event',
    '/payload/productionDate',
  );
  accepts(make({ productionDate: '2026-01-01', components: [], software: [] }, '2025-12-31T10:00:00.000Z'));
  mustReject(
    make({ productionDate: '2026-13-01', components: [], software: [] }),
    'invalid',
    'invalid-date',
    '/payload/productionDate',
  );
});

test('serviced: replaced components must be fitted (by serial, else lot); software by target', () => {
  const s = robotInUse();
  const NEW = { ...ACTUATOR_L, serial: 'N1' };
  const service = (replaced: PayloadByType['serviced']['replaced']) =>
    applyEvent(s, ev('serviced', { kind: 'repair', replaced }, at(7)), operator);

  let r = mustReject(
    service([
      { old: { manufacturer: 'Acme Drives', partNumber: 'ACT-100', serial: 'A2' }, new: NEW },
      {
        old: { manufacturer: 'Acme Drives', partNumber: 'ACT-100', serial: 'A9' },
        new: { ...NEW, serial: 'N2' },
      },
    ]),
    'invalid',
    'component-not-fitted',
    '/payload/replaced/1/old',
  );
  assert.equal(r.message, 'no component ACT-100 serial A9 is fitted in this robot');
  // Wrong lot; wrong part number.
  mustReject(
    service([{ old: { manufacturer: 'Cellco', partNumber: 'BAT-7', lot: 'L2025-12' }, new: BATTERY }]),
    'invalid',
    'component-not-fitted',
    '/payload/replaced/0/old',
  );
  mustReject(
    service([{ old: { manufacturer: 'Acme Drives', partNumber: 'ACT-999', serial: 'A1' }, new: NEW }]),
    'invalid',
    'component-not-fitted',
    '/payload/replaced/0/old',
  );
  // The same old component cannot be replaced twice in one event.
  mustReject(
    service([
      { old: { manufacturer: 'Acme Drives', partNumber: 'ACT-100', serial: 'A1' }, new: NEW },
      {
        old: { manufacturer: 'Acme Drives', partNumber: 'ACT-100', serial: 'A1' },
        new: { ...NEW, serial: 'N2' },
      },
    ]),
    'invalid',
    'component-not-fitted',
    '/payload/replaced/1/old',
  );
  // A new component identical to one still fitted.
  mustReject(
    service([{ old: { manufacturer: 'Cellco', partNumber: 'BAT-7', lot: 'L2026-01' }, new: ACTUATOR_R }]),
    'invalid',
    'duplicate-component',
    '/payload/replaced/0/new',
  );

  const NEW_BATTERY = { ...BATTERY, lot: 'L2026-09' };
  const outcome = service([
    { old: { manufacturer: 'Cellco', partNumber: 'BAT-7', lot: 'L2026-01' }, new: NEW_BATTERY },
  ]);
  accepts(outcome);
  assert.deepEqual(outcome.status.components, [ACTUATOR_L, ACTUATOR_R, NEW_BATTERY]);
  r = mustReject(
    applyEvent(s, ev('shipped', { toOrgId: 'org_op' }, at(7)), operator),
    'conflict',
    'event-not-allowed',
  );
  assert.equal(r.state, 'in_use');
});

test('shipping and transfer go to another organisation; no sale while in transit', () => {
  let s = robotAtShop();
  mustReject(
    applyEvent(s, ev('shipped', { toOrgId: 'org_shop' }, at(5)), shop),
    'invalid',
    'same-organisation',
    '/payload/toOrgId',
  );
  s = mustApply(s, ev('shipped', { toOrgId: 'org_shop2' }, at(5)), shop);
  const r = mustReject(
    applyEvent(s, ev('sold', { toOrgId: 'org_op' }, at(6)), shop),
    'conflict',
    'in-transit',
  );
  assert.equal(
    r.message,
    "the robot is in transit to org_shop2: it must be received before it can be 'sold'",
  );
  assert.ok(!allowedEvents(s, shop).includes('sold'), 'no sale while in transit');

  const inUse = robotInUse();
  const r2 = mustReject(
    applyEvent(inUse, ev('ownership_transferred', { toOrgId: 'org_op' }, at(7)), operator),
    'invalid',
    'same-organisation',
    '/payload/toOrgId',
  );
  assert.equal(
    r2.message,
    'the robot cannot be transferred to the organisation that already holds it (org_op)',
  );
});

test('corrections are not transitions', () => {
  const r = mustReject(
    applyEvent(
      robotInUse(),
      ev('corrected', { correctsEventId: 'e42', reason: 'did_not_occur' }, at(7)),
      regulator,
    ),
    'invalid',
    'correction-needs-history',
  );
  assert.match(r.message, /e42/);
  assert.equal(r.state, 'in_use');
});

// ---------------------------------------------------------------------------------------------------------------
// Replay, immutability, allowedEvents

test('replay applies in order and reports the index of the first rejection', () => {
  const events = [
    {
      event: ev('manufactured', { productionDate: '2026-01-01', components: [], software: [] }, at(1)),
      ctx: maker,
    },
    { event: ev('certified', PASS, at(2)), ctx: certifier },
    { event: ev('shipped', { toOrgId: 'org_shop' }, at(3)), ctx: maker },
    { event: ev('sold', { toOrgId: 'org_op' }, at(4)), ctx: shop }, // not received yet: org_maker still holds it
    { event: ev('received', {}, at(5)), ctx: shop },
  ];
  const failed = replay('org_maker', events);
  assert.equal(failed.ok, false);
  assert.equal(failed.index, 3);
  assert.ok(!failed.ok && failed.rejection.code === 'not-permitted', 'rejected as not permitted');

  // Without the bad event (as a correction would replay): fine.
  const fixed = replay('org_maker', [...events.slice(0, 3), ...events.slice(4)]);
  accepts(fixed);
  assert.equal(fixed.index, undefined);
  assert.equal(fixed.status.custodianId, 'org_shop');
  assert.equal(fixed.status.eventCount, 4);

  assert.deepEqual(replay('org_maker', []), { ok: true, status: initialStatus('org_maker') });
});

test('applyEvent never mutates its input', () => {
  const before = deepFreeze(robotInUse());
  const copy = structuredClone(before);
  const events = [
    ev(
      'serviced',
      {
        kind: 'repair',
        replaced: [
          {
            old: { manufacturer: 'Acme Drives', partNumber: 'ACT-100', serial: 'A1' },
            new: { ...ACTUATOR_L, serial: 'N1' },
          },
        ],
        software: [{ target: 'main_controller', version: '2.0' }],
      },
      at(7),
    ),
    ev('suspended', { orderNumber: 'SO-1', reason: 'x' }, at(7)),
    ev('reported_stolen', {}, at(7)),
    ev('ownership_transferred', { toOrgId: 'org_op2' }, at(7)),
    ev('decommissioned', {}, at(7)),
  ];
  for (const event of events) {
    deepFreeze(event);
    const ctx = event.type === 'suspended' ? regulator : ctxOf('org_op', ['operator'], { authorised: true });
    const outcome = applyEvent(before, event, ctx);
    accepts(outcome, event.type);
    assert.notEqual(outcome.status, before);
  }
  assert.deepEqual(before, copy);

  // The new status does not share changed arrays with the old one.
  const after = mustApply(before, events[0]!, operator);
  assert.notEqual(after.components, before.components);
  assert.notEqual(after.software, before.software);
  assert.equal(before.components.length, 3);
});

test('allowedEvents: what this reporter may report now', () => {
  const issued = initialStatus('org_maker');
  assert.deepEqual(allowedEvents(issued, maker), ['manufactured']);
  assert.deepEqual(allowedEvents(issued, regulator), ['suspended']);
  assert.deepEqual(allowedEvents(issued, ctxOf('org_x', ['manufacturer'])), []);

  const made = mustApply(
    issued,
    ev('manufactured', { productionDate: '2026-01-01', components: [], software: [] }, at(1)),
    maker,
  );
  assert.deepEqual(allowedEvents(made, certifier), ['certified']);
  assert.deepEqual(allowedEvents(made, maker), ['serviced', 'incident_reported', 'decommissioned']);

  const atShop = robotAtShop('2027-12-31');
  assert.deepEqual(allowedEvents(atShop, shop), [
    'shipped',
    'sold',
    'serviced',
    'incident_reported',
    'decommissioned',
    'exported',
    'reported_lost',
    'reported_stolen',
  ]);
  // After the certification expires (by the registry's clock), no sale.
  const later = ctxOf('org_shop', ['seller'], { now: new Date('2028-01-01T00:00:00Z') });
  assert.ok(!allowedEvents(atShop, later).includes('sold'), 'no sale after expiry');

  const inUse = robotInUse();
  assert.deepEqual(allowedEvents(inUse, regulator), [
    'suspended',
    'decommissioned',
    'reported_lost',
    'reported_stolen',
  ]);
  assert.deepEqual(allowedEvents(inUse, ctxOf('org_fix', ['service_provider'], { authorised: true })), [
    'serviced',
    'incident_reported',
  ]);
  const shipped = mustApply(certifiedRobot(), ev('shipped', { toOrgId: 'org_shop' }, at(3)), maker);
  assert.deepEqual(allowedEvents(shipped, shop), ['received']);

  // The rejection carries the same list.
  const r = mustReject(
    applyEvent(inUse, ev('sold', { toOrgId: 'org_x' }, at(7)), regulator),
    'conflict',
    'event-not-allowed',
  );
  assert.deepEqual(r.allowed, allowedEvents(inUse, regulator));
  assert.equal(
    r.message,
    "a robot in state 'in_use' cannot be 'sold'; allowed now: suspended, decommissioned, reported_lost, reported_stolen",
  );
});

// ---------------------------------------------------------------------------------------------------------------
// EPCIS

/** CBV 2.0 business steps and dispositions (https://ref.gs1.org/cbv/). */
const CBV_BIZ_STEPS = new Set(
  'accepting arriving assembling collecting commissioning consigning creating_class_instance cycle_counting decommissioning departing destroying disassembling dispensing encoding entering_exiting holding inspecting installing killing loading other packing picking receiving removing repackaging repairing replacing reserving retail_selling sampling sensor_reporting shipping staging_outbound stock_taking stocking storing transporting unloading unpacking void_shipping'.split(
    ' ',
  ),
);
const CBV_DISPOSITIONS = new Set(
  'active available completeness_verified completeness_inferred conformant container_closed container_open damaged destroyed dispensed disposed encoded expired in_progress in_transit inactive mismatch_instance mismatch_class mismatch_quantity needs_replacement no_pedigree_match non_conformant non_sellable_other partially_dispensed recalled reserved retail_sold returned sellable_accessible sellable_not_accessible stolen unavailable unknown'.split(
    ' ',
  ),
);

test('EPCIS outbound: every event type, CBV terms or registry URNs, every payload field placed', () => {
  assert.deepEqual(Object.keys(OUTBOUND).sort(), [...EVENT_TYPES].sort());
  const cbvOrOurs = (v: string) => CBV_BIZ_STEPS.has(v) || v.startsWith('urn:robotid:');
  for (const [type, m] of Object.entries(OUTBOUND)) {
    if (m.bizStep !== null) assert.ok(cbvOrOurs(m.bizStep), type);
    if (m.disposition !== null) assert.ok(CBV_DISPOSITIONS.has(m.disposition), `${type}: ${m.disposition}`);
    if (m.eventType === 'ObjectEvent') assert.notEqual(m.action, null, type);
    if (m.fit === 'exact') assert.ok(m.bizStep !== null && CBV_BIZ_STEPS.has(m.bizStep), type);
    const fields = Object.keys((PAYLOAD_SCHEMAS[type as EventType] as { properties: object }).properties);
    assert.deepEqual(Object.keys(m.fields).sort(), fields.sort(), `${type}: every payload field, once`);
    for (const [field, p] of Object.entries(m.fields)) {
      if (p.to === 'bizStep')
        for (const v of Object.values(p.values)) assert.ok(cbvOrOurs(v), `${type}.${field}`);
      if (p.to === 'disposition')
        for (const v of Object.values(p.values)) assert.ok(CBV_DISPOSITIONS.has(v), `${type}.${field}`);
      if (p.to === 'parts') assert.ok(m.parts.length > 0, `${type}.${field}: parts with no rule`);
    }
    for (const rule of m.parts) assert.ok(CBV_BIZ_STEPS.has(rule.bizStep), `${type}: ${rule.bizStep}`);
  }
  assert.equal(OUTBOUND.manufactured.bizStep, 'commissioning');
  assert.equal(OUTBOUND.manufactured.action, 'ADD');
  assert.equal(OUTBOUND.recycled.action, 'DELETE');
  assert.equal(OUTBOUND.reported_stolen.disposition, 'stolen');
  assert.deepEqual(OUTBOUND.sold.fields.toOrgId, {
    to: 'destinationList',
    uri: 'org',
    types: ['owning_party', 'possessing_party'],
  });
});

/** The evidence an event written by OUTBOUND carries, as the inbound rules look for it. */
function evidenceOf(type: EventType): Set<Evidence> {
  const m = OUTBOUND[type];
  const ev = new Set<Evidence>();
  for (const p of Object.values(m.fields)) {
    if (p.to === 'bizLocation') ev.add('bizLocation');
    if (p.to === 'certificationInfo') ev.add('certificationInfo');
    if (p.to === 'destinationList' && p.uri === 'country') ev.add('countryDestination');
    if (p.to === 'sourceList' && p.uri === 'country') ev.add('countrySource');
  }
  return ev;
}

test('EPCIS inbound: what export writes for each event type reads back as that type (and each service kind)', () => {
  for (const type of EVENT_TYPES) {
    const m = OUTBOUND[type];
    if (m.eventType === null) continue;
    const facts = {
      eventType: m.eventType,
      action: m.action ?? undefined,
      disposition: m.disposition ?? undefined,
      evidence: evidenceOf(type),
    };
    const kinds =
      m.fields.kind?.to === 'bizStep' ? Object.entries(m.fields.kind.values) : [[undefined, m.bizStep]];
    for (const [kind, bizStep] of kinds) {
      const rule = inboundRuleFor({ ...facts, bizStep: bizStep ?? undefined });
      assert.equal(rule?.lifecycle, type, `${type} ${kind ?? ''}`);
      if (kind) assert.equal(rule?.kind, kind);
    }
    for (const parts of m.parts) {
      const rule = inboundRuleFor({
        eventType: 'AssociationEvent',
        action: parts.action,
        bizStep: parts.bizStep,
        disposition: undefined,
        evidence: new Set(['partOf']),
      });
      assert.equal(rule?.lifecycle, type, `${type}: parts ${parts.action}`);
      assert.equal(rule?.partsOf, true);
    }
  }
  const obs = (bizStep: string, evidence: Evidence[] = [], disposition?: string) =>
    inboundRuleFor({
      eventType: 'ObjectEvent',
      action: 'OBSERVE',
      bizStep,
      disposition,
      evidence: new Set(evidence),
    });
  // The list, with CBV terms in any written form.
  assert.equal(obs('https://ref.gs1.org/cbv/BizStep-commissioning', ['bizLocation'])?.lifecycle, 'activated');
  assert.equal(obs('commissioning'), undefined, 'commissioning seen again, at no site, means nothing');
  assert.equal(obs('urn:epcglobal:cbv:bizstep:inspecting', ['certificationInfo'])?.lifecycle, 'certified');
  assert.equal(obs('urn:robotid:bizstep:certifying', ['certificationInfo'])?.lifecycle, 'certified');
  assert.equal(obs('retail_selling')?.lifecycle, 'sold');
  assert.equal(obs('destroying')?.lifecycle, 'recycled');
  assert.equal(obs('holding', [], 'urn:epcglobal:cbv:disp:recalled')?.lifecycle, 'suspended');
  assert.equal(obs('holding', [], 'in_progress'), undefined);
  assert.equal(obs('stocking'), undefined, 'a CBV step with no lifecycle meaning');
  const declared = inboundRuleFor({
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: undefined,
    evidence: new Set(['errorDeclaration']),
  });
  assert.equal(declared?.lifecycle, 'corrected');
  for (const rule of INBOUND)
    for (const step of rule.bizSteps)
      assert.ok(CBV_BIZ_STEPS.has(step) || step.startsWith('urn:robotid:'), step);
});

test('software is the same when it says the same, target by target in order: none and none is no change', () => {
  const os = { target: 'motion_os', version: '1.0.0' };
  const controller = { target: 'main_controller', version: '2.1.0' };
  assert.equal(sameSoftware([], []), true);
  assert.equal(sameSoftware([os, controller], [{ ...os }, { ...controller }]), true);
  assert.equal(sameSoftware([os], [{ ...os, version: '1.0.1' }]), false);
  assert.equal(sameSoftware([os], [os, controller]), false);
  assert.equal(sameSoftware([os, controller], [controller, os]), false);
});
