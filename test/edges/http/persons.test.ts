import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { auditLog } from '../../../src/app/log/audit.js';
import { signCheckpoint } from '../../../src/app/log/checkpoints.js';
import { buildServer } from '../../../src/edges/http/server.js';
import { parseVerifierKey } from '../../../src/log/note.js';
import type { RawTables } from '../../../src/store/tables.js';
import { TABLES } from '../../../src/store/tables.js';
import { startHarness, testDatabaseUrl, testStores, type Harness } from '../../support/harness.js';
import {
  certified,
  event,
  manufactured,
  report,
  supplyChain,
  type SupplyChain,
} from '../../support/lifecycle.js';

/** Personal data with a random marker in every field: it must turn up nowhere but in the answers to lawful reads. */
function canaryPerson() {
  const canary = `CANARY-${randomBytes(6).toString('hex')}`;
  const body = {
    name: `${canary}-NAME`,
    email: `${canary.toLowerCase()}@mail.test`,
    phone: `+86 138 ${canary}`,
    address: `${canary} Nanjing Road 1, Shanghai`,
    nationalId: `${canary}-ID`,
  };
  return { canary, body };
}

const PURPOSE = { 'robotid-purpose': 'incident_investigation' };

/** Every row of every table the registry keeps, as text (bytes as themselves and as hex). */
async function everyStoredValue(h: Harness): Promise<string> {
  if (h.schema) return everyPostgresValue(h.schema);
  const parts: string[] = [];
  await (h.ctx.store as unknown as RawTables).snapshot(async (reader) => {
    for (const table of TABLES) {
      for (const row of await reader.rows(table, null, 1_000_000))
        for (const value of row)
          parts.push(
            Buffer.isBuffer(value) ? `${value.toString('latin1')} ${value.toString('hex')}` : String(value),
          );
    }
  });
  return parts.join('\n');
}

/** PostgreSQL: `SELECT *` of every table in the registry's schema, whether TABLES lists it or not. */
async function everyPostgresValue(schema: string): Promise<string> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    assert.ok(tables.rows.some((t) => t.table_name === 'personal_data'));
    const parts: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query(`SELECT t::text AS row FROM "${schema}"."${table_name}" t`);
      parts.push(...rows.rows.map((r: { row: string }) => r.row));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

const containsCanary = (text: string, canary: string) =>
  text.includes(canary) ||
  text.toLowerCase().includes(canary.toLowerCase()) ||
  text.includes(Buffer.from(canary).toString('hex'));

