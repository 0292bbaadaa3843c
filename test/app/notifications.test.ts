import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { AppContext } from '../../src/app/context.js';
import { announce } from '../../src/app/notifications/announce.js';
import { startNotifications } from '../../src/app/notifications/background.js';
import { deliverDue } from '../../src/app/notifications/deliver.js';
import { dispatchNotices } from '../../src/app/notifications/dispatch.js';
import { loadConfig } from '../../src/main/config.js';
import type { Notice } from '../../src/domain/safety/notices.js';
import { openContext } from '../../src/main/runtime.js';
import { admit } from '../support/fixtures.js';
import { startHarness, testDatabaseUrl, testStores, type Harness } from '../support/harness.js';
import { asPerson, person } from '../support/users.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

type Org = Awaited<ReturnType<typeof admit>>;

/** Tiny waits so that retries happen within a test: 4 retries, so 5 attempts before a dead letter. */
const RETRY_DELAYS_MS = [60, 120, 240, 480];
const TIMEOUT_MS = 300;

const suspended = (audience: string[], data: Record<string, unknown> = {}): Notice => ({
  topic: 'robot.suspended',
  audience,
  robotId: 'CN0QYJH1X9B4000000000000XYZ',
  data: { reason: 'test', ...data },
});

for (const store of testStores) {
  describe(`webhook notifications (${store.name})`, () => {
    let h: Harness;
    let operator: Org;
    let bystander: Org;
    let regulator: Org;
    const receivers: WebhookReceiver[] = [];

    const notify = (notices: Notice[]) =>
      h.ctx.store.write((tx) => announce(tx, new Date().toISOString(), notices));
    const subscribe = async (org: Org, url: string, topics: string[] = ['robot.suspended']) => {
      const res = await h.call('POST', '/v1/subscriptions', { key: org.key, body: { url, topics } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; secret: string };
    };
    const receiver = async (behaviour: (n: number) => { status: number; delayMs?: number }) => {
      const r = await WebhookReceiver.on(behaviour);
      receivers.push(r);
      return r;
    };
    const deliveriesOf = async (org: Org, subscriptionId: string) =>
      (await h.call('GET', `/v1/subscriptions/${subscriptionId}/deliveries`, { key: org.key })).body
        .items as { id: string; state: string; noticeId: number }[];
    /** Runs due attempts until the delivery is no longer pending (or the test's patience ends). */
    const settle = async (org: Org, deliveryId: string) => {
      for (let i = 0; i < 400; i++) {
        await deliverDue(h.ctx);
        const d = await h.call('GET', `/v1/deliveries/${deliveryId}`, { key: org.key });
        if (d.body.state !== 'pending') return d.body;
        await sleep(10);
      }
      throw new Error(`delivery ${deliveryId} still pending`);
    };

    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      h.ctx.notifications = {
        ...h.ctx.notifications!,
        timeoutMs: TIMEOUT_MS,
        retryDelaysMs: RETRY_DELAYS_MS,
        jitter: 0,
      };
      operator = await admit(h, ['operator']);
      bystander = await admit(h, ['operator']);
      regulator = await admit(h, ['regulator']);
    });
    after(async () => {
      await Promise.all(receivers.map((r) => r.stop()));
      await h.close();
    });

    test('subscriptions: precise errors, the secret once, each organisation its own', async () => {
      const bad = await h.call('POST', '/v1/subscriptions', {
        key: operator.key,
        body: { url: 'http://hooks.example.com/x', topics: ['robot.suspended', 'robot.exploded'] },
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.type, 'urn:robotid:problem:invalid-subscription');
      assert.deepEqual(
        bad.body.errors.map((e: { field: string }) => e.field),
        ['/url', '/topics/1'],
      );
      assert.match(bad.body.errors[0].message, /plain http is accepted only for a loopback host/);
      for (const url of [
        'ftp://hooks.example.com/x',
        'https://user:pw@hooks.example.com/x',
        'https://hooks.example.com/x#frag',
        'hooks.example.com/x',
      ]) {
        const res = await h.call('POST', '/v1/subscriptions', {
          key: operator.key,
          body: { url, topics: ['robot.suspended'] },
        });
        assert.equal(res.status, 400, url);
        assert.equal(res.body.errors[0].field, '/url', url);
      }
      const unauthenticated = await h.call('POST', '/v1/subscriptions', {
        body: { url: 'https://hooks.example.com/x', topics: ['robot.suspended'] },
      });
      assert.equal(unauthenticated.status, 401);

      const created = await subscribe(operator, 'https://hooks.example.com/robotid', [
        'robot.suspended',
        'recall.opened',
        'robot.suspended',
      ]);
      assert.match(created.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
      assert.equal(Buffer.from(created.secret.slice(6), 'base64').length, 32);
      const shown = await h.call('GET', `/v1/subscriptions/${created.id}`, { key: operator.key });
      assert.equal(shown.status, 200);
      assert.deepEqual(shown.body.topics, ['robot.suspended', 'recall.opened']);
      assert.equal(shown.body.secret, undefined, 'the secret is shown once');
      const listed = await h.call('GET', '/v1/subscriptions', { key: operator.key });
      assert.ok(listed.body.items.some((s: { id: string }) => s.id === created.id));
      const others = await h.call('GET', '/v1/subscriptions', { key: bystander.key });
      assert.ok(!others.body.items.some((s: { id: string }) => s.id === created.id));
      assert.equal(
        (await h.call('GET', `/v1/subscriptions/${created.id}`, { key: bystander.key })).status,
        404,
      );
      assert.equal(
        (await h.call('DELETE', `/v1/subscriptions/${created.id}`, { key: bystander.key })).status,
        404,
      );
      const removed = await h.call('DELETE', `/v1/subscriptions/${created.id}`, { key: operator.key });
      assert.equal(removed.status, 200);
      assert.equal(removed.body.id, created.id);
      assert.ok(removed.body.removedAt);
      assert.equal(
        (await h.call('GET', `/v1/subscriptions/${created.id}`, { key: operator.key })).status,
        404,
      );
      assert.equal(
        (await h.call('DELETE', `/v1/subscriptions/${created.id}`, { key: operator.key })).status,
        404,
      );
    });

    test("an organisation's administrator manages its webhooks signed in; its reporters and viewers may not", async () => {
      const as = (role: string) => person(h, operator.org.id, operator.key, role);
      const [admin, reporter, viewer] = [await as('administrator'), await as('reporter'), await as('viewer')];
      const hook = await receiver(() => ({ status: 200 }));
      await hook.start();
      const created = await h.call('POST', '/v1/subscriptions', {
        body: { url: hook.url, topics: ['robot.suspended'] },
        ...asPerson(admin),
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.match(created.body.secret, /^whsec_/);
      const sub = created.body as { id: string };
      const listed = await h.call('GET', '/v1/subscriptions', asPerson(admin));
      assert.ok(listed.body.items.some((s: { id: string }) => s.id === sub.id));

      await notify([suspended([operator.org.id])]);
      await dispatchNotices(h.ctx);
      await deliverDue(h.ctx);
      const deliveries = await h.call('GET', `/v1/subscriptions/${sub.id}/deliveries`, asPerson(admin));
      assert.equal(deliveries.status, 200);
      const [delivery] = deliveries.body.items as { id: string; state: string }[];
      assert.equal(delivery!.state, 'delivered');
      const again = await h.call('POST', `/v1/deliveries/${delivery!.id}/redeliver`, asPerson(admin));
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.state, 'pending');
      await deliverDue(h.ctx);
      const log = await h.call('GET', `/v1/deliveries/${delivery!.id}`, asPerson(admin));
      assert.deepEqual(
        log.body.log.map((a: { status: number }) => a.status),
        [200, 200],
      );
      assert.equal(hook.received.length, 2);

      const refusals = [
        ['GET', '/v1/subscriptions'],
        ['GET', `/v1/subscriptions/${sub.id}`],
        ['GET', `/v1/subscriptions/${sub.id}/deliveries`],
        ['GET', '/v1/deliveries'],
        ['GET', `/v1/deliveries/${delivery!.id}`],
        ['POST', `/v1/deliveries/${delivery!.id}/redeliver`],
        ['DELETE', `/v1/subscriptions/${sub.id}`],
      ] as const;
      for (const who of [reporter, viewer]) {
        for (const [method, path] of refusals) {
          const res = await h.call(method, path, asPerson(who));
          assert.equal(res.status, 403, `${method} ${path}`);
          assert.equal(res.body.type, 'urn:robotid:problem:role-forbids');
        }
        const create = await h.call('POST', '/v1/subscriptions', {
          body: { url: hook.url, topics: ['robot.suspended'] },
          ...asPerson(who),
        });
        assert.equal(create.status, 403);
      }
      const removed = await h.call('DELETE', `/v1/subscriptions/${sub.id}`, asPerson(admin));
      assert.equal(removed.status, 200);
    });

    test('a receiver down, then slow, then failing, then well: retried with growing waits, delivered once, signed', async () => {
      const hook = await receiver((n) =>
        n === 0 ? { status: 200, delayMs: TIMEOUT_MS * 4 } : n === 1 ? { status: 500 } : { status: 200 },
      );
      const sub = await subscribe(operator, hook.url);
      await notify([suspended([operator.org.id], { order: 'SO-1' })]);
      assert.ok((await dispatchNotices(h.ctx)) >= 1);
      const [delivery] = await deliveriesOf(operator, sub.id);
      assert.ok(delivery);
      assert.equal(delivery.state, 'pending');

      // Down: the first attempt is refused.
      assert.equal(await deliverDue(h.ctx), 1);
      await hook.start();
      const done = await settle(operator, delivery.id);
      assert.equal(done.state, 'delivered');
      assert.equal(done.lastStatus, 200);

      const log = done.log as {
        attempt: number;
        at: string;
        durationMs: number;
        status: number | null;
        error: string | null;
      }[];
      assert.deepEqual(
        log.map((a) => a.attempt),
        [1, 2, 3, 4],
      );
      assert.equal(log[0]!.status, null);
      assert.match(log[0]!.error!, /ECONNREFUSED/);
      assert.equal(log[1]!.status, null);
      assert.match(log[1]!.error!, /timed out after 300 ms/);
      assert.ok(
        log[1]!.durationMs >= TIMEOUT_MS - 5 && log[1]!.durationMs < TIMEOUT_MS * 4,
        `${log[1]!.durationMs}`,
      );
      assert.equal(log[2]!.status, 500);
      assert.equal(log[3]!.status, 200);
      // Each retry waited at least its scheduled delay after the attempt before it ended, and the waits grew.
      const waits = log
        .slice(1)
        .map((a, i) => Date.parse(a.at) - (Date.parse(log[i]!.at) + log[i]!.durationMs));
      waits.forEach((w, i) => assert.ok(w >= RETRY_DELAYS_MS[i]! - 2, `wait ${i + 1}: ${w} ms`));
      assert.ok(waits[2]! > waits[0]!, `waits ${waits.join(', ')}`);

      // The receiver saw three requests (the slow one too), answered 200 once; all carry the same id and verify.
      assert.equal(hook.received.length, 3);
      assert.equal(hook.received.filter((r) => r.status === 200 && r !== hook.received[0]).length, 1);
      const verifier = new Webhook(sub.secret);
      for (const r of hook.received) {
        assert.equal(r.headers['webhook-id'], delivery.id);
        assert.equal(r.headers['content-type'], 'application/json');
        verifier.verify(r.body, r.headers as Record<string, string>);
        assert.throws(() =>
          verifier.verify(r.body.replace('SO-1', 'SO-2'), r.headers as Record<string, string>),
        );
      }
      const body = JSON.parse(hook.received[2]!.body);
      assert.equal(body.type, 'robot.suspended');
      assert.equal(body.data.noticeId, delivery.noticeId);
      assert.equal(body.data.robotId, 'CN0QYJH1X9B4000000000000XYZ');
      assert.equal(body.data.order, 'SO-1');
      assert.equal(body.data.audience, undefined, 'only regulators see the audience');
      assert.ok(!Number.isNaN(Date.parse(body.timestamp)));

      // Nothing more goes out for it.
      await sleep(RETRY_DELAYS_MS[3]!);
      assert.equal(await deliverDue(h.ctx), 0);
      assert.equal(hook.received.length, 3);
      await h.call('DELETE', `/v1/subscriptions/${sub.id}`, { key: operator.key });
    });

    test('a receiver that never recovers ends as a dead letter; redelivery sends it again', async () => {
      const hook = await receiver(() => ({ status: 503 }));
      await hook.start();
      const sub = await subscribe(operator, hook.url);
      await notify([suspended([operator.org.id])]);
      await dispatchNotices(h.ctx);
      const [delivery] = await deliveriesOf(operator, sub.id);
      const dead = await settle(operator, delivery!.id);
      assert.equal(dead.state, 'dead');
      assert.equal(dead.log.length, RETRY_DELAYS_MS.length + 1);
      assert.equal(dead.lastStatus, 503);
      assert.equal(hook.received.length, RETRY_DELAYS_MS.length + 1);

      const letters = await h.call('GET', '/v1/deliveries?state=dead', { key: operator.key });
      assert.ok(letters.body.items.some((d: { id: string }) => d.id === delivery!.id));
      const othersLetters = await h.call('GET', '/v1/deliveries?state=dead', { key: bystander.key });
      assert.ok(!othersLetters.body.items.some((d: { id: string }) => d.id === delivery!.id));
      const seenByRegulator = await h.call('GET', '/v1/deliveries?state=dead', { key: regulator.key });
      assert.ok(seenByRegulator.body.items.some((d: { id: string }) => d.id === delivery!.id));
      assert.equal(
        (await h.call('GET', `/v1/deliveries/${delivery!.id}`, { key: bystander.key })).status,
        404,
      );
      assert.equal(
        (await h.call('POST', `/v1/deliveries/${delivery!.id}/redeliver`, { key: bystander.key })).status,
        404,
      );

      hook.behaviour = () => ({ status: 204 });
      const again = await h.call('POST', `/v1/deliveries/${delivery!.id}/redeliver`, { key: operator.key });
      assert.equal(again.status, 200);
      assert.equal(again.body.state, 'pending');
      const queued = await h.call('POST', `/v1/deliveries/${delivery!.id}/redeliver`, { key: operator.key });
      assert.equal(queued.status, 409);
      const delivered = await settle(operator, delivery!.id);
      assert.equal(delivered.state, 'delivered');
      assert.deepEqual(
        delivered.log.map((a: { attempt: number; status: number }) => [a.attempt, a.status]),
        [1, 2, 3, 4, 5].map((n) => [n, 503]).concat([[6, 204]]),
      );
      assert.equal(hook.received.at(-1)!.headers['webhook-id'], delivery!.id);
      const pending = await h.call('GET', '/v1/deliveries?state=pending', { key: operator.key });
      assert.ok(!pending.body.items.some((d: { id: string }) => d.id === delivery!.id));
      await h.call('DELETE', `/v1/subscriptions/${sub.id}`, { key: operator.key });
    });

    test('a notice written in a unit of work that rolled back is never delivered', async () => {
      const hook = await receiver(() => ({ status: 200 }));
      await hook.start();
      const sub = await subscribe(operator, hook.url);
      await assert.rejects(
        h.ctx.store.write(async (tx) => {
          await announce(tx, new Date().toISOString(), [
            suspended([operator.org.id], { order: 'ROLLED-BACK' }),
          ]);
          throw new Error('the suspension failed');
        }),
        /the suspension failed/,
      );
      await notify([suspended([operator.org.id], { order: 'COMMITTED' })]);
      await dispatchNotices(h.ctx);
      const deliveries = await deliveriesOf(operator, sub.id);
      assert.equal(deliveries.length, 1);
      await settle(operator, deliveries[0]!.id);
      assert.deepEqual(
        hook.received.map((r) => JSON.parse(r.body).data.order),
        ['COMMITTED'],
      );
      await h.call('DELETE', `/v1/subscriptions/${sub.id}`, { key: operator.key });
    });

    test('only the audience and regulators receive a notice; regulators see its audience', async () => {
      const hook = await receiver(() => ({ status: 200 }));
      await hook.start();
      const mine = await subscribe(operator, hook.url);
      const theirs = await subscribe(bystander, hook.url, ['robot.suspended', 'robot.reinstated']);
      const watching = await subscribe(regulator, hook.url);
      const wrongTopic = await subscribe(operator, hook.url, ['recall.opened']);
      await notify([suspended([operator.org.id, 'org-unknown'], { order: 'AUDIENCE' })]);
      await dispatchNotices(h.ctx);
      assert.equal((await deliveriesOf(operator, mine.id)).length, 1);
      assert.equal((await deliveriesOf(bystander, theirs.id)).length, 0);
      assert.equal((await deliveriesOf(operator, wrongTopic.id)).length, 0);
      const [forRegulator] = await deliveriesOf(regulator, watching.id);
      await settle(regulator, forRegulator!.id);
      const seen = JSON.parse(hook.received.find((r) => r.headers['webhook-id'] === forRegulator!.id)!.body);
      assert.deepEqual(seen.data.audience, ['org-unknown', operator.org.id].sort());
      new Webhook(watching.secret).verify(
        hook.received.find((r) => r.headers['webhook-id'] === forRegulator!.id)!.body,
        hook.received.find((r) => r.headers['webhook-id'] === forRegulator!.id)!.headers as Record<
          string,
          string
        >,
      );
      for (const s of [mine, watching, wrongTopic])
        await h.call('DELETE', `/v1/subscriptions/${s.id}`, {
          key: (s === watching ? regulator : operator).key,
        });
      await h.call('DELETE', `/v1/subscriptions/${theirs.id}`, { key: bystander.key });
    });

    test('dispatchers racing, in one process and in two, fan each notice out once', async () => {
      const sub = await subscribe(operator, 'https://hooks.example.com/race');
      const watching = await subscribe(regulator, 'https://hooks.example.com/race');
      await notify(Array.from({ length: 120 }, (_, i) => suspended([operator.org.id], { n: i })));
      // On PostgreSQL a second registry process (a context of its own on the schema); SQLite has one process.
      const other: AppContext = store.postgres
        ? await openContext(
            loadConfig({
              dataDir: h.dataDir,
              publicBaseUrl: 'https://registry.test',
              databaseUrl: testDatabaseUrl,
              databaseSchema: h.schema!,
            }),
          )
        : h.ctx;
      try {
        const counts = await Promise.all([
          dispatchNotices(h.ctx),
          dispatchNotices(other),
          dispatchNotices(h.ctx),
          dispatchNotices(other),
        ]);
        assert.equal(
          counts.reduce((a, b) => a + b, 0),
          120,
        );
      } finally {
        if (other !== h.ctx) await other.close();
      }
      for (const [org, id] of [
        [operator, sub.id],
        [regulator, watching.id],
      ] as const) {
        const page = await h.call('GET', `/v1/subscriptions/${id}/deliveries?limit=1000`, { key: org.key });
        const notices = page.body.items.map((d: { noticeId: number }) => d.noticeId);
        assert.equal(notices.length, 120);
        assert.equal(new Set(notices).size, 120);
      }
      // Removing a subscription ends its pending deliveries: nothing more is sent.
      await h.call('DELETE', `/v1/subscriptions/${sub.id}`, { key: operator.key });
      const ended = await h.call('GET', `/v1/subscriptions/${sub.id}/deliveries?state=pending`, {
        key: operator.key,
      });
      assert.equal(ended.body.items.length, 0);
      await h.call('DELETE', `/v1/subscriptions/${watching.id}`, { key: regulator.key });
    });

    test('the background loops fan out and deliver by themselves, and stop cleanly', async () => {
      const hook = await receiver(() => ({ status: 200 }));
      await hook.start();
      const sub = await subscribe(operator, hook.url);
      const failures: unknown[] = [];
      const stop = startNotifications(h.ctx, { intervalMs: 20 }, { failed: (e) => failures.push(e) });
      try {
        await notify([suspended([operator.org.id], { order: 'BACKGROUND' })]);
        for (let i = 0; i < 200 && hook.received.length === 0; i++) await sleep(10);
      } finally {
        await stop();
      }
      assert.deepEqual(failures, []);
      assert.equal(hook.received.length, 1);
      assert.equal(JSON.parse(hook.received[0]!.body).data.order, 'BACKGROUND');
      const [delivery] = await deliveriesOf(operator, sub.id);
      assert.equal(delivery!.state, 'delivered');
      await h.call('DELETE', `/v1/subscriptions/${sub.id}`, { key: operator.key });
    });
  });
}
