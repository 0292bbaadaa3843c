import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/main/config.js';

test('PostgreSQL pool and replica settings come from the environment; unset means the adapter default', () => {
  const config = loadConfig(
    {},
    {
      DATABASE_URL: 'postgres://db/robotid',
      ROBOTID_DATABASE_READ_URL: 'postgres://standby/robotid',
      ROBOTID_DATABASE_READ_MAX_LAG_MS: '0',
      ROBOTID_DATABASE_POOL_SIZE: '25',
      ROBOTID_DATABASE_POOL_TIMEOUT_MS: '',
    },
  );
  assert.equal(config.databaseReadUrl, 'postgres://standby/robotid');
  assert.equal(config.databaseReadMaxLagMs, 0);
  assert.equal(config.databasePoolSize, 25);
  assert.equal(config.databasePoolTimeoutMs, undefined);
});

test('a pool or replica setting that is not a whole number in range is refused with its name', () => {
  for (const [name, value] of [
    ['ROBOTID_DATABASE_POOL_SIZE', '0'],
    ['ROBOTID_DATABASE_POOL_TIMEOUT_MS', '1.5'],
    ['ROBOTID_DATABASE_READ_MAX_LAG_MS', 'soon'],
  ] as const) {
    assert.throws(() => loadConfig({}, { [name]: value }), new RegExp(`${name} must be a whole number`));
  }
});

test('a read replica without a primary is refused, not ignored', () => {
  assert.throws(
    () => loadConfig({}, { ROBOTID_DATABASE_READ_URL: 'postgres://standby/robotid' }),
    /ROBOTID_DATABASE_READ_URL \(a standby\) needs DATABASE_URL/,
  );
});

test('request limits: MiB in flight per caller and in total, seconds for a body; defaults when unset', () => {
  const MiB = 1024 * 1024;
  const defaults = loadConfig({}, {});
  assert.equal(defaults.inFlightBytesPerCaller, 32 * MiB);
  assert.equal(defaults.inFlightBytesTotal, 64 * MiB);
  assert.equal(defaults.bodyTimeoutMs, 30_000);
  const set = loadConfig(
    {},
    {
      ROBOTID_IN_FLIGHT_MIB_PER_CALLER: '40',
      ROBOTID_IN_FLIGHT_MIB: '400',
      ROBOTID_BODY_TIMEOUT_SECONDS: '90',
    },
  );
  assert.equal(set.inFlightBytesPerCaller, 40 * MiB);
  assert.equal(set.inFlightBytesTotal, 400 * MiB);
  assert.equal(set.bodyTimeoutMs, 90_000);
  assert.throws(
    () => loadConfig({}, { ROBOTID_IN_FLIGHT_MIB_PER_CALLER: '16' }),
    /ROBOTID_IN_FLIGHT_MIB_PER_CALLER must be at least 32/,
  );
  assert.throws(
    () => loadConfig({}, { ROBOTID_IN_FLIGHT_MIB_PER_CALLER: '64', ROBOTID_IN_FLIGHT_MIB: '48' }),
    /ROBOTID_IN_FLIGHT_MIB \(48\) must be at least ROBOTID_IN_FLIGHT_MIB_PER_CALLER \(64\)/,
  );
  assert.throws(
    () => loadConfig({}, { ROBOTID_BODY_TIMEOUT_SECONDS: '0' }),
    /ROBOTID_BODY_TIMEOUT_SECONDS must be a whole number of at least 1/,
  );
});
