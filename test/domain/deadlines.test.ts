import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_REPORTING_DEADLINE_DAYS,
  deadlinesWith,
  isLate,
} from '../../src/domain/lifecycle/deadlines.js';
import { thrownInvalid } from '../support/errors.js';

test('a deployment overrides some reporting deadlines and keeps the other defaults', () => {
  const d = deadlinesWith('{"sold": 5, "serviced": 14}');
  assert.equal(d.sold, 5);
  assert.equal(d.serviced, 14);
  assert.equal(d.recycled, DEFAULT_REPORTING_DEADLINE_DAYS.recycled);
  assert.deepEqual(deadlinesWith(undefined), DEFAULT_REPORTING_DEADLINE_DAYS);
});

test('bad deadline settings are refused, each fault named', () => {
  assert.equal(
    thrownInvalid(() => deadlinesWith('{sold: 5'), 'invalid-deadlines').fields[0]?.message,
    'not JSON',
  );
  const error = thrownInvalid(
    () => deadlinesWith('{"sold": 0, "painted": 3, "serviced": 2.5}'),
    'invalid-deadlines',
  );
  assert.deepEqual(
    error.fields.map((f) => f.field),
    ['ROBOTID_DEADLINES/sold', 'ROBOTID_DEADLINES/painted', 'ROBOTID_DEADLINES/serviced'],
  );
});

test('late means more whole deadline-days between event and record', () => {
  assert.equal(isLate(7, '2026-01-01T00:00:00Z', '2026-01-08T00:00:00Z'), false);
  assert.equal(isLate(7, '2026-01-01T00:00:00Z', '2026-01-08T00:00:01Z'), true);
});
