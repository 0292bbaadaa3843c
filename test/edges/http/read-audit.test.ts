import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ReadRecord } from '../../../src/app/read-audit.js';
import { PURPOSES } from '../../../src/domain/policy/purposes.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import { intoUse, supplyChain, type SupplyChain } from '../../support/lifecycle.js';

const PURPOSE = 'robotid-purpose';

for (const store of testStores)
  describe(`read audit over HTTP (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 3);
      await intoUse(h, c, c.robots[0]!);
    });
    after(() => h.close());

    type Party = { org: { id: string }; keyId: string };
    const readOf = (who: Party, robotId: string | null, extra: Partial<ReadRecord> = {}): ReadRecord => ({
      at: new Date().toISOString(),
      orgId: who.org.id,
      keyId: who.keyId,
      robotId,
      query: null,
      classes: ['technical'],
      purpose: null,
      outcome: 'granted',
      ...extra,
    });

    const reads = (robotId: string, key: string, headers: Record<string, string> = {}) =>
      h.call('GET', `/v1/robots/${robotId}/reads`, { key, headers });

    test("the operator sees who read its robot's data: names, classes, purposes, no key ids", async () => {
      const id = c.robots[0]!;
      h.ctx.readAudit.record(readOf(c.regulator, id, { classes: ['custody', 'usage'], purpose: 'recall' }));
      h.ctx.readAudit.record(readOf(c.maker, id, { classes: ['supply'] }));
      await h.ctx.readAudit.flush();
      const listed = await reads(id, c.operator.key);
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      const [maker, regulator] = listed.body.items;
      assert.deepEqual(
        { ...maker, at: undefined },
        {
          at: undefined,
          orgId: c.maker.org.id,
          orgName: c.maker.org.name,
          classes: ['supply'],
          purpose: null,
          outcome: 'granted',
        },
      );
      assert.equal(regulator.orgId, c.regulator.org.id);
      assert.deepEqual(regulator.classes, ['custody', 'usage']);
      assert.equal(regulator.purpose, 'recall');
      assert.ok(listed.body.items.every((i: object) => !('keyId' in i)));
    });

    test("another organisation hears there is no such robot, and its attempt is on the robot's record", async () => {
      const id = c.robots[0]!;
      for (const key of [c.operator2.key, c.maker.key]) {
        const refused = await reads(id, key);
        assert.equal(refused.status, 404);
        assert.equal(refused.body.type, 'urn:robotid:problem:robot-not-found');
      }
      const unknown = await reads('CN0001AAAAAA00000000000000001', c.operator2.key);
      assert.equal(unknown.status, 404, 'the same answer as for a robot that does not exist');
      await h.ctx.readAudit.flush();
      const listed = await reads(id, c.operator.key);
      const denied = listed.body.items.filter((i: { outcome: string }) => i.outcome === 'denied');
      assert.deepEqual(
        denied.map((i: { orgId: string }) => i.orgId),
        [c.maker.org.id, c.operator2.org.id],
      );
      assert.equal((await reads(id, '')).status, 401, 'no key: no answer');
    });

    test('a regulator lists a robot’s reads with a purpose, and sees key ids', async () => {
      const id = c.robots[0]!;
      const without = await reads(id, c.regulator.key);
      assert.equal(without.status, 400);
      assert.equal(without.body.type, 'urn:robotid:problem:purpose-required');
      assert.equal(without.body.errors[0].field, 'header:/RobotID-Purpose');
      const listed = await reads(id, c.regulator.key, { [PURPOSE]: 'inspection' });
      assert.equal(listed.status, 200);
      assert.ok(listed.body.items.length > 0);
      assert.ok(listed.body.items.every((i: object) => 'keyId' in i));
    });

    test('an unknown purpose code is refused, naming the header and listing the codes', async () => {
      const refused = await reads(c.robots[0]!, c.regulator.key, { [PURPOSE]: 'curiosity' });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.type, 'urn:robotid:problem:invalid-purpose');
      assert.equal(refused.body.errors[0].field, 'header:/RobotID-Purpose');
      for (const code of PURPOSES) assert.ok(refused.body.detail.includes(code), code);
    });

    describe('the regulator search', () => {
      // Records of a past day, so that the searches' own records (made now) stay out of the expectations.
      const day = '2025-06-01';
      const at = (n: number) => `${day}T10:${String(n).padStart(2, '0')}:00.000Z`;
      let written: ReadRecord[];
      before(async () => {
        const parties = [c.regulator, c.maker, c.operator, c.operator2];
        written = Array.from({ length: 24 }, (_, n) =>
          readOf(parties[n % 4]!, n % 3 === 2 ? null : c.robots[n % 3]!, {
            at: at(n),
            query: n % 3 === 2 ? 'state=in_use' : null,
            purpose: n % 2 ? PURPOSES[n % PURPOSES.length]! : null,
            outcome: n % 5 === 0 ? 'denied' : 'granted',
          }),
        );
        for (const r of written) h.ctx.readAudit.record(r);
        await h.ctx.readAudit.flush();
      });

      const search = (query: string, purpose: string | null = 'market_surveillance', key = c.regulator.key) =>
        h.call('GET', `/v1/read-audit?${query}`, { key, headers: purpose ? { [PURPOSE]: purpose } : {} });

      /** Every page of a search, following the cursors. */
      async function everyPage(query: string, limit: number) {
        const items: { at: string; id: number }[] = [];
        let cursor: string | null = null;
        do {
          const page = await search(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
          assert.equal(page.status, 200, JSON.stringify(page.body));
          items.push(...page.body.items);
          cursor = page.body.nextCursor;
        } while (cursor !== null);
        return items;
      }

      const inDay = `from=${day}T00:00:00Z&to=${day}T23:59:59Z`;
      const expected = (matches: (r: ReadRecord) => boolean) =>
        written
          .filter(matches)
          .map((r) => r.at)
          .reverse();

      test('filters by robot, organisation, purpose, outcome and time, and pages without gaps or repeats', async () => {
        const cases: [string, (r: ReadRecord) => boolean][] = [
          ['', () => true],
          [`robotId=${c.robots[1]!}`, (r) => r.robotId === c.robots[1]],
          [`orgId=${c.maker.org.id}`, (r) => r.orgId === c.maker.org.id],
          ['purpose=recall', (r) => r.purpose === 'recall'],
          ['outcome=denied', (r) => r.outcome === 'denied'],
          [
            `robotId=${c.robots[0]!}&outcome=granted`,
            (r) => r.robotId === c.robots[0] && r.outcome === 'granted',
          ],
        ];
        for (const [query, matches] of cases)
          for (const limit of [1, 5, 1000])
            assert.deepEqual(
              (await everyPage(`${inDay}&${query}`, limit)).map((i) => i.at),
              expected(matches),
              `${query} by ${limit}`,
            );
        const window = await everyPage(`from=${at(5)}&to=${at(9)}`, 2);
        assert.deepEqual(
          window.map((i) => i.at),
          [at(8), at(7), at(6), at(5)],
          'from inclusive, to exclusive',
        );
        const offset = await everyPage(`from=${day}T18:05:00%2B08:00&to=${day}T18:07:00%2B08:00`, 10);
        assert.deepEqual(
          offset.map((i) => i.at),
          [at(6), at(5)],
          'instants with an offset compare as instants',
        );
      });

      test('a full line names the reader, its key, the robot or query, and the purpose', async () => {
        const [line] = (await search(`${inDay}&orgId=${c.operator.org.id}&limit=1`)).body.items;
        const last = written.filter((r) => r.orgId === c.operator.org.id).at(-1)!;
        assert.deepEqual(
          { ...line, id: undefined },
          { ...last, id: undefined, orgName: c.operator.org.name },
        );
      });

      test('a search needs a purpose, and is itself recorded with its canonical query', async () => {
        const without = await search(inDay, null);
        assert.equal(without.status, 400);
        assert.equal(without.body.type, 'urn:robotid:problem:purpose-required');
        assert.deepEqual(
          without.body.errors.map((e: { field: string }) => e.field),
          ['header:/RobotID-Purpose'],
        );
        const robotId = c.robots[2]!;
        assert.equal((await search(`purpose=customs&robotId=${robotId}`, 'law_enforcement')).status, 200);
        await h.ctx.readAudit.flush();
        const [own] = (await search(`orgId=${c.regulator.org.id}&limit=1`)).body.items;
        // The search just made (the latest of the regulator's records is the one that found this one: skip it).
        const [recorded] = (await search(`orgId=${c.regulator.org.id}&purpose=law_enforcement&limit=1`)).body
          .items;
        assert.equal(own.robotId, null);
        assert.deepEqual(
          { robotId: recorded.robotId, query: recorded.query, purpose: recorded.purpose },
          { robotId: null, query: `purpose=customs&robotId=${robotId}`, purpose: 'law_enforcement' },
        );
        assert.deepEqual(recorded.classes, ['usage']);
      });

      test('other organisations are refused (403), and the attempt is recorded', async () => {
        const refused = await search(inDay, 'inspection', c.operator.key);
        assert.equal(refused.status, 403);
        assert.equal(refused.body.type, 'urn:robotid:problem:role-required');
        await h.ctx.readAudit.flush();
        const [attempt] = (await search(`orgId=${c.operator.org.id}&outcome=denied&limit=1`)).body.items;
        assert.equal(attempt.query, `from=${day}T00:00:00.000Z&to=${day}T23:59:59.000Z`);
        assert.equal(attempt.outcome, 'denied');
      });

      test('bad filters are refused as such', async () => {
        assert.equal((await search('robotId=nonsense')).body.type, 'urn:robotid:problem:invalid-robot-id');
        assert.equal((await search('from=yesterday')).status, 400);
        assert.equal((await search('purpose=curiosity')).status, 400);
        assert.equal((await search('cursor=bm9wZQ')).body.type, 'urn:robotid:problem:invalid-cursor');
      });
    });
  });
