// The lifecycle rules beyond the transition table: counterparties, corrections, serialised parts in one robot at a
// time, and when a service authorisation is asked for. Each allowed and each refused case, with the error a
// capture answers (code, kind, field, messages).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorKind } from '../../src/domain/errors.js';
import { assertCounterparty, hasCounterparty } from '../../src/domain/lifecycle/counterparties.js';
import {
  isReplayed,
  mayCorrect,
  replayStep,
  statusAfterCorrection,
  voidedByCorrection,
  type PastEvent,
} from '../../src/domain/lifecycle/corrections.js';
import { EVENT_TYPES, type Component, type ReportedEvent } from '../../src/domain/lifecycle/events.js';
import { assertNotFittedElsewhere, componentChanges } from '../../src/domain/lifecycle/fitted-parts.js';
import { applyEvent, initialStatus } from '../../src/domain/lifecycle/machine.js';
import { needsServiceAuthorisation } from '../../src/domain/lifecycle/rules.js';
import type { RobotStatus } from '../../src/domain/lifecycle/status.js';

const ROBOT = 'CN0001H00001R0000000000000001';
const AT = '/events/3';
const NOW = new Date('2027-01-01T00:00:00Z');

/** The DomainError a capture turns into the event's problem: one field at fault, with its own message. */
function refusal(kind: ErrorKind, code: string, message: string, field: string, fieldMessage: string) {
  return { name: 'DomainError', kind, code, message, fields: [{ field, message: fieldMessage }] };
}

const roles = (...names: string[]): ReadonlySet<string> => new Set(names);

// ---------------------------------------------------------------------------------------------------------------
// Counterparties

const handOver = (type: 'shipped' | 'sold' | 'ownership_transferred') =>
  ({
    eventId: 'e1',
    type,
    robotId: ROBOT,
    eventTime: '2026-01-01T00:00:00Z',
    payload: { toOrgId: 'org_to' },
  }) as const;

test('counterparties: shipments, sales and transfers of ownership name one; no other event does', () => {
  const named = EVENT_TYPES.filter((type) =>
    hasCounterparty({ eventId: 'e1', type, robotId: ROBOT, eventTime: '', payload: {} } as ReportedEvent),
  );
  assert.deepEqual(named, ['shipped', 'sold', 'ownership_transferred']);
});

test('counterparties: a shipment goes to any registered organisation', () => {
  assert.doesNotThrow(() => assertCounterparty(handOver('shipped'), roles(), AT));
  assert.doesNotThrow(() => assertCounterparty(handOver('shipped'), roles('recycler'), AT));
  assert.throws(
    () => assertCounterparty(handOver('shipped'), null, AT),
    refusal(
      'invalid',
      'unknown-organisation',
      'no organisation org_to',
      '/events/3/payload/toOrgId',
      'not a registered organisation',
    ),
  );
});

