import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RobotModel } from '../../../src/domain/model/model.js';
import { adapters } from '../adapters.js';
import { allPages, model, org, storePerTest } from './fixtures.js';

for (const adapter of adapters) {
  describe(`store contract, models: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    test('a model round-trips whole, its specs as JSON; an unknown one is null', async () => {
      const written: RobotModel = {
        ...model('0001', 'AAAAAA'),
        category: 'healthcare',
        capabilityLevel: 'L4',
        specs: {
          heightMm: 1650,
          massKg: 55.5,
          degreesOfFreedom: 43,
          standards: ['GB/T 12643', 'ISO 10218-1'],
        },
      };
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertModel(written);
        await tx.insertModel({ ...model('0001', 'BBBBBB'), specs: {} });
      });
      assert.deepEqual(await store.read((r) => r.getModel('0001', 'AAAAAA')), written);
      assert.deepEqual((await store.read((r) => r.getModel('0001', 'BBBBBB')))?.specs, {});
      assert.equal(await store.read((r) => r.getModel('0001', 'CCCCCC')), null);
      assert.equal(await store.read((r) => r.getModel('0002', 'AAAAAA')), null);
    });

    test("lists every model or one enterprise's, in the order inserted, paged with limit and next", async () => {
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertOrganisation(org(2));
        for (const [ec, code] of [
          ['0002', 'ZZZZZZ'],
          ['0001', 'CCCCCC'],
          ['0002', 'AAAAAA'],
          ['0001', 'AAAAAA'],
          ['0001', 'BBBBBB'],
        ] as const)
          await tx.insertModel(model(ec, code));
      });
      const key = (m: RobotModel) => `${m.enterpriseCode}/${m.code}`;
      const every = await allPages(0, (after) => store.read((r) => r.listModels(null, { after, limit: 2 })));
      assert.deepEqual(every.map(key), [
        '0002/ZZZZZZ',
        '0001/CCCCCC',
        '0002/AAAAAA',
        '0001/AAAAAA',
        '0001/BBBBBB',
      ]);
      const first = await store.read((r) => r.listModels('0001', { after: 0, limit: 2 }));
      assert.deepEqual(first.items.map(key), ['0001/CCCCCC', '0001/AAAAAA']);
      assert.notEqual(first.next, null);
      const rest = await store.read((r) => r.listModels('0001', { after: first.next!, limit: 2 }));
      assert.deepEqual(rest, { items: [model('0001', 'BBBBBB')], next: null });
      assert.deepEqual(await store.read((r) => r.listModels('0009', { after: 0, limit: 2 })), {
        items: [],
        next: null,
      });
    });

    test('serials are reserved in consecutive ranges per model, from 1', async () => {
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertModel(model('0001', 'AAAAAA'));
        await tx.insertModel(model('0001', 'BBBBBB'));
      });
      const firsts = await store.write(async (tx) => [
        await tx.reserveSerials('0001', 'AAAAAA', 3),
        await tx.reserveSerials('0001', 'AAAAAA', 100),
        await tx.reserveSerials('0001', 'BBBBBB', 1),
      ]);
      assert.deepEqual(firsts, [1, 4, 1]);
      assert.equal(await store.write((tx) => tx.reserveSerials('0001', 'AAAAAA', 1)), 104);
    });

    test('reserving serials of an unknown model is refused and reserves nothing', async () => {
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertModel(model('0001', 'AAAAAA'));
      });
      await assert.rejects(
        store.write(async (tx) => {
          await tx.reserveSerials('0001', 'AAAAAA', 5);
          await tx.reserveSerials('0001', 'ZZZZZZ', 5);
        }),
      );
      assert.equal(await store.write((tx) => tx.reserveSerials('0001', 'AAAAAA', 1)), 1);
    });
  });
}
