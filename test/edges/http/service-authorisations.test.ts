import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import {
  event,
  intoUse,
  manufactured,
  report,
  supplyChain,
  type SupplyChain,
} from '../../support/lifecycle.js';

for (const store of testStores)
  describe(`service authorisations and late reports (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 4);
      await intoUse(h, c, c.robots[0]!);
    });
    after(() => h.close());

    const service = (robotId: string) =>
      event('serviced', robotId, { kind: 'maintenance', description: 'joint lubrication' });
    const grant = (key: string, robotId: string, body: Record<string, unknown>) =>
      h.call('POST', `/v1/robots/${robotId}/service-authorisations`, { key, body });

    test('a service provider reports service only while the custodian authorises it', async () => {
      const id = c.robots[0]!;
      const before = await report(h, c.serviceCo.key, [service(id)]);
      assert.equal(before.status, 403);
      assert.equal(before.body.type, 'urn:robotid:problem:not-permitted');

      const validFrom = new Date(Date.now() - 86_400_000).toISOString();
      const validUntil = new Date(Date.now() + 86_400_000).toISOString();
      const granted = await grant(c.operator.key, id, {
        serviceProviderId: c.serviceCo.org.id,
        validFrom,
        validUntil,
      });
      assert.equal(granted.status, 201, JSON.stringify(granted.body));
      assert.equal((await report(h, c.serviceCo.key, [service(id)])).status, 201);

      const listed = await h.call('GET', `/v1/robots/${id}/service-authorisations`, { key: c.serviceCo.key });
      assert.deepEqual(
        listed.body.items.map((g: { id: string }) => g.id),
        [granted.body.id],
      );

      const revoked = await h.call('DELETE', `/v1/robots/${id}/service-authorisations/${granted.body.id}`, {
        key: c.operator.key,
      });
      assert.equal(revoked.status, 200);
      assert.ok(revoked.body.revokedAt);
      assert.equal((await report(h, c.serviceCo.key, [service(id)])).status, 403, 'revoked: stops at once');
    });

    test('a grant ends with the custody of whoever gave it', async () => {
      const id = c.robots[2]!;
      await intoUse(h, c, id);
      const validFrom = new Date(Date.now() - 86_400_000).toISOString();
      const validUntil = new Date(Date.now() + 86_400_000).toISOString();
      const body = { serviceProviderId: c.serviceCo.org.id, validFrom, validUntil };
      assert.equal((await grant(c.operator.key, id, body)).status, 201);
      assert.equal((await report(h, c.serviceCo.key, [service(id)])).status, 201);
      const transfer = await report(h, c.operator.key, [
        event('ownership_transferred', id, { toOrgId: c.operator2.org.id }),
      ]);
      assert.equal(transfer.status, 201);
      assert.equal(
        (await report(h, c.serviceCo.key, [service(id)])).status,
        403,
        "the old owner's grant is gone",
      );
    });

    test('an expired authorisation no longer works', async () => {
      const id = c.robots[0]!;
      const validFrom = new Date(Date.now() - 3 * 86_400_000).toISOString();
      const validUntil = new Date(Date.now() - 86_400_000).toISOString();
      assert.equal(
        (await grant(c.operator.key, id, { serviceProviderId: c.serviceCo.org.id, validFrom, validUntil }))
          .status,
        201,
      );
      assert.equal((await report(h, c.serviceCo.key, [service(id)])).status, 403);
    });

    test('only the custodian grants, only to a service provider, for a sane period', async () => {
      const id = c.robots[0]!;
      const until = new Date(Date.now() + 86_400_000).toISOString();
      assert.equal(
        (await grant(c.seller.key, id, { serviceProviderId: c.serviceCo.org.id, validUntil: until })).status,
        404,
      );
      const notProvider = await grant(c.operator.key, id, {
        serviceProviderId: c.seller.org.id,
        validUntil: until,
      });
      assert.equal(notProvider.status, 400);
      assert.equal(notProvider.body.errors[0].field, '/serviceProviderId');
      const backwards = await grant(c.operator.key, id, {
        serviceProviderId: c.serviceCo.org.id,
        validUntil: new Date(Date.now() - 60_000).toISOString(),
      });
      assert.equal(backwards.status, 400);
      assert.equal(backwards.body.errors[0].field, '/validUntil');
    });

    test("each organisation's late reports are listed, for itself and regulators", async () => {
      const id = c.robots[1]!;
      const late = { ...manufactured(id), eventTime: new Date(Date.now() - 20 * 86_400_000).toISOString() };
      assert.equal((await report(h, c.maker.key, [late])).body.results[0].late, true);
      const own = await h.call('GET', `/v1/organisations/${c.maker.org.id}/late-reports`, {
        key: c.maker.key,
      });
      assert.equal(own.status, 200);
      assert.deepEqual(
        own.body.items.map((e: { robotId: string }) => e.robotId),
        [id],
      );
      const regulator = await h.call('GET', `/v1/organisations/${c.maker.org.id}/late-reports`, {
        key: c.regulator.key,
        headers: { 'robotid-purpose': 'market_surveillance' },
      });
      assert.equal(regulator.body.items.length, 1);
      assert.equal(
        (await h.call('GET', `/v1/organisations/${c.maker.org.id}/late-reports`, { key: c.seller.key }))
          .status,
        404,
      );
    });
    /** The read-audit records of `reader` about `robotId` or `query`, newest first (a regulator's search). */
    async function readsBy(reader: string, match: { robotId?: string; query?: string }) {
      await h.ctx.readAudit.flush();
      const found = await h.call('GET', `/v1/read-audit?orgId=${reader}&limit=100`, {
        key: c.regulator.key,
        headers: { 'robotid-purpose': 'inspection' },
      });
      assert.equal(found.status, 200, JSON.stringify(found.body));
      return (found.body.items as { robotId: string | null; query: string | null; outcome: string }[]).filter(
        (r) => (match.robotId ? r.robotId === match.robotId : r.query === match.query),
      );
    }

    test('reading a robot’s grants is in the read audit, granted or denied; regulators state why', async () => {
      const id = c.robots[0]!;
      const path = `/v1/robots/${id}/service-authorisations`;
      assert.equal((await h.call('GET', path, { key: c.operator.key })).status, 200);
      assert.equal((await h.call('GET', path, { key: c.operator2.key })).status, 404);
      const without = await h.call('GET', path, { key: c.regulator.key });
      assert.equal(without.status, 400);
      assert.equal(without.body.type, 'urn:robotid:problem:purpose-required');
      const withPurpose = await h.call('GET', path, {
        key: c.regulator.key,
        headers: { 'robotid-purpose': 'inspection' },
      });
      assert.equal(withPurpose.status, 200, JSON.stringify(withPurpose.body));
      assert.deepEqual(
        (await readsBy(c.operator.org.id, { robotId: id })).map((r) => r.outcome),
        ['granted'],
      );
      assert.deepEqual(
        (await readsBy(c.operator2.org.id, { robotId: id })).map((r) => r.outcome),
        ['denied'],
      );
      const regulator = await readsBy(c.regulator.org.id, { robotId: id });
      assert.deepEqual(regulator.map((r) => r.outcome).sort(), ['denied', 'granted']);
    });

    test('reading late reports is in the read audit; a regulator states why', async () => {
      const org = c.serviceCo.org.id;
      const path = `/v1/organisations/${org}/late-reports`;
      const query = `late-reports:${org}`;
      const without = await h.call('GET', path, { key: c.regulator.key });
      assert.equal(without.status, 400);
      assert.equal(without.body.type, 'urn:robotid:problem:purpose-required');
      assert.equal(without.body.errors[0].field, 'header:/RobotID-Purpose');
      const ok = await h.call('GET', path, {
        key: c.regulator.key,
        headers: { 'robotid-purpose': 'inspection' },
      });
      assert.equal(ok.status, 200);
      assert.equal((await h.call('GET', path, { key: c.serviceCo.key })).status, 200);
      assert.equal((await h.call('GET', path, { key: c.seller.key })).status, 404);
      assert.deepEqual((await readsBy(c.regulator.org.id, { query })).map((r) => r.outcome).sort(), [
        'denied',
        'granted',
      ]);
      assert.deepEqual(
        (await readsBy(c.serviceCo.org.id, { query })).map((r) => r.outcome),
        ['granted'],
      );
      assert.deepEqual(
        (await readsBy(c.seller.org.id, { query })).map((r) => r.outcome),
        ['denied'],
      );
    });
  });