test('counterparties: a sale or a transfer of ownership goes to a registered operator', () => {
  for (const type of ['sold', 'ownership_transferred'] as const) {
    assert.doesNotThrow(() => assertCounterparty(handOver(type), roles('operator'), AT), type);
    assert.doesNotThrow(() => assertCounterparty(handOver(type), roles('seller', 'operator'), AT), type);
    for (const other of [roles(), roles('seller', 'manufacturer', 'regulator')]) {
      assert.throws(
        () => assertCounterparty(handOver(type), other, AT),
        refusal(
          'invalid',
          'not-an-operator',
          'org_to is not registered as an operator',
          '/events/3/payload/toOrgId',
          'must have the operator role',
        ),
        type,
      );
    }
    assert.throws(
      () => assertCounterparty(handOver(type), null, AT),
      { code: 'unknown-organisation' },
      `${type}: an unknown organisation is that, before it is no operator`,
    );
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Corrections

const past = (
  eventId: string,
  orgId: string,
  type: PastEvent['type'] = 'serviced',
  payload: unknown = {},
) => ({
  eventId,
  type,
  orgId,
  keyId: `${orgId}-key`,
  eventTime: '2026-01-01T00:00:00Z',
  payload,
});
const correction = (eventId: string, orgId: string, correctsEventId: string) =>
  past(eventId, orgId, 'corrected', { correctsEventId, reason: 'other' });

test('corrections: the organisation that reported an event, or a regulator, may correct it; nobody else', () => {
  const event = past('e1', 'org_a');
  assert.equal(mayCorrect(event, { orgId: 'org_a', roles: roles() }), true, 'its reporter');
  assert.equal(mayCorrect(event, { orgId: 'org_reg', roles: roles('regulator') }), true, 'a regulator');
  assert.equal(mayCorrect(event, { orgId: 'org_b', roles: roles() }), false, 'another organisation');
  assert.equal(
    mayCorrect(event, { orgId: 'org_b', roles: roles('manufacturer', 'admin', 'service_provider') }),
    false,
    'another organisation, whatever its other roles',
  );
});

test('corrections: what a correction leaves out of the history', () => {
  const history = [
    past('e1', 'org_a'),
    past('e2', 'org_a'),
    correction('c1', 'org_a', 'e1'),
    past('e3', 'org_b'),
  ];
  const reporter = { orgId: 'org_a', roles: roles() };
  assert.deepEqual(voidedByCorrection(ROBOT, history, 'e2', reporter, AT), new Set(['e1', 'e2']));
  const regulator = { orgId: 'org_reg', roles: roles('regulator') };
  assert.deepEqual(voidedByCorrection(ROBOT, history, 'e3', regulator, AT), new Set(['e1', 'e3']));
  assert.deepEqual(voidedByCorrection(ROBOT, [past('e1', 'org_a')], 'e1', reporter, AT), new Set(['e1']));
});

test('corrections: refused for no such event, a correction, another’s event or one corrected already', () => {
  const field = '/events/3/payload/correctsEventId';
  const history = [past('e1', 'org_a'), correction('c1', 'org_a', 'e1'), past('e2', 'org_b')];
  const orgA = { orgId: 'org_a', roles: roles() };
  const unknown = (id: string) =>
    refusal(
      'invalid',
      'unknown-event',
      `robot ${ROBOT} has no event ${id} to correct`,
      field,
      'no such event of this robot',
    );
  assert.throws(() => voidedByCorrection(ROBOT, history, 'e9', orgA, AT), unknown('e9'));
  assert.throws(() => voidedByCorrection(ROBOT, history, 'c1', orgA, AT), unknown('c1'), 'not a correction');
  assert.throws(
    () => voidedByCorrection(ROBOT, history, 'e2', orgA, AT),
    refusal(
      'forbidden',
      'not-permitted',
      'only the organisation that reported an event, or a regulator, may correct it',
      field,
      'not yours to correct',
    ),
  );
  assert.throws(
    () => voidedByCorrection(ROBOT, history, 'e1', orgA, AT),
    refusal('conflict', 'already-corrected', 'event e1 was corrected already', field, 'corrected already'),
  );
  // The order of the checks: what is not there, then whose it is, then whether it was corrected already.
  const orgB = { orgId: 'org_b', roles: roles() };
  assert.throws(() => voidedByCorrection(ROBOT, history, 'c1', orgB, AT), { code: 'unknown-event' });
  assert.throws(() => voidedByCorrection(ROBOT, history, 'e1', orgB, AT), { code: 'not-permitted' });
});

test('corrections: the replay leaves out corrections and what is voided', () => {
  const voided = new Set(['e1']);
  assert.equal(isReplayed(past('e1', 'org_a'), voided), false);
  assert.equal(isReplayed(correction('c1', 'org_a', 'e1'), voided), false);
  assert.equal(isReplayed(correction('c2', 'org_a', 'e7'), new Set()), false);
  assert.equal(isReplayed(past('e2', 'org_a'), voided), true);
});

test('corrections: each past event is replayed as its reporter, with the roles given, authorised for service', () => {
  const step = replayStep(
    ROBOT,
    past('e1', 'org_sp', 'serviced', { kind: 'repair' }),
    roles('service_provider'),
    NOW,
  );
  assert.deepEqual(step, {
    event: {
      eventId: 'e1',
      type: 'serviced',
      robotId: ROBOT,
      eventTime: '2026-01-01T00:00:00Z',
      payload: { kind: 'repair' },
    },
    ctx: {
      reporter: { orgId: 'org_sp', keyId: 'org_sp-key', roles: roles('service_provider') },
      authorisedForService: true,
      now: NOW,
    },
  });
});

/** A robot made by org_maker and sold to org_op, who activated it: its history and status. */
function soldAndActivated() {
  const history = [
    past('m', 'org_maker', 'manufactured', { productionDate: '2026-01-01', components: [], software: [] }),
    past('c', 'org_cert', 'certified', { standard: 'GB/T 1', certificateNumber: 'C-1', result: 'pass' }),
    past('s', 'org_maker', 'sold', { toOrgId: 'org_op' }),
    past('a', 'org_op', 'activated', { siteType: 'home', region: '110101' }),
  ].map((e, i) => ({ ...e, eventTime: `2026-01-0${i + 1}T00:00:00Z` }));
  const roleOf: Record<string, ReadonlySet<string>> = {
    org_maker: roles('manufacturer'),
    org_cert: roles('certifier'),
    org_op: roles('operator'),
  };
  const steps = (voided: Set<string>) =>
    history.filter((e) => isReplayed(e, voided)).map((e) => replayStep(ROBOT, e, roleOf[e.orgId]!, NOW));
  let status: RobotStatus = initialStatus('org_maker');
  for (const { event, ctx } of steps(new Set())) {
    const outcome = applyEvent(status, event, ctx);
    assert.ok(outcome.ok, `${event.type} applies`);
    status = outcome.status;
  }
  // Two further events (say, incidents) took the robot's latest event time on.
  return { status: { ...status, lastEventTime: '2026-02-01T00:00:00Z', eventCount: 6 }, steps };
}

test('corrections: the status is the replay’s, with the latest event time kept and the correction counted', () => {
  const { status, steps } = soldAndActivated();
  const outcome = statusAfterCorrection(status, 'a', steps(new Set(['a'])));
  assert.ok(outcome.ok, 'the activation can go');
  assert.equal(outcome.status.state, 'sold');
  assert.equal(outcome.status.site, null);
  assert.equal(outcome.status.lastEventTime, '2026-02-01T00:00:00Z', 'later reports still may not go back');
  assert.equal(outcome.status.eventCount, 7);
});

test('corrections: refused when an event of the rest of the history no longer holds', () => {
  const { status, steps } = soldAndActivated();
  const outcome = statusAfterCorrection(status, 's', steps(new Set(['s'])));
  assert.ok(!outcome.ok, 'without the sale, the activation has no ground');
  assert.equal(outcome.rejection.code, 'correction-breaks-history');
  assert.equal(outcome.rejection.kind, 'conflict', 'the kind of the broken event’s own refusal');
  assert.equal(outcome.rejection.state, 'certified', 'the state the broken event met');
  assert.match(
    outcome.rejection.message,
    /^without s, event a no longer holds: a robot in state 'certified' cannot be 'activated'.*; correct it first or in the same batch$/,
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Serialised parts

const ACTUATOR: Component = {
  kind: 'actuator',
  position: 'left_knee',
  manufacturer: 'Acme',
  partNumber: 'ACT-1',
  serial: 'A1',
};
const CELL: Component = { kind: 'battery_pack', manufacturer: 'Cellco', partNumber: 'BAT-7', lot: 'L1' };

test('parts: what an event fits and removes, counting duplicates', () => {
  const after = [ACTUATOR, CELL];
  assert.equal(componentChanges([], after).fitted, after, 'a first fitting is all of them');
  assert.deepEqual(componentChanges([], after).removed, []);
  assert.deepEqual(
    componentChanges(after, [CELL, ACTUATOR]),
    { fitted: [], removed: [] },
    'order is no change',
  );
  const swapped = { ...ACTUATOR, serial: 'A2' };
  assert.deepEqual(componentChanges(after, [CELL, swapped]), { fitted: [swapped], removed: [ACTUATOR] });
  const moved = { ...ACTUATOR, position: 'right_knee' };
  assert.deepEqual(componentChanges(after, [moved, CELL]), { fitted: [moved], removed: [ACTUATOR] });
  assert.deepEqual(
    componentChanges([CELL, CELL], [CELL]),
    { fitted: [], removed: [CELL] },
    'one of two lots',
  );
  assert.deepEqual(componentChanges([CELL], [CELL, CELL]), { fitted: [CELL], removed: [] });
});

test('parts: a serialised part is fitted in one robot at a time', () => {
  assert.doesNotThrow(() => assertNotFittedElsewhere('R1', ACTUATOR, null, AT), 'fitted nowhere');
  assert.doesNotThrow(() => assertNotFittedElsewhere('R1', ACTUATOR, undefined, AT), 'not known anywhere');
  assert.doesNotThrow(() => assertNotFittedElsewhere('R1', ACTUATOR, 'R1', AT), 'already in this robot');
  assert.throws(
    () => assertNotFittedElsewhere('R1', ACTUATOR, 'R2', AT),
    refusal(
      'conflict',
      'component-fitted-elsewhere',
      'ACT-1 serial A1 is fitted in robot R2',
      '/events/3/payload',
      'part ACT-1 A1 is in another robot',
    ),
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Service authorisations

test('service authorisation: asked for service and incidents reported by anyone but the custodian', () => {
  const status = initialStatus('org_maker');
  const asked = EVENT_TYPES.filter((type) => needsServiceAuthorisation(type, status, 'org_sp'));
  assert.deepEqual(asked, ['serviced', 'incident_reported']);
  for (const type of EVENT_TYPES)
    assert.equal(needsServiceAuthorisation(type, status, 'org_maker'), false, `${type} by the custodian`);
  const heldByOperator = { ...status, custodianId: 'org_op' };
  assert.equal(
    needsServiceAuthorisation('serviced', heldByOperator, 'org_maker'),
    true,
    'the maker, once sold',
  );
  assert.equal(needsServiceAuthorisation('serviced', heldByOperator, 'org_op'), false);
});
