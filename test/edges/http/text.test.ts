import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { admit, creditCode, manufacturerWithModel, MODEL, PURPOSE } from '../../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import {
  certified,
  event,
  manufactured,
  report,
  supplyChain,
  type SupplyChain,
} from '../../support/lifecycle.js';

/** Text neither store can hold as sent: NUL and lone UTF-16 surrogates (JSON.stringify escapes both). */
const NUL = 'a\u0000b';
const LONE = 'C-\ud800';

type Answer = Awaited<ReturnType<Harness['call']>>;

/** The first issue of a 400 problem, asserted to be of `code`. */
function issueOf(res: Answer, code: string) {
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  assert.equal(res.body.type, `urn:robotid:problem:${code}`, JSON.stringify(res.body));
  return res.body.errors[0] as { field: string; message: string; position?: number };
}

for (const store of testStores)
  describe(`text the stores cannot hold is refused at the edge (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 5);
    });
    after(() => h?.close());

    test('a certificate number with a lone surrogate is refused, and compliance runs keep working', async () => {
      const id = c.robots[0]!;
      assert.equal((await report(h, c.maker.key, [manufactured(id)])).status, 201);
      const bad = { ...certified(id), payload: { ...certified(id).payload, certificateNumber: LONE } };
      const refused = await report(h, c.certifier.key, [bad]);
      const issue = issueOf(refused, 'invalid-text');
      assert.equal(issue.field, '/events/0/payload/certificateNumber');
      assert.equal(issue.position, 3);
      assert.match(issue.message, /surrogate/);
      // Nothing of the batch was stored; the robot goes on with a good certificate and is sold.
      for (const [key, e] of [
        [c.certifier.key, certified(id)],
        [c.maker.key, event('shipped', id, { toOrgId: c.seller.org.id })],
        [c.seller.key, event('received', id)],
        [c.seller.key, event('sold', id, { toOrgId: c.operator.org.id })],
      ] as const) {
        const res = await report(h, key, [e]);
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      const run = await h.call('POST', '/v1/compliance/runs', { key: c.regulator.key });
      assert.equal(run.status, 200, JSON.stringify(run.body));
    });

    test('a component part number with a lone surrogate is refused in proceed mode too', async () => {
      const id = c.robots[1]!;
      const e = manufactured(id) as { payload: { components: Record<string, unknown>[] } };
      e.payload.components[1] = { ...e.payload.components[1], partNumber: 'XX-\udc00' };
      const issue = issueOf(await report(h, c.maker.key, [e], 'proceed'), 'invalid-text');
      assert.equal(issue.field, '/events/0/payload/components/1/partNumber');
      assert.equal((await h.ctx.store.read((r) => r.listEvents(id))).length, 0);
    });

    test('a surrogate pair and an escaped backslash before u0000 are ordinary text, kept as sent', async () => {
      const maker = await admit(h, ['manufacturer']);
      const name = 'Walker \ud83d\ude00 \\u0000 \\ud800';
      const model = { code: 'H2X9B4', name, category: 'general_purpose', capabilityLevel: 'L3' };
      // The pair as JSON escapes, as a client with ASCII-only output sends it.
      const escaped = JSON.stringify(model).replace('\ud83d\ude00', '\\ud83d\\ude00');
      assert.match(escaped, /Walker \\ud83d\\ude00 \\\\u0000/);
      const created = await h.call('POST', '/v1/models', {
        key: maker.key,
        body: escaped,
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.name, name);
      const read = await h.call('GET', `/v1/models/${created.body.enterpriseCode}/H2X9B4`);
      assert.equal(read.body.name, name, JSON.stringify(read.body));
    });

    test('NUL in body fields and in member names is refused, naming the field', async () => {
      const { key, org } = await manufacturerWithModel(h);
      const cases: [string, string, unknown, string][] = [
        [
          'POST',
          '/v1/organisations',
          { name: NUL, roles: ['seller'], jurisdiction: 'CN', registrationNumber: creditCode() },
          '/name',
        ],
        ['POST', '/v1/models', { ...MODEL, code: 'H3X9B4', name: NUL }, '/name'],
        ['POST', `/v1/organisations/${org.id}/keys`, { name: NUL }, '/name'],
        [
          'POST',
          `/v1/robots/${c.robots[2]}/service-authorisations`,
          { serviceProviderId: NUL },
          '/serviceProviderId',
        ],
        [
          'POST',
          '/v1/events',
          { events: [{ type: 'x', payload: { note: `x${NUL}` } }] },
          '/events/0/payload/note',
        ],
        ['POST', '/v1/events', { events: [{ [`t${NUL}`]: 1 }] }, `/events/0/t${NUL}`],
      ];
      for (const [method, url, body, field] of cases) {
        const issue = issueOf(
          await h.call(method, url, { key: url === '/v1/organisations' ? h.adminKey : key, body }),
          'invalid-text',
        );
        assert.equal(issue.field, field, url);
        assert.match(issue.message, /NUL/);
      }
      // A member name that is not text is named all the same, escaped in the answer (not turned into U+FFFD).
      const lone = await report(h, key, [{ [`k\udc00`]: 1, [`/~`]: 'x\ud800y' }]);
      assert.deepEqual(
        lone.body.errors.map((e: { field: string; position: number }) => [e.field, e.position]),
        [
          ['/events/0/k\udc00', 2],
          ['/events/0/~1~0', 2],
        ],
      );
    });

    test('NUL in any path parameter or query value of any operation is refused, naming it', async () => {
      const doc = (await h.call('GET', '/openapi.json')).body as {
        paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
      };
      let checked = 0;
      for (const [path, operations] of Object.entries(doc.paths))
        for (const [method, operation] of Object.entries(operations)) {
          const params = (operation.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query');
          for (const param of params) {
            const filled = path.replace(/\{([^}]+)\}/g, (_, name) => (name === param.name ? 'a%00b' : 'x'));
            const url = param.in === 'query' ? `${filled}?${param.name}=L%00x` : filled;
            const res = await h.call(method.toUpperCase(), url, {
              key: h.adminKey,
              ...(method === 'get' ? {} : { body: {} }),
            });
            const issue = issueOf(res, 'invalid-text');
            assert.equal(issue.field, `${param.in === 'query' ? 'query' : 'path'}:/${param.name}`, url);
            checked += 1;
          }
        }
      assert.ok(checked > 80, `${checked} parameters checked`);
    });

    test('a body that is not UTF-8 is refused, not rewritten', async () => {
      const id = c.robots[3]!;
      assert.equal((await report(h, c.maker.key, [manufactured(id)])).status, 201);
      const e = certified(id);
      const bytes = Buffer.from(
        JSON.stringify({ events: [{ ...e, payload: { ...e.payload, certificateNumber: 'C-QQQQ' } }] }),
      );
      bytes.set([0xc3, 0x28, 0xff, 0xfe], bytes.indexOf('QQQQ'));
      const res = await h.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { authorization: `Bearer ${c.certifier.key}`, 'content-type': 'application/json' },
        payload: bytes,
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      assert.equal(res.json().type, 'urn:robotid:problem:invalid-utf8');
      assert.equal((await h.ctx.store.read((r) => r.listEvents(id))).length, 1, 'only manufactured');
    });

    test('a query value that decodes to invalid UTF-8 is refused, not kept as its percent text', async () => {
      for (const value of ['%C3%28', '%FF', '%ED%A0%80']) {
        const res = await h.call('GET', `/v1/robots?componentLot=${value}`, {
          key: c.regulator.key,
          headers: PURPOSE,
        });
        assert.equal(issueOf(res, 'invalid-utf8').field, 'query:/componentLot', value);
      }
      const oddName = await h.call('GET', '/v1/robots?lot%+x%=%FF', {
        key: c.regulator.key,
        headers: PURPOSE,
      });
      assert.equal(issueOf(oddName, 'invalid-utf8').field, 'query:/lot% x%');
      // A percent sign not followed by two hex digits is not an encoding at all, and stays a plain query.
      const plain = await h.call('GET', '/v1/robots?componentLot=100%', {
        key: c.regulator.key,
        headers: PURPOSE,
      });
      assert.equal(plain.status, 200, JSON.stringify(plain.body));
    });
  });
