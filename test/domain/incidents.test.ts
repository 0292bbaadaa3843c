import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReportedEvent } from '../../src/domain/lifecycle/events.js';
import { applyEvent, initialStatus, type MachineContext } from '../../src/domain/lifecycle/machine.js';
import type { RobotStatus } from '../../src/domain/lifecycle/status.js';
import {
  TRIAGE_MOVES,
  TRIAGE_STATES,
  modelKeyOf,
  monthOf,
  triageAllowed,
} from '../../src/domain/safety/incidents.js';

const ROBOT = 'CN0001H00001R0000000000000001';
const inUse: RobotStatus = {
  ...initialStatus('org_maker'),
  state: 'in_use',
  custodianId: 'org_owner',
  operatorId: 'org_owner',
  lastEventTime: '2026-01-01T00:00:00Z',
};
const ctxOf = (orgId: string, roles: string[]): MachineContext => ({
  reporter: { orgId, keyId: 'k', roles: new Set(roles) },
  authorisedForService: false,
  now: new Date('2027-01-01T00:00:00Z'),
});
const incident = (payload: Record<string, unknown>) =>
  ({
    eventId: 'e1',
    type: 'incident_reported',
    robotId: ROBOT,
    eventTime: '2026-02-01T00:00:00Z',
    payload: { category: 'fault', severity: 'minor', ...payload },
  }) as ReportedEvent;

test("the robot's manufacturer, not another, may report an incident with a robot it no longer holds", () => {
  assert.ok(applyEvent(inUse, incident({}), ctxOf('org_maker', ['manufacturer'])).ok);
  const rival = applyEvent(inUse, incident({}), ctxOf('org_rival', ['manufacturer']));
  assert.ok(!rival.ok);
  assert.equal(rival.rejection.code, 'not-permitted');
  assert.match(rival.rejection.message, /the robot's manufacturer \(org_maker\)/);
});

test('a component named in an incident needs a serial or a lot', () => {
  const owner = ctxOf('org_owner', ['operator']);
  const ok = incident({
    components: [
      { partNumber: 'P', serial: 'S' },
      { partNumber: 'Q', lot: 'L' },
    ],
  });
  assert.ok(applyEvent(inUse, ok, owner).ok);
  const bad = applyEvent(
    inUse,
    incident({ components: [{ partNumber: 'P', lot: 'L' }, { partNumber: 'Q' }] }),
    owner,
  );
  assert.ok(!bad.ok);
  assert.equal(bad.rejection.code, 'component-unidentified');
  assert.equal(bad.rejection.field, '/payload/components/1');
});

test('triage moves: each state reachable from reported, none to itself, closed reopens', () => {
  for (const from of TRIAGE_STATES) assert.ok(!triageAllowed(from, from), from);
  const reached = new Set<string>(['reported']);
  for (let round = 0; round < TRIAGE_STATES.length; round++)
    for (const s of [...reached]) for (const to of TRIAGE_MOVES[s as 'reported']) reached.add(to);
  assert.deepEqual([...reached].sort(), [...TRIAGE_STATES].sort());
  assert.ok(triageAllowed('closed', 'under_investigation'));
  assert.ok(!triageAllowed('reported', 'root_cause_found'));
  assert.ok(!triageAllowed('closed', 'reported'), 'nothing goes back to reported');
});

test('model key and month of an incident', () => {
  assert.equal(modelKeyOf(ROBOT), 'CN0001H00001');
  assert.equal(monthOf('2026-03-01T01:00:00+08:00'), '2026-02', 'UTC month');
});
