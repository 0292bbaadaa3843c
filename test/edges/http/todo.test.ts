// GET /v1/organisations/{orgId}/todo: late reports, open compliance findings, recalls reaching the organisation's
// robots and open incidents, counted and the newest listed, for the organisation itself and regulators only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startRecallWork } from '../../../src/app/recalls/work.js';
import { PURPOSE } from '../../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import {
  event,
  intoUse,
  manufactured,
  report,
  supplyChain,
  type SupplyChain,
} from '../../support/lifecycle.js';

const DAY = 86_400_000;

for (const store of testStores)
  describe(`an organisation's to-do list (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    let recall: string;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 3);
      const [late, inUse] = c.robots as [string, string];
      // Manufactured 20 days before it was reported: 7 days is the deadline.
      const old = { ...manufactured(late), eventTime: new Date(Date.now() - 20 * DAY).toISOString() };
      assert.equal((await report(h, c.maker.key, [old])).status, 201);
      await intoUse(h, c, inUse);
      const incident = await report(h, c.operator.key, [
        event('incident_reported', inUse, { category: 'fall', severity: 'serious' }),
      ]);
      assert.equal(incident.status, 201, JSON.stringify(incident.body));
      assert.equal((await h.call('POST', '/v1/compliance/runs', { key: c.regulator.key })).status, 200);
      const opened = await h.call('POST', '/v1/recalls', {
        key: c.regulator.key,
        body: {
          component: 'Knee joint actuator HJ-40',
          summary: 'The actuator brake may fail to hold under load.',
          consequence: 'The robot may fall.',
          remedy: { description: 'Replace the knee actuator.', overTheAir: false },
          stopUse: false,
          criteria: { components: [{ partNumber: 'HJ-40', lots: ['LOT-2026-01'] }] },
        },
      });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      recall = opened.body.number;
      await startRecallWork(h.ctx, recall);
    });
    after(() => h.close());

    const todo = async (orgId: string, key: string, headers: Record<string, string> = {}) => {
      const res = await h.call('GET', `/v1/organisations/${orgId}/todo`, { key, headers });
      return res;
    };

    test('the manufacturer: its late report and the finding on it, the recall of its robots, the incident', async () => {
      const res = await todo(c.maker.org.id, c.maker.key);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { lateReports, openFindings, recalls, openIncidents } = res.body;
      assert.equal(lateReports.count, 1);
      assert.deepEqual(
        [lateReports.latest[0].robotId, lateReports.latest[0].type, lateReports.latest[0].deadlineDays],
        [c.robots[0], 'manufactured', 7],
      );
      assert.ok(openFindings.count >= 1);
      assert.ok(
        openFindings.latest.some(
          (f: { rule: string; robotId: string }) => f.rule === 'late-reports' && f.robotId === c.robots[0],
        ),
      );
      assert.equal(recalls.count, 1);
      assert.deepEqual(
        [recalls.latest[0].number, recalls.latest[0].robots],
        [recall, 2],
        'both robots it made',
      );
      assert.equal(openIncidents.count, 1);
      assert.deepEqual(
        [openIncidents.latest[0].robotId, openIncidents.latest[0].state],
        [c.robots[1], 'reported'],
      );
    });

    test('the operator: the recall reaches the robot it holds; its incident; nothing late', async () => {
      const res = await todo(c.operator.org.id, c.operator.key);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(
        [
          res.body.lateReports.count,
          res.body.openFindings.count,
          res.body.recalls.count,
          res.body.openIncidents.count,
        ],
        [0, 0, 1, 1],
      );
      assert.equal(res.body.recalls.latest[0].robots, 1);
    });

    test('the seller sold its robot on: nothing is left for it', async () => {
      const res = await todo(c.seller.org.id, c.seller.key);
      assert.deepEqual(
        [
          res.body.lateReports.count,
          res.body.openFindings.count,
          res.body.recalls.count,
          res.body.openIncidents.count,
        ],
        [0, 0, 0, 0],
      );
    });

    test('only for the organisation itself and regulators who say why', async () => {
      assert.equal((await todo(c.maker.org.id, c.seller.key)).status, 404);
      assert.equal((await todo(c.maker.org.id, c.regulator.key)).status, 400);
      const regulator = await todo(c.maker.org.id, c.regulator.key, PURPOSE);
      assert.equal(regulator.status, 200);
      assert.equal(regulator.body.lateReports.count, 1);
      assert.equal((await todo('org_nonesuch', c.regulator.key, PURPOSE)).status, 404);
      assert.equal((await h.call('GET', `/v1/organisations/${c.maker.org.id}/todo`)).status, 401);
    });
  });