for (const store of testStores)
  describe(`persons and their personal data (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    const logs: string[] = [];
    let logged: Awaited<ReturnType<typeof buildServer>>;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 3);
      // A second server on the same registry, logging every request as `serve` does (and more): a log sink.
      const sink = new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      });
      logged = await buildServer(h.ctx, {
        logger: { level: 'trace', stream: sink, redact: ['req.headers.authorization'] },
      });
    });
    after(async () => {
      await logged.close();
      await h.close();
    });

    async function register(key: string, body: Record<string, unknown>) {
      const response = await logged.inject({
        method: 'POST',
        url: '/v1/persons',
        headers: { authorization: `Bearer ${key}` },
        payload: body,
      });
      return { status: response.statusCode, body: response.json() };
    }

    /** A registered person with its own API key (issued by the administrator). */
    async function person() {
      const { canary, body } = canaryPerson();
      const created = await register(c.seller.key, body);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const key = await h.call('POST', `/v1/organisations/${created.body.id}/keys`, {
        key: h.adminKey,
        body: { name: 'own phone' },
      });
      assert.equal(key.status, 201);
      return { canary, data: body, party: created.body, key: key.body.token as string };
    }

    const readData = (id: string, key: string, headers: Record<string, string> = {}) =>
      h.call('GET', `/v1/persons/${id}/personal-data`, { key, headers });

    /** A robot's life with a person as its owner: sold to them, used, serviced under their grant. */
    async function lifeWithOwner(robotId: string, owner: { party: { id: string }; key: string }) {
      const steps: [string, unknown][] = [
        [c.maker.key, manufactured(robotId)],
        [c.certifier.key, certified(robotId)],
        [c.maker.key, event('shipped', robotId, { toOrgId: c.seller.org.id })],
        [c.seller.key, event('received', robotId)],
        [c.seller.key, event('sold', robotId, { toOrgId: owner.party.id })],
        [owner.key, event('activated', robotId, { siteType: 'home', region: '310115' })],
      ];
      for (const [key, e] of steps) {
        const res = await report(h, key, [e]);
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      const grant = await h.call('POST', `/v1/robots/${robotId}/service-authorisations`, {
        key: owner.key,
        body: {
          serviceProviderId: c.serviceCo.org.id,
          validFrom: new Date(Date.now() - 2 * 86_400_000).toISOString(),
          validUntil: new Date(Date.now() + 86_400_000).toISOString(),
        },
      });
      assert.equal(grant.status, 201, JSON.stringify(grant.body));
      const serviced = await report(h, c.serviceCo.key, [
        event('serviced', robotId, { kind: 'maintenance', description: 'joint lubrication' }),
      ]);
      assert.equal(serviced.status, 201, JSON.stringify(serviced.body));
      await signCheckpoint(h.ctx);
    }

    test('a person is a pseudonymous operator: robots are sold to it, and its name is nowhere in plaintext', async () => {
      const owner = await person();
      assert.equal(owner.party.kind, 'person');
      assert.equal(owner.party.name, `person ${owner.party.id}`);
      assert.deepEqual(owner.party.roles, ['operator']);
      assert.equal(owner.party.registrationNumber, undefined);
      const robotId = c.robots[0]!;
      await lifeWithOwner(robotId, owner);

      const views = await Promise.all([
        h.call('GET', '/v1/organisations?limit=1000', { key: c.regulator.key }),
        h.call('GET', `/v1/organisations/${owner.party.id}`, { key: owner.key }),
        h.call('GET', `/v1/organisations/${owner.party.id}`, { key: c.regulator.key }),
        h.call('GET', `/v1/robots/${robotId}`, { key: c.regulator.key, headers: PURPOSE }),
        h.call('GET', `/r/${robotId}`),
        h.call('GET', `/v1/robots/${robotId}/events`, { key: c.regulator.key, headers: PURPOSE }),
        h.call('GET', `/v1/robots/${robotId}/events`, { key: owner.key }),
        h.call('GET', `/v1/robots/${robotId}/proof-bundle`, { key: c.regulator.key, headers: PURPOSE }),
        h.call('GET', `/v1/log/leaves?start=0&end=${await h.ctx.store.read((r) => r.logSize())}`),
      ]);
      for (const view of views) {
        assert.ok(view.status < 300, JSON.stringify(view.body));
        assert.ok(!containsCanary(JSON.stringify(view.body), owner.canary), JSON.stringify(view.body));
      }
      assert.ok(
        views[0]!.body.items.some(
          (o: { id: string; kind: string }) => o.id === owner.party.id && o.kind === 'person',
        ),
      );

      assert.ok(!containsCanary(await everyStoredValue(h), owner.canary), 'not in any table');
      assert.ok(!containsCanary(logs.join(''), owner.canary), 'not in the request log');
      if (!store.postgres) {
        const file = join(h.dataDir, 'robotid.sqlite');
        for (const path of [file, `${file}-wal`].filter((p) => existsSync(p)))
          assert.ok(!containsCanary(readFileSync(path).toString('latin1'), owner.canary), `not in ${path}`);
      }
    });

    test('a regulator with a purpose and the person itself read it; anyone else is told there is no such person', async () => {
      const owner = await person();
      const failures = () =>
        h.ctx.store.read((r) => r.countAudit({ action: 'personal-data.read', outcome: 'failure' }));
      const reads = () =>
        h.ctx.store.read((r) => r.countAudit({ action: 'personal-data.read', outcome: 'success' }));
      const readsBefore = await reads();

      const byRegulator = await readData(owner.party.id, c.regulator.key, PURPOSE);
      assert.equal(byRegulator.status, 200, JSON.stringify(byRegulator.body));
      assert.deepEqual(byRegulator.body, owner.data);
      const own = await readData(owner.party.id, owner.key);
      assert.equal(own.status, 200);
      assert.deepEqual(own.body, owner.data);
      assert.equal(await reads(), readsBefore + 2);

      const failuresBefore = await failures();
      for (const other of [c.operator2.key, c.seller.key, h.adminKey]) {
        const denied = await readData(owner.party.id, other, PURPOSE);
        assert.equal(denied.status, 404);
        assert.equal(denied.body.type, 'urn:robotid:problem:person-not-found');
      }
      assert.equal(await failures(), failuresBefore + 3, 'each refused attempt is in the audit log');
      const stored = await everyStoredValue(h);
      assert.ok(stored.includes('personal-data.read') && stored.includes('person-not-found'));
    });

    test('a regulator must name a known purpose in RobotID-Purpose', async () => {
      const owner = await person();
      const cases: [Record<string, string>, string][] = [
        [{}, 'purpose-required'],
        [{ 'robotid-purpose': 'statistics' }, 'purpose-required'], // a purpose, but not one for personal data
        [{ 'robotid-purpose': 'curiosity' }, 'invalid-purpose'],
      ];
      for (const [headers, type] of cases) {
        const refused = await readData(owner.party.id, c.regulator.key, headers);
        assert.equal(refused.status, 400);
        assert.equal(refused.body.type, `urn:robotid:problem:${type}`);
        assert.match(refused.body.detail, /RobotID-Purpose/);
        assert.equal(refused.body.errors[0].field, 'header:/RobotID-Purpose');
      }
    });

    test('the person corrects its data; it is sealed again under a new data key', async () => {
      const owner = await person();
      const before = await h.ctx.store.read((r) => r.getPersonalData(owner.party.id));
      const corrected = await h.call('PATCH', `/v1/persons/${owner.party.id}/personal-data`, {
        key: owner.key,
        body: { email: 'new@mail.test', phone: '' },
      });
      assert.equal(corrected.status, 200, JSON.stringify(corrected.body));
      const after = await h.ctx.store.read((r) => r.getPersonalData(owner.party.id));
      assert.notDeepEqual(after!.wrappedKey, before!.wrappedKey);
      const read = await readData(owner.party.id, owner.key);
      const { phone: _removed, ...rest } = owner.data;
      assert.deepEqual(read.body, { ...rest, email: 'new@mail.test' });
      const byStranger = await h.call('PATCH', `/v1/persons/${owner.party.id}/personal-data`, {
        key: c.operator2.key,
        body: { email: 'x@mail.test' },
      });
      assert.equal(byStranger.status, 404);
    });

    test('erasure deletes the data and its key, revokes the person’s keys, and leaves history and the log whole', async () => {
      const owner = await person();
      const robotId = c.robots[1]!;
      await lifeWithOwner(robotId, owner);
      const historyBefore = await h.call('GET', `/v1/robots/${robotId}/events`, { key: c.regulator.key });

      const body = { legalBasis: 'PIPL art. 47: consent withdrawn', requestReference: 'DSR-2026-0042' };
      const bySeller = await h.call('DELETE', `/v1/persons/${owner.party.id}/personal-data`, {
        key: c.seller.key,
        body,
      });
      assert.equal(bySeller.status, 404);
      const erased = await h.call('DELETE', `/v1/persons/${owner.party.id}/personal-data`, {
        key: c.regulator.key,
        body,
      });
      assert.equal(erased.status, 200, JSON.stringify(erased.body));
      assert.equal(erased.body.revokedKeys, 1);

      const read = await readData(owner.party.id, c.regulator.key, PURPOSE);
      assert.equal(read.status, 410);
      assert.equal(read.body.type, 'urn:robotid:problem:personal-data-erased');
      assert.equal((await readData(owner.party.id, owner.key)).status, 401, "the person's key is revoked");
      const again = await h.call('DELETE', `/v1/persons/${owner.party.id}/personal-data`, {
        key: h.adminKey,
        body,
      });
      assert.equal(again.status, 410);
      assert.equal(await h.ctx.store.read((r) => r.getPersonalData(owner.party.id)), null);

      const historyAfter = await h.call('GET', `/v1/robots/${robotId}/events`, { key: c.regulator.key });
      assert.deepEqual(historyAfter.body, historyBefore.body);
      assert.equal(
        (await h.call('GET', `/v1/organisations/${owner.party.id}`, { key: c.regulator.key })).status,
        200,
      );
      await signCheckpoint(h.ctx);
      const audit = await h.ctx.store.read((r) => auditLog(r, parseVerifierKey(h.ctx.log.verifierKey)));
      assert.deepEqual(audit.findings, []);
      assert.equal(audit.ok, true);
    });

    test('bad input: unknown parties, organisations, missing fields and contacts', async () => {
      const unknown = await readData('org_aaaaaaaaaaaaaaaa', c.regulator.key, PURPOSE);
      assert.equal(unknown.status, 404);
      const anOrganisation = await readData(c.operator.org.id, c.regulator.key, PURPOSE);
      assert.equal(anOrganisation.status, 404, 'an organisation is no person');

      const noName = await h.call('POST', '/v1/persons', { key: c.seller.key, body: { email: 'a@b.test' } });
      assert.equal(noName.status, 400);
      assert.equal(noName.body.errors[0].field, '/name');
      const noContact = await h.call('POST', '/v1/persons', { key: c.seller.key, body: { name: 'Li Lei' } });
      assert.equal(noContact.status, 400);
      assert.equal(noContact.body.type, 'urn:robotid:problem:invalid-personal-data');
      assert.equal(noContact.body.errors[0].field, '/email');
      const unknownField = await h.call('POST', '/v1/persons', {
        key: c.seller.key,
        body: { name: 'Li Lei', email: 'a@b.test', religion: 'x' },
      });
      assert.equal(unknownField.status, 400);
      assert.equal(unknownField.body.errors[0].field, '/religion');
      const byOperator = await h.call('POST', '/v1/persons', {
        key: c.operator.key,
        body: { name: 'Li Lei', email: 'a@b.test' },
      });
      assert.equal(byOperator.status, 403);
      const erasureWithoutBasis = await h.call('DELETE', `/v1/persons/${c.operator.org.id}/personal-data`, {
        key: c.regulator.key,
        body: { requestReference: 'R-1' },
      });
      assert.equal(erasureWithoutBasis.status, 400);
      assert.equal(erasureWithoutBasis.body.errors[0].field, '/legalBasis');
    });
  });
