import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import { PURPOSE } from '../../support/fixtures.js';
import {
  ACTUATOR,
  actuatorSerial,
  event,
  intoUse,
  manufactured,
  report,
  supplyChain,
  type SupplyChain,
} from '../../support/lifecycle.js';

for (const store of testStores)
  describe(`finding robots (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    let other: SupplyChain;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 6);
      other = await supplyChain(h, 2);
      for (const id of c.robots.slice(0, 4)) await intoUse(h, c, id);
      await report(h, c.maker.key, [manufactured(c.robots[4]!)]);
      await report(h, other.maker.key, [manufactured(other.robots[0]!)]);
    });
    after(() => h.close());

    const find = async (query: string, key = c.regulator.key) => {
      const res = await h.call('GET', `/v1/robots?${query}`, { key, headers: PURPOSE });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.items.map((r: { id: string }) => r.id) as string[];
    };

    test('by state, model and production date', async () => {
      assert.deepEqual(
        await find(`state=in_use&enterpriseCode=${c.maker.org.enterpriseCode}`),
        c.robots.slice(0, 4),
      );
      const model = await find(
        `enterpriseCode=${c.maker.org.enterpriseCode}&modelCode=${c.maker.model.code}`,
      );
      assert.deepEqual(model, c.robots, 'a robot with no events yet is still one of the model');
      assert.deepEqual(await find('state=issued'), [...c.robots.slice(5), ...other.robots.slice(1)].sort());
      assert.deepEqual(await find('state=issued', other.maker.key), other.robots.slice(1));
      assert.deepEqual(await find(`state=issued&region=CN-11`), [], 'a robot never activated has no region');
      const issued = await h.call('GET', `/v1/robots?state=issued`, { key: c.maker.key, headers: PURPOSE });
      assert.deepEqual(
        issued.body.items.map((r: { id: string; state: string }) => [r.id, r.state]),
        [[c.robots[5], 'issued']],
      );
      assert.equal((await find('producedFrom=2026-01-05')).length, 0);
      assert.ok((await find('producedFrom=2026-01-04&producedTo=2026-01-04')).length >= 6);
    });

    test('which robots carry this actuator lot, including parts fitted later in service', async () => {
      const lot = 'LOT-REPL-7';
      const target = c.robots[1]!;
      const fitted = ACTUATOR;
      const replacement = { ...ACTUATOR, serial: 'HJ40-R-0001', lot };
      const svc = await report(h, c.operator.key, [
        event('serviced', target, {
          kind: 'repair',
          replaced: [{ old: { ...fitted, serial: actuatorSerial(target) }, new: replacement }],
          software: [{ target: 'motion_os', version: '3.3.0' }],
        }),
      ]);
      assert.equal(svc.status, 201, JSON.stringify(svc.body));
      assert.deepEqual(await find(`componentLot=${lot}`), [target]);
      const original = await find(`componentLot=${ACTUATOR.lot}`);
      assert.equal(original.includes(target), false, 'the replaced part no longer counts');
      assert.ok((await find(`componentLot=${ACTUATOR.lot}&includeRemoved=true`)).includes(target));
      assert.deepEqual(await find('softwareTarget=motion_os&softwareVersion=3.3.0'), [target]);
      assert.deepEqual(await find(`componentPartNumber=HJ-40&componentSerial=HJ40-R-0001`), [target]);
    });

    test('a serialised part cannot be fitted in two robots at once', async () => {
      const [a, b] = [c.robots[2]!, c.robots[3]!];
      const res = await report(h, c.operator.key, [
        event('serviced', b, {
          kind: 'repair',
          replaced: [
            {
              old: { ...ACTUATOR, serial: actuatorSerial(b) },
              new: { ...ACTUATOR, serial: actuatorSerial(a) },
            },
          ],
        }),
      ]);
      assert.equal(res.status, 409);
      assert.equal(res.body.type, 'urn:robotid:problem:component-fitted-elsewhere');
    });

    test('by certification and region', async () => {
      const valid = await find('certification=valid');
      assert.ok(c.robots.slice(0, 4).every((id) => valid.includes(id)));
      assert.ok((await find('certification=invalid')).includes(c.robots[4]!));
      assert.ok((await find('region=310115')).includes(c.robots[0]!));
    });

    test('a search over many robots states its purpose, whoever asks', async () => {
      const res = await h.call('GET', '/v1/robots?state=in_use', { key: c.operator.key });
      assert.equal(res.status, 400);
      assert.equal(res.body.type, 'urn:robotid:problem:purpose-required');
      assert.equal(res.body.errors[0].field, 'header:/RobotID-Purpose');
    });

    test('each organisation searches only what it may see; pages continue by cursor', async () => {
      assert.deepEqual(await find('state=manufactured', other.maker.key), [other.robots[0]!]);
      const held = await find('', c.operator.key);
      assert.deepEqual(held, c.robots.slice(0, 4), 'an operator sees the robots it holds');
      assert.deepEqual(await find('', c.seller.key), []);
      const first = await h.call('GET', '/v1/robots?limit=2', { key: c.regulator.key, headers: PURPOSE });
      const second = await h.call('GET', `/v1/robots?limit=2&cursor=${first.body.nextCursor}`, {
        key: c.regulator.key,
        headers: PURPOSE,
      });
      assert.equal(first.body.items.length, 2);
      assert.ok(second.body.items[0].id > first.body.items[1].id);
      assert.equal((await h.call('GET', '/v1/robots')).status, 401);
      const bad = await h.call('GET', '/v1/robots?modelCode=W1NK2A', {
        key: c.regulator.key,
        headers: PURPOSE,
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.errors[0].field, 'query:/enterpriseCode');
    });
  });
