/**
 * EPCIS named queries and query subscriptions (GS1 REST binding /queries) on both stores: a named query is checked
 * by the rules of GET /epcis/events and answers as it does; a streaming subscription receives exactly the new
 * matching events its organisation may see, as signed EPCISQueryDocuments through the webhooks' delivery; a rival's
 * subscription receives none of another's events; unsubscribing (or removing the query) stops delivery.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { startNotifications } from '../../../src/app/notifications/background.js';
import { deliverDue } from '../../../src/app/notifications/deliver.js';
import { dispatchEpcisResults } from '../../../src/app/epcis/subscription-fan-out.js';
import { eventUri } from '../../../src/domain/epcis/uris.js';
import { parseRobotId } from '../../../src/domain/id/index.js';
import { PURPOSE } from '../../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import {
  certified,
  intoUse,
  manufactured,
  report,
  supplyChain,
  type SupplyChain,
} from '../../support/lifecycle.js';
import { WebhookReceiver } from '../../support/webhook-receiver.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const COMMISSIONING = { EQ_bizStep: ['commissioning'], eventType: 'ObjectEvent' };

for (const store of testStores)
  describe(`EPCIS query subscriptions (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    let rival: SupplyChain;
    const receivers: WebhookReceiver[] = [];

    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 4);
      rival = await supplyChain(h, 2);
    });
    after(async () => {
      await Promise.all(receivers.map((r) => r.stop()));
      await h.close();
    });

    const call = (method: string, path: string, key: string, body?: unknown) =>
      h.call(method, path, { key, headers: PURPOSE, ...(body === undefined ? {} : { body }) });
    const createQuery = async (key: string, name: string, query: Record<string, unknown>) => {
      const res = await call('POST', '/epcis/queries', key, { name, query });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res;
    };
    const subscribe = async (key: string, name: string, dest: string) => {
      const res = await call('POST', `/epcis/queries/${name}/subscriptions`, key, { dest, stream: true });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { subscriptionID: string; secret: string };
    };
    const receiver = async () => {
      const r = await WebhookReceiver.on(() => ({ status: 204 }));
      await r.start();
      receivers.push(r);
      return r;
    };
    /** What the background loops do, now: fan-out, then every due attempt. */
    const deliver = async () => {
      await dispatchEpcisResults(h.ctx);
      while ((await deliverDue(h.ctx)) > 0);
    };
    const epcOf = (robot: string) => `https://registry.test/r/${parseRobotId(robot).printed}`;
    const eventIdsIn = (body: string): string[] =>
      (JSON.parse(body) as Json).epcisBody.queryResults.resultsBody.eventList.map((e: Json) => e.eventID);
    const eventIdsOf = async (robot: string, key: string, type: string) =>
      (await call('GET', `/v1/robots/${robot}/events`, key)).body.events
        .filter((e: Json) => e.type === type)
        .map((e: Json) => eventUri(robot, e.eventId));

    test('named queries: the rules of GET /epcis/events, each organisation its own', async () => {
      const unknown = await call('POST', '/epcis/queries', c.maker.key, {
        name: 'q1',
        query: { EQ_bizStep: 'commissioning', MATCH_everything: 'x' },
      });
      assert.equal(unknown.status, 400);
      assert.deepEqual(
        unknown.body.errors.map((e: Json) => e.field),
        ['/query/MATCH_everything'],
      );
      const badTime = await call('POST', '/epcis/queries', c.maker.key, {
        name: 'q1',
        query: { GE_eventTime: 'yesterday' },
      });
      assert.equal(badTime.status, 400);
      assert.equal(badTime.body.errors[0].field, '/query/GE_eventTime');
      const badName = await call('POST', '/epcis/queries', c.maker.key, { name: 'a b', query: {} });
      assert.equal(badName.status, 400);
      assert.equal(badName.body.errors[0].field, '/name');

      const created = await createQuery(c.maker.key, 'made', COMMISSIONING);
      assert.equal(created.headers.location, 'https://registry.test/epcis/queries/made');
      assert.deepEqual(created.body.query, COMMISSIONING);
      const again = await call('POST', '/epcis/queries', c.maker.key, { name: 'made', query: {} });
      assert.equal(again.status, 409);
      assert.equal(again.body.type, 'urn:robotid:problem:epcis-query-exists');
      // The same name in another organisation is its own query; neither sees the other's.
      await createQuery(rival.maker.key, 'made', COMMISSIONING);
      const listed = await call('GET', '/epcis/queries', c.maker.key);
      assert.deepEqual(
        listed.body.map((q: Json) => q.name),
        ['made'],
      );
      assert.equal((await call('GET', '/epcis/queries/nope', c.maker.key)).status, 404);
      assert.equal((await call('GET', '/epcis/queries/made', c.operator.key)).status, 404);

      // Its events are GET /epcis/events' with the same parameters, for each caller.
      await intoUse(h, c, c.robots[0]!);
      const named = await call('GET', '/epcis/queries/made/events?perPage=1000', c.maker.key);
      const direct = await call(
        'GET',
        '/epcis/events?perPage=1000&EQ_bizStep=commissioning&eventType=ObjectEvent',
        c.maker.key,
      );
      assert.equal(named.status, 200, JSON.stringify(named.body));
      assert.equal(named.body.type, 'EPCISQueryDocument');
      assert.deepEqual(named.body.epcisBody, direct.body.epcisBody);
      assert.deepEqual(
        named.body.epcisBody.queryResults.resultsBody.eventList.map((e: Json) => e.eventID),
        await eventIdsOf(c.robots[0]!, c.maker.key, 'manufactured'),
      );
    });

    test('subscriptions: stream only, options not offered refused by name, dest as webhooks take it', async () => {
      const refused = async (body: Record<string, unknown>, field: string) => {
        const res = await call('POST', '/epcis/queries/made/subscriptions', c.maker.key, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.ok(
          res.body.errors.some((e: Json) => e.field === field),
          `${field}: ${JSON.stringify(res.body)}`,
        );
      };
      const dest = 'https://hooks.example.com/epcis';
      await refused({ dest, schedule: { hour: '1', minute: '5' } }, '/schedule');
      await refused({ dest }, '/stream');
      await refused({ dest, stream: true, signatureToken: 'abc' }, '/signatureToken');
      await refused({ dest, stream: true, reportIfEmpty: true }, '/reportIfEmpty');
      await refused({ dest: 'http://hooks.example.com/epcis', stream: true }, '/dest');
      await refused({ dest, stream: true, initialRecordTime: '2020-01-01T00:00:00Z' }, '/initialRecordTime');
      await refused({ dest, stream: true, when: 'now' }, '/when');
      const missing = await call('POST', '/epcis/queries/none/subscriptions', c.maker.key, {
        dest,
        stream: true,
      });
      assert.equal(missing.status, 404);
    });

    test('each new matching event, as the subscriber may see it, to dest: signed, and nothing else', async () => {
      const mine = await receiver();
      const theirs = await receiver();
      const sub = await subscribe(c.maker.key, 'made', mine.url);
      const rivalSub = await subscribe(rival.maker.key, 'made', theirs.url);
      assert.match(sub.secret, /^whsec_/);
      const shown = await call('GET', `/epcis/queries/made/subscriptions/${sub.subscriptionID}`, c.maker.key);
      assert.equal(shown.status, 200);
      assert.equal(shown.body.dest, mine.url);
      assert.equal(shown.body.stream, true);
      assert.equal(
        (await call('GET', `/epcis/queries/made/subscriptions/${sub.subscriptionID}`, rival.maker.key))
          .status,
        404,
      );
      await deliver(); // what was stored before subscribing is not sent

      // Matching (commissioning) and not matching (inspecting) events of both manufacturers' robots.
      const [robot, rivalRobot] = [c.robots[1]!, rival.robots[0]!];
      assert.equal((await report(h, c.maker.key, [manufactured(robot)])).status, 201);
      assert.equal((await report(h, c.certifier.key, [certified(robot)])).status, 201);
      assert.equal((await report(h, rival.maker.key, [manufactured(rivalRobot)])).status, 201);
      await deliver();

      assert.equal(mine.received.length, 1, mine.received.map((r) => r.body).join('\n'));
      const [got] = mine.received;
      const verified = new Webhook(sub.secret).verify(
        got!.body,
        got!.headers as Record<string, string>,
      ) as Json;
      assert.equal(verified.type, 'EPCISQueryDocument');
      assert.equal(verified.epcisBody.queryResults.queryName, 'made');
      assert.equal(verified.epcisBody.queryResults.subscriptionID, sub.subscriptionID);
      assert.deepEqual(eventIdsIn(got!.body), await eventIdsOf(robot, c.maker.key, 'manufactured'));
      assert.equal(verified.epcisBody.queryResults.resultsBody.eventList[0].epcList[0], epcOf(robot));

      // The rival receives its own robot's event, and nothing of the other's.
      assert.equal(theirs.received.length, 1);
      assert.ok(!theirs.received[0]!.body.includes(parseRobotId(robot).printed));
      assert.deepEqual(
        eventIdsIn(theirs.received[0]!.body),
        await eventIdsOf(rivalRobot, rival.maker.key, 'manufactured'),
      );
      assert.throws(() =>
        new Webhook(rivalSub.secret).verify(got!.body, got!.headers as Record<string, string>),
      );

      // The webhooks' delivery log has it, delivered.
      const log = await call('GET', `/v1/subscriptions/${sub.subscriptionID}/deliveries`, c.maker.key);
      assert.deepEqual(
        log.body.items.map((d: Json) => d.state),
        ['delivered'],
      );
      assert.equal(log.body.items[0].id, got!.headers['webhook-id']);
      // Redelivered by the webhooks' own route: the same document, the same webhook-id.
      const again = await call('POST', `/v1/deliveries/${log.body.items[0].id}/redeliver`, c.maker.key);
      assert.equal(again.status, 200, JSON.stringify(again.body));
      await deliver();
      assert.equal(mine.received.length, 2);
      assert.equal(mine.received[1]!.body, got!.body);
      assert.equal(mine.received[1]!.headers['webhook-id'], got!.headers['webhook-id']);
    });

    test('serve’s loops deliver an event captured as EPCIS; a regulator states its purpose', async () => {
      const hook = await receiver();
      await createQuery(c.maker.key, 'made-epcis', { EQ_bizStep: 'commissioning' });
      const sub = await subscribe(c.maker.key, 'made-epcis', hook.url);
      const failures: unknown[] = [];
      const stop = startNotifications(h.ctx, { intervalMs: 20 }, { failed: (e) => failures.push(e) });
      try {
        const robot = c.robots[3]!;
        const document = {
          '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
          type: 'EPCISDocument',
          schemaVersion: '2.0',
          creationDate: new Date().toISOString(),
          epcisBody: {
            eventList: [
              {
                type: 'ObjectEvent',
                eventID: 'urn:uuid:6f1c2a4e-0000-4000-8000-000000000001',
                eventTime: new Date().toISOString(),
                eventTimeZoneOffset: '+00:00',
                action: 'ADD',
                epcList: [epcOf(robot)],
                bizStep: 'commissioning',
              },
            ],
          },
        };
        const captured = await call('POST', '/epcis/capture', c.maker.key, document);
        assert.equal(captured.status, 202, JSON.stringify(captured.body));
        for (let i = 0; i < 300 && hook.received.length === 0; i++) await sleep(20);
        assert.equal(hook.received.length, 1);
        const verified = new Webhook(sub.secret).verify(
          hook.received[0]!.body,
          hook.received[0]!.headers as Record<string, string>,
        ) as Json;
        assert.deepEqual(
          verified.epcisBody.queryResults.resultsBody.eventList.map((e: Json) => e.epcList),
          [[epcOf(robot)]],
        );
      } finally {
        await stop();
      }
      assert.deepEqual(failures, []);

      await createQuery(c.regulator.key, 'all', {});
      const body = { dest: 'https://hooks.example.com/regulator', stream: true };
      const withoutPurpose = await h.call('POST', '/epcis/queries/all/subscriptions', {
        key: c.regulator.key,
        body,
      });
      assert.equal(withoutPurpose.status, 400, JSON.stringify(withoutPurpose.body));
      assert.equal(withoutPurpose.body.type, 'urn:robotid:problem:purpose-required');
      assert.equal(
        (await call('POST', '/epcis/queries/all/subscriptions', c.regulator.key, body)).status,
        201,
      );
    });

    test('unsubscribing, or removing the query or the webhook subscription, stops delivery', async () => {
      const [byUnsubscribe, byQueryRemoval, byWebhookRemoval] = [
        await receiver(),
        await receiver(),
        await receiver(),
      ];
      await createQuery(c.maker.key, 'made-too', COMMISSIONING);
      const sub = await subscribe(c.maker.key, 'made-too', byUnsubscribe.url);
      const other = await subscribe(rival.maker.key, 'made', byQueryRemoval.url);
      const third = await subscribe(c.maker.key, 'made-too', byWebhookRemoval.url);
      // Removed as a webhook subscription (it is one), the query subscription ends too.
      assert.equal(
        (await call('DELETE', `/v1/subscriptions/${third.subscriptionID}`, c.maker.key)).status,
        200,
      );
      const listed = await call('GET', '/epcis/queries/made-too/subscriptions', c.maker.key);
      assert.deepEqual(
        listed.body.map((s: Json) => s.subscriptionID),
        [sub.subscriptionID],
      );
      const gone = await call(
        'DELETE',
        `/epcis/queries/made-too/subscriptions/${sub.subscriptionID}`,
        c.maker.key,
      );
      assert.equal(gone.status, 204);
      assert.equal((await call('DELETE', '/epcis/queries/made', rival.maker.key)).status, 204);
      assert.equal(
        (await call('GET', `/epcis/queries/made/subscriptions/${other.subscriptionID}`, rival.maker.key))
          .status,
        404,
      );
      assert.equal((await call('GET', '/epcis/queries/made-too/subscriptions', c.maker.key)).body.length, 0);

      assert.equal((await report(h, c.maker.key, [manufactured(c.robots[2]!)])).status, 201);
      assert.equal((await report(h, rival.maker.key, [manufactured(rival.robots[1]!)])).status, 201);
      await deliver();
      assert.equal(byUnsubscribe.received.length, 0);
      assert.equal(byQueryRemoval.received.length, 0);
      assert.equal(byWebhookRemoval.received.length, 0);
    });
  });
