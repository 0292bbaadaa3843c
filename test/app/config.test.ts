import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DomainError } from '../../src/domain/errors.js';
import { defaultLogOrigin, loadConfig } from '../../src/main/config.js';

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

test('the public URL: --public-url, else ROBOTID_PUBLIC_URL, else this machine; a trailing slash is dropped', () => {
  const flag = loadConfig(
    { publicBaseUrl: 'https://Registry.Example.cn/' },
    { ROBOTID_PUBLIC_URL: 'http://x' },
  );
  assert.equal(flag.publicBaseUrl, 'https://registry.example.cn');
  assert.equal(flag.publicUrlFrom, '--public-url');
  const env = loadConfig({}, { ROBOTID_PUBLIC_URL: 'http://192.168.1.5:8080/registry//' });
  assert.equal(env.publicBaseUrl, 'http://192.168.1.5:8080/registry');
  assert.equal(env.publicUrlFrom, 'ROBOTID_PUBLIC_URL');
  const fallback = loadConfig({ port: 9000 }, {});
  assert.equal(fallback.publicBaseUrl, 'http://localhost:9000');
  assert.equal(fallback.publicUrlFrom, 'default');
});

test('a public URL that is not an absolute http(s) URL without query or fragment is refused, naming the setting', () => {
  for (const [value, why] of [
    ['registry.example.cn', 'must be an absolute URL'],
    ['/robots', 'must be an absolute URL'],
    ['ftp://registry.example.cn', 'must be an http or https URL'],
    ['https://registry.example.cn/?lang=zh', 'must not have a query'],
    ['https://registry.example.cn/#top', 'must not have a fragment'],
    ['https://admin:secret@registry.example.cn', 'must not carry a user name or password'],
  ] as const) {
    for (const [overrides, env, field] of [
      [{ publicBaseUrl: value }, {}, '--public-url'],
      [{}, { ROBOTID_PUBLIC_URL: value }, 'ROBOTID_PUBLIC_URL'],
    ] as const) {
      assert.throws(
        () => loadConfig(overrides, env),
        (e: unknown) =>
          e instanceof DomainError &&
          e.kind === 'invalid' &&
          e.message.startsWith(`${field} ${why}`) &&
          e.message.includes(value) &&
          e.fields[0]?.field === field,
        `${field}=${value}`,
      );
    }
  }
});

test("a new log's origin is its tiles' URL prefix without the scheme: <host[:port]><path>/tlog", () => {
  const origin = (url: string) => defaultLogOrigin(loadConfig({ publicBaseUrl: url }, {}));
  assert.equal(origin('https://registry.example.cn'), 'registry.example.cn/tlog');
  assert.equal(origin('https://registry.example.cn:443/'), 'registry.example.cn/tlog');
  assert.equal(origin('http://192.168.1.5:8080'), '192.168.1.5:8080/tlog');
  assert.equal(origin('https://gov.example.cn/robots/registry/'), 'gov.example.cn/robots/registry/tlog');
  assert.equal(defaultLogOrigin(loadConfig({ port: 9000 }, {})), 'localhost:9000/tlog');
});

test('an explicit log origin (--log-origin, else ROBOTID_LOG_ORIGIN) must be a note key name', () => {
  assert.equal(
    loadConfig({}, { ROBOTID_LOG_ORIGIN: 'old.example.cn/robotid-log' }).logOrigin,
    'old.example.cn/robotid-log',
  );
  assert.equal(loadConfig({ logOrigin: 'a/tlog' }, { ROBOTID_LOG_ORIGIN: 'b/tlog' }).logOrigin, 'a/tlog');
  assert.equal(loadConfig({}, { ROBOTID_LOG_ORIGIN: '' }).logOrigin, undefined);
  for (const [overrides, env, field] of [
    [{}, { ROBOTID_LOG_ORIGIN: 'registry example' }, 'ROBOTID_LOG_ORIGIN'],
    [{ logOrigin: 'a+b/tlog' }, {}, '--log-origin'],
  ] as const)
    assert.throws(
      () => loadConfig(overrides, env),
      (e: unknown) => e instanceof DomainError && e.message.startsWith(`${field} must be a log origin`),
    );
});

test('people: session timeouts and the proxies trusted for client addresses come from the environment', () => {
  const defaults = loadConfig({}, {});
  assert.equal(defaults.sessionIdleMs, 30 * 60_000);
  assert.equal(defaults.sessionAbsoluteMs, 12 * 3_600_000);
  assert.equal(defaults.trustProxy, undefined);
  const set = loadConfig(
    {},
    {
      ROBOTID_SESSION_IDLE_MINUTES: '10',
      ROBOTID_SESSION_ABSOLUTE_HOURS: '8',
      ROBOTID_TRUST_PROXY: ' 10.0.0.1, 10.0.1.0/24 ',
    },
  );
  assert.equal(set.sessionIdleMs, 10 * 60_000);
  assert.equal(set.sessionAbsoluteMs, 8 * 3_600_000);
  assert.equal(set.trustProxy, '10.0.0.1, 10.0.1.0/24');
  assert.equal(loadConfig({}, { ROBOTID_TRUST_PROXY: 'true' }).trustProxy, true);
  assert.throws(() => loadConfig({}, { ROBOTID_SESSION_IDLE_MINUTES: '0' }), /ROBOTID_SESSION_IDLE_MINUTES/);
});
