import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resolveRobotEpc, resolveRobotEpcs } from '../../../src/app/epcis/robot-epc.js';
import { formatRobotId, parseRobotId } from '../../../src/domain/id/index.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import { supplyChain, type SupplyChain } from '../../support/lifecycle.js';

// One SGTIN in its two spellings (company prefix 0614141, GTIN 80614141123458, serial 400), and another serial.
const URN = 'urn:epc:id:sgtin:0614141.812345.400';
const DIGITAL_LINK = 'https://brand.example/gtin/80614141123458/ser/400?17=281231';
const CANONICAL = 'https://id.gs1.org/01/80614141123458/21/400';
const OTHER = 'urn:epc:id:sgtin:0614141.812345.401';

for (const store of testStores)
  describe(`robots' GS1 keys (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    let rival: SupplyChain;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      [c, rival] = await Promise.all([supplyChain(h, 2), supplyChain(h, 1)]);
    });
    after(() => h.close());

    const put = (key: string, robotId: string, gs1Key: unknown) =>
      h.call('PUT', `/v1/robots/${robotId}/gs1-key`, { key, body: { gs1Key } });
    const remove = (key: string, robotId: string) =>
      h.call('DELETE', `/v1/robots/${robotId}/gs1-key`, { key });
    const audits = (action: string, outcome: 'success' | 'failure') =>
      h.ctx.store.read((r) => r.countAudit({ action, outcome }));
    const resolve = (uri: string) => h.ctx.store.read((r) => resolveRobotEpc(r, h.ctx.publicBaseUrl, uri));

    test('the manufacturer registers a key in either spelling; EPCIS names the robot by it in either', async () => {
      const [robot] = c.robots as [string];
      const set = await put(c.maker.key, robot, URN);
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.gs1Key, CANONICAL);
      assert.equal(set.body.registeredBy, c.maker.org.id);
      assert.equal(
        (await put(c.maker.key, robot, DIGITAL_LINK)).body.gs1Key,
        CANONICAL,
        'the same key again',
      );

      for (const uri of [
        URN,
        DIGITAL_LINK,
        CANONICAL,
        `${h.ctx.publicBaseUrl}/r/${robot}`,
        `urn:robotid:robot:${robot}`,
      ]) {
        assert.deepEqual(await resolve(uri), { robotId: robot }, uri);
      }
      const maker = await h.call('GET', `/v1/robots/${robot}`, { key: c.maker.key });
      assert.equal(maker.body.gs1Key, CANONICAL, "in the manufacturer's view");
      const anyone = await h.call('GET', `/v1/robots/${robot}`);
      assert.equal(anyone.body.gs1Key, undefined, 'not in the public view (supply data)');
      assert.ok((await audits('robot.gs1-key.set', 'success')) >= 2);
    });

    test("a key is one robot's: 409 for another robot, which is named only to its own manufacturer", async () => {
      const [first, second] = c.robots as [string, string];
      assert.equal((await put(c.maker.key, first, URN)).status, 200);
      const taken = await put(c.maker.key, second, DIGITAL_LINK);
      assert.equal(taken.status, 409, JSON.stringify(taken.body));
      assert.equal(taken.body.type, 'urn:robotid:problem:gs1-key-taken');
      assert.equal(taken.body.robotId, first);
      const byRival = await put(rival.maker.key, rival.robots[0]!, URN);
      assert.equal(byRival.status, 409);
      assert.equal(byRival.body.robotId, undefined);
      assert.ok(!JSON.stringify(byRival.body).includes(first));
      assert.ok((await audits('robot.gs1-key.set', 'failure')) >= 2);
    });

    test('only its manufacturer (or an administrator) may; a key must be an SGTIN with a good check digit', async () => {
      const [, robot] = c.robots as [string, string];
      for (const stranger of [rival.maker.key, c.operator.key]) {
        const refused = await put(stranger, robot, OTHER);
        assert.equal(refused.status, 404, 'as if there were no such robot');
        assert.equal(refused.body.type, 'urn:robotid:problem:robot-not-found');
      }
      assert.equal((await put(h.adminKey, robot, OTHER)).status, 200, 'the registry administrator');
      for (const [bad, says] of [
        ['urn:epc:id:sscc:0614141.1234567890', 'a GTIN with a serial number'],
        ['https://id.gs1.org/01/80614141123457/21/400', 'check digit'],
        ['urn:epc:id:sgtin:0614141.12345.400', 'not an EPC URN this registry reads'],
        ['robot 400', 'neither an SGTIN EPC URN nor a GS1 Digital Link URI'],
      ] as const) {
        const res = await put(c.maker.key, robot, bad);
        assert.equal(res.status, 400, bad);
        assert.equal(res.body.type, 'urn:robotid:problem:invalid-gs1-key');
        assert.equal(
          res.body.errors?.[0]?.field ?? res.body.fields?.[0]?.field,
          '/gs1Key',
          JSON.stringify(res.body),
        );
        assert.match(JSON.stringify(res.body), new RegExp(says), bad);
      }
    });

    test('removing the key: the robot is no longer found by it; removing again is 404', async () => {
      const [, robot] = c.robots as [string, string];
      assert.equal((await put(c.maker.key, robot, OTHER)).status, 200);
      assert.equal((await remove(rival.maker.key, robot)).status, 404);
      assert.equal((await remove(c.maker.key, robot)).status, 204);
      assert.equal('code' in (await resolve(OTHER)) ? 'unresolved' : 'resolved', 'unresolved');
      const again = await remove(c.maker.key, robot);
      assert.equal(again.status, 404);
      assert.equal(again.body.type, 'urn:robotid:problem:gs1-key-not-found');
      assert.ok((await audits('robot.gs1-key.remove', 'success')) >= 1);
    });

    test('what names no robot says precisely why, for a whole batch at once', async () => {
      const made = parseRobotId(c.robots[0]!);
      const unissued = `urn:robotid:robot:${formatRobotId({ ...made, serial: '0'.repeat(16) + '9' }).canonical}`;
      const uris = [
        'urn:epc:id:sgtin:0614141.812345.999',
        'urn:epc:id:sscc:0614141.1234567890',
        `${h.ctx.publicBaseUrl}/r/NOT-AN-ID`,
        'https://elsewhere.example/r/whatever',
        unissued,
      ];
      const answers = await h.ctx.store.read((r) => resolveRobotEpcs(r, h.ctx.publicBaseUrl, uris));
      const codes = uris.map((uri) => {
        const answer = answers.get(uri)!;
        return 'code' in answer ? answer.code : answer.robotId;
      });
      assert.deepEqual(codes.slice(0, 4), [
        'gs1-key-not-registered',
        'gs1-key-not-registered',
        'invalid-robot-id',
        'not-a-robot-epc',
      ]);
      assert.equal(codes[4], 'robot-not-found');
      assert.match(JSON.stringify(answers.get(uris[1]!)), /no serialised item/);
    });
  });
