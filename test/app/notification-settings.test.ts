import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { newSecret, openSecret, sealSecret, showSecret } from '../../src/app/notifications/secrets.js';
import { maxAttempts, retryDelay } from '../../src/app/notifications/settings.js';
import { webhookHeaders } from '../../src/app/notifications/signature.js';
import { loadConfig } from '../../src/main/config.js';
import { DomainError } from '../../src/domain/errors.js';
import { validateWebhookUrl } from '../../src/domain/safety/webhook-url.js';

describe('webhook URLs', () => {
  test('https anywhere, http only to loopback, in normal form', () => {
    assert.equal(
      validateWebhookUrl('HTTPS://Hooks.Example.com:443/a?b=1'),
      'https://hooks.example.com/a?b=1',
    );
    for (const url of [
      'http://localhost:9/x',
      'http://127.0.0.1:9/x',
      'http://127.1.2.3/x',
      'http://[::1]:9/x',
    ])
      assert.equal(validateWebhookUrl(url), url);
  });

  test('everything else is refused with the field and the reason', () => {
    const refusals: [string, RegExp][] = [
      ['http://10.0.0.1/x', /plain http is accepted only for a loopback host/],
      ['http://localhost.example.com/x', /plain http is accepted only for a loopback host/],
      ['ftp://example.com/x', /scheme ftp is not http or https/],
      ['javascript:alert(1)', /scheme javascript is not http or https/],
      ['https://a:b@example.com/x', /carries credentials/],
      ['https://example.com/x#top', /fragment/],
      ['example.com/x', /not an absolute URL/],
      [' https://example.com/x', /white space/],
      [`https://example.com/${'a'.repeat(2048)}`, /longer than 2048/],
    ];
    for (const [url, reason] of refusals) {
      assert.throws(
        () => validateWebhookUrl(url),
        (e: unknown) =>
          e instanceof DomainError &&
          e.code === 'invalid-webhook-url' &&
          e.fields[0]!.field === '/url' &&
          reason.test(e.fields[0]!.message),
        url,
      );
    }
  });
});

describe('signing secrets and signatures', () => {
  test('a sealed secret opens only with its key and under its own subscription id', () => {
    const key = randomBytes(32);
    const secret = newSecret();
    const sealed = sealSecret(secret, 'sub_a', key);
    assert.ok(!sealed.includes(secret), 'the secret is not stored in clear');
    assert.deepEqual(openSecret(sealed, 'sub_a', key), secret);
    assert.throws(() => openSecret(sealed, 'sub_b', key), /webhook key/);
    assert.throws(() => openSecret(sealed, 'sub_a', randomBytes(32)), /webhook key/);
  });

  test('signatures are Standard Webhooks signatures: the reference library verifies them', () => {
    const secret = newSecret();
    const body = JSON.stringify({ type: 'robot.suspended', data: { noticeId: 1 } });
    const now = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders(secret, 'msg_abc', now, body);
    const wh = new Webhook(showSecret(secret));
    assert.deepEqual(wh.verify(body, headers), JSON.parse(body));
    assert.equal(headers['webhook-signature'], wh.sign('msg_abc', new Date(now * 1000), body));
    assert.throws(() => wh.verify(body, { ...headers, 'webhook-id': 'msg_other' }));
    // Replays outside the tolerance are the receiver's to refuse: the library does.
    const stale = webhookHeaders(secret, 'msg_abc', now - 3600, body);
    assert.throws(() => wh.verify(body, stale), /too old/i);
  });
});

describe('retry schedule and configuration', () => {
  test('waits follow the schedule within the jitter, and the schedule bounds the attempts', () => {
    const s = { retryDelaysMs: [1000, 4000], jitter: 0.2 };
    assert.equal(maxAttempts(s), 3);
    assert.equal(
      retryDelay(s, 1, () => 0),
      800,
    );
    assert.equal(
      retryDelay(s, 1, () => 1),
      1200,
    );
    assert.equal(
      retryDelay(s, 2, () => 0.5),
      4000,
    );
    assert.equal(retryDelay(s, 3), null);
  });

  test('settings from the environment, with precise refusals', () => {
    const config = loadConfig(
      {},
      {
        ROBOTID_WEBHOOK_TIMEOUT_MS: '2500',
        ROBOTID_WEBHOOK_RETRY_SECONDS: '1, 10,100',
        ROBOTID_WEBHOOK_CONCURRENCY: '4',
        ROBOTID_NATS_URL: 'nats://127.0.0.1:4222',
        ROBOTID_NATS_STREAM: 'NOTICES',
      },
    );
    assert.equal(config.webhookTimeoutMs, 2500);
    assert.deepEqual(config.webhookRetryDelaysMs, [1000, 10_000, 100_000]);
    assert.equal(config.webhookConcurrency, 4);
    assert.equal(config.natsUrl, 'nats://127.0.0.1:4222');
    assert.equal(config.natsStream, 'NOTICES');
    assert.equal(config.natsSubjectPrefix, 'robotid.notices');
    const defaults = loadConfig({}, {});
    assert.equal(defaults.natsUrl, undefined, 'NATS is off by default');
    assert.equal(defaults.webhookRetryDelaysMs.length, 7);
    assert.throws(
      () => loadConfig({}, { ROBOTID_WEBHOOK_RETRY_SECONDS: '5,soon' }),
      /ROBOTID_WEBHOOK_RETRY_SECONDS/,
    );
    assert.throws(() => loadConfig({}, { ROBOTID_WEBHOOK_TIMEOUT_MS: '0' }), /ROBOTID_WEBHOOK_TIMEOUT_MS/);
    assert.throws(() => loadConfig({}, { ROBOTID_NATS_STREAM: 'a.b' }), /ROBOTID_NATS_STREAM/);
    assert.throws(
      () => loadConfig({}, { ROBOTID_NATS_SUBJECT_PREFIX: 'a.>' }),
      /ROBOTID_NATS_SUBJECT_PREFIX/,
    );
  });
});
