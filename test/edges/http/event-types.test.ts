// GET /v1/event-types lists what POST /v1/events accepts, with the very schemas it validates with; GET
// /v1/robots/{id}/next-events foretells, type by type, what POST /v1/events then does.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { strictAjv } from '../../../src/app/validation.js';
import { EVENT_TYPES, type EventType } from '../../../src/domain/lifecycle/events.js';
import { PAYLOAD_SCHEMAS } from '../../../src/domain/lifecycle/payloads.js';
import { TRANSITIONS } from '../../../src/domain/lifecycle/rules.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import {
  certified,
  event,
  intoUse,
  manufactured,
  report,
  supplyChain,
  type SupplyChain,
} from '../../support/lifecycle.js';
import { person } from '../../support/users.js';

interface Listed {
  type: EventType;
  title: string;
  titleZh: string;
  payloadSchema: Record<string, unknown>;
  reportedBy: { roles: string[]; parties: string[]; description: string };
}

interface Predicted {
  type: EventType;
  allowed: boolean;
  code?: string;
  reason?: string;
}

for (const store of testStores)
  describe(`event types and next events (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 9);
    });
    after(() => h.close());

    test('every event type the registry accepts is listed, with the schema it validates with', async () => {
      const res = await h.call('GET', '/v1/event-types');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const listed = res.body.eventTypes as Listed[];
      assert.deepEqual(
        listed.map((e) => e.type),
        [...EVENT_TYPES],
      );
      const robot = c.robots[0]!;
      for (const entry of listed) {
        assert.deepEqual(entry.payloadSchema, JSON.parse(JSON.stringify(PAYLOAD_SCHEMAS[entry.type])));
        assert.ok(entry.title.length > 0 && /\p{Script=Han}/u.test(entry.titleZh), entry.type);
        // The listed schema and the server agree on payloads: each accepted or refused as invalid-event alike.
        const check = strictAjv.compile(entry.payloadSchema);
        for (const payload of [{}, { unexpected: 1 }]) {
          const sent = await report(h, c.regulator.key, [event(entry.type, robot, payload)], 'proceed');
          const problem = sent.body.results[0].problem as { code: string } | undefined;
          assert.equal(
            check(payload),
            problem?.code !== 'invalid-event',
            `${entry.type} ${JSON.stringify(payload)}: ${JSON.stringify(problem)}`,
          );
        }
      }
    });

    test('who may report each type comes from the transition table', async () => {
      const listed = (await h.call('GET', '/v1/event-types')).body.eventTypes as Listed[];
      const by = new Map(listed.map((e) => [e.type, e.reportedBy]));
      for (const type of EVENT_TYPES.filter((t) => t !== 'corrected'))
        assert.deepEqual(by.get(type)!.parties, [...TRANSITIONS[type].who.anyOf], type);
      assert.deepEqual(by.get('sold')!.roles, ['seller', 'manufacturer']);
      assert.deepEqual(by.get('suspended')!.roles, ['regulator']);
      assert.deepEqual(by.get('serviced')!.roles, []);
      assert.deepEqual(by.get('corrected')!.parties, ['original-reporter', 'regulator']);
    });

    test('the prediction is what POST /v1/events does, for each robot state, reporter and type', async () => {
      const [issued, made, cert, transit, sold, inUse, suspended, lost, scrapped] = c.robots as [
        string,
        ...string[],
      ];
      const must = async (key: string, e: unknown) => {
        const res = await report(h, key, [e]);
        assert.equal(res.status, 201, JSON.stringify(res.body));
      };
      await must(c.maker.key, manufactured(made!));
      for (const id of [cert!, transit!, sold!]) {
        await must(c.maker.key, manufactured(id));
        await must(c.certifier.key, certified(id));
      }
      await must(c.maker.key, event('shipped', transit!, { toOrgId: c.seller.org.id }));
      await must(c.maker.key, event('shipped', sold!, { toOrgId: c.seller.org.id }));
      await must(c.seller.key, event('received', sold!));
      await must(c.seller.key, event('sold', sold!, { toOrgId: c.operator.org.id }));
      for (const id of [inUse!, suspended!, lost!, scrapped!]) await intoUse(h, c, id);
      await must(c.regulator.key, event('suspended', suspended!, { orderNumber: 'SU-7', reason: 'falls' }));
      await must(c.operator.key, event('reported_lost', lost!));
      await must(c.operator.key, event('decommissioned', scrapped!));

      const toOrgId = c.operator2.org.id;
      const payloads: Record<Exclude<EventType, 'corrected'>, Record<string, unknown>> = {
        manufactured: manufactured(issued).payload,
        certified: certified(issued).payload,
        shipped: { toOrgId },
        received: {},
        sold: { toOrgId },
        activated: { siteType: 'factory', region: '310115' },
        serviced: { kind: 'inspection' },
        incident_reported: { category: 'fall', severity: 'minor' },
        ownership_transferred: { toOrgId },
        suspended: { orderNumber: 'SU-8', reason: 'test' },
        reinstated: { orderNumber: 'SU-7' },
        decommissioned: {},
        recycled: { components: [] },
        exported: { country: 'DE' },
        imported: { country: 'DE' },
        reported_lost: {},
        reported_stolen: {},
        recovered: {},
      };
      const callers = [c.maker, c.certifier, c.seller, c.operator, c.serviceCo, c.recycler, c.regulator];
      let compared = 0;
      let accepted = 0;
      for (const robot of [issued, made!, cert!, transit!, sold!, inUse!, suspended!, lost!, scrapped!])
        for (const caller of callers) {
          const res = await h.call('GET', `/v1/robots/${robot}/next-events`, { key: caller.key });
          assert.equal(res.status, 200, JSON.stringify(res.body));
          const predicted = new Map((res.body.events as Predicted[]).map((e) => [e.type, e]));
          assert.deepEqual([...predicted.keys()], [...EVENT_TYPES]);
          for (const [type, payload] of Object.entries(payloads)) {
            // A second, malformed event makes the batch roll back, so that the robot stays as it is.
            const probe = {
              type,
              robotId: robot,
              eventTime: new Date(Date.now() - 1000).toISOString(),
              payload,
            };
            const sent = await report(h, caller.key, [probe, { type: 'nonsense' }]);
            const result = sent.body.results[0] as { outcome: string; problem?: { code: string } };
            const p = predicted.get(type as EventType)!;
            const what = `${type} on ${res.body.state} by ${caller.org.roles.join()}: ${JSON.stringify(p)} vs ${JSON.stringify(result)}`;
            assert.equal(p.allowed, result.outcome === 'accepted', what);
            if (!p.allowed) assert.equal(p.code, result.problem?.code, what);
            compared += 1;
            if (p.allowed) accepted += 1;
          }
        }
      assert.equal(compared, 9 * 7 * 18);
      assert.ok(accepted > 30, `some allowed: ${accepted}`);
    });

    test('reasons: named to those who see the robot, not to others; corrections; a viewer reports nothing', async () => {
      const robot = c.robots[5]!; // in use with c.operator (previous test)
      const next = async (key: string) =>
        new Map(
          ((await h.call('GET', `/v1/robots/${robot}/next-events`, { key })).body.events as Predicted[]).map(
            (e) => [e.type, e],
          ),
        );
      const seller = await next(c.seller.key);
      assert.equal(seller.get('activated')!.code, 'not-permitted');
      assert.doesNotMatch(seller.get('activated')!.reason!, /org_/, 'a stranger does not learn who holds it');
      assert.match((await next(c.maker.key)).get('activated')!.reason!, new RegExp(c.operator.org.id));
      assert.equal((await next(c.operator.key)).get('corrected')!.allowed, true, 'it reported events');
      assert.equal((await next(c.seller.key)).get('corrected')!.allowed, true, 'it reported the sale');
      assert.equal((await next(c.serviceCo.key)).get('corrected')!.code, 'nothing-to-correct');

      const viewer = await person(h, c.operator.org.id, c.operator.key, 'viewer');
      const seen = await h.call('GET', `/v1/robots/${robot}/next-events`, {
        headers: { cookie: viewer.cookie },
      });
      assert.equal(seen.status, 200);
      for (const e of seen.body.events as Predicted[]) assert.equal(e.code, 'role-forbids', e.type);

      assert.equal((await h.call('GET', `/v1/robots/${robot}/next-events`)).status, 401);
      const none = await h.call('GET', '/v1/robots/CN0001H1X9B4R0000000000999999/next-events', {
        key: c.operator.key,
      });
      assert.equal(none.status, 404);
    });
  });
