import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setImmediate } from 'node:timers/promises';
import { authenticate } from '../../../src/app/api-keys.js';
import { captureEventStream } from '../../../src/app/capture/index.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import { event, manufactured, report, supplyChain, type SupplyChain } from '../../support/lifecycle.js';

/**
 * Captures that arrive while the writer thread is busy are committed together; each must still be answered, and
 * recorded or refused, exactly as if it had been alone.
 */
for (const store of testStores)
  describe(`captures committed together (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 8 + 16 * 150);
    });
    after(() => h.close());

    test('a refused batch among concurrent ones leaves the others recorded, and each is audited', async () => {
      const audits = async (outcome: 'success' | 'failure') =>
        h.ctx.store.read((r) => r.countAudit({ action: 'events.capture', outcome }));
      const [successesBefore, failuresBefore] = [await audits('success'), await audits('failure')];
      const [a, b, d, e] = c.robots;
      const answers = await Promise.all([
        report(h, c.maker.key, [manufactured(a!)]),
        report(
          h,
          c.maker.key,
          [manufactured(b!), event('shipped', b!, { toOrgId: 'org_nobody' })],
          'rollback',
        ),
        report(h, c.maker.key, [manufactured(d!)]),
        report(
          h,
          c.maker.key,
          [manufactured(e!), event('sold', e!, { toOrgId: c.operator.org.id })],
          'proceed',
        ),
      ]);
      assert.deepEqual(
        answers.map((r) => r.status),
        [201, 400, 201, 200],
      );
      assert.equal(answers[1]!.body.type, 'urn:robotid:problem:unknown-organisation');
      assert.deepEqual(
        answers[3]!.body.results.map((r: { outcome: string }) => r.outcome),
        ['accepted', 'rejected'],
      );
      const state = async (id: string) => (await h.call('GET', `/v1/robots/${id}`)).body.state;
      assert.deepEqual(
        [await state(a!), await state(b!), await state(d!), await state(e!)],
        ['manufactured', 'issued', 'manufactured', 'manufactured'],
        'the refused batch wrote nothing, not even its first event; the others are whole',
      );
      assert.equal((await audits('success')) - successesBefore, 3);
      assert.equal((await audits('failure')) - failuresBefore, 1);
    });

    test('a capture streamed in chunks is one: a source that fails undoes the chunks written, and the writer goes on', async () => {
      const maker = await authenticate(h.ctx, c.maker.key);
      const [a, b, d] = c.robots.slice(4, 7) as [string, string, string];
      const failure = new Error('the document could not be read further');
      async function* failing() {
        yield [manufactured(a)];
        yield [manufactured(b)];
        await setImmediate(); // the writer has taken the first chunks meanwhile
        throw failure;
      }
      // Another capture arrives while the stream is open: it waits for it, and is kept.
      const [streamed, alone] = await Promise.allSettled([
        captureEventStream(h.ctx, maker, 'proceed', failing()),
        report(h, c.maker.key, [manufactured(d)]),
      ]);
      assert.equal(streamed.status === 'rejected' && streamed.reason, failure, 'the source’s own error');
      assert.equal(alone.status === 'fulfilled' && alone.value.status, 201);
      const state = async (id: string) => (await h.call('GET', `/v1/robots/${id}`)).body.state;
      assert.deepEqual(
        [await state(a), await state(b), await state(d)],
        ['issued', 'issued', 'manufactured'],
      );

      // Chunk after chunk, one capture: each robot as the chunks before left it, the results' places the whole's.
      const result = await captureEventStream(h.ctx, maker, 'rollback', [
        [manufactured(a), manufactured(b)],
        [event('serviced', a, { kind: 'maintenance' })],
      ]);
      assert.deepEqual(
        result.results.map((r) => [r.index, r.outcome]),
        [
          [0, 'accepted'],
          [1, 'accepted'],
          [2, 'accepted'],
        ],
      );
      assert.ok(
        result.results.every((r) => r.recordTime === result.results[0]!.recordTime),
        'one record time',
      );
      assert.deepEqual([await state(a), await state(b)], ['manufactured', 'manufactured']);

      // A later chunk meets what an earlier one wrote: the same event sent again is its duplicate, with its seq; a
      // correction of it voids it, and the robot is as if it had not happened.
      const serviced = { ...event('serviced', b, { kind: 'maintenance' }), eventId: `svc-${b}` };
      const again = await captureEventStream(h.ctx, maker, 'rollback', [
        [serviced],
        [serviced, event('corrected', b, { correctsEventId: `svc-${b}`, reason: 'did_not_occur' })],
      ]);
      assert.deepEqual(
        again.results.map((r) => r.outcome),
        ['accepted', 'duplicate', 'accepted'],
      );
      assert.equal(
        again.results[1]!.seq,
        again.results[0]!.seq,
        'the duplicate answers with the first one’s seq',
      );
      const history = (await h.call('GET', `/v1/robots/${b}/events`, { key: c.maker.key })).body.events;
      assert.deepEqual(
        history.map((e: { type: string }) => e.type),
        ['manufactured', 'serviced', 'corrected'],
      );
      assert.equal(await state(b), 'manufactured');

      // Asked for its refusals only (an EPCIS job's reading): the counts count every event, the results are the
      // events not accepted, at their places in the whole; what is recorded is the same.
      const refusalsOnly = await captureEventStream(
        h.ctx,
        maker,
        'proceed',
        [
          [event('serviced', a, { kind: 'maintenance' }), serviced],
          [event('activated', d, { siteType: 'home' })],
        ],
        { refusalsOnly: true },
      );
      assert.deepEqual([refusalsOnly.accepted, refusalsOnly.duplicates, refusalsOnly.rejected], [1, 1, 1]);
      assert.deepEqual(
        refusalsOnly.results.map((r) => [r.index, r.outcome]),
        [
          [1, 'duplicate'],
          [2, 'rejected'],
        ],
      );
      const historyOfA = (await h.call('GET', `/v1/robots/${a}/events`, { key: c.maker.key })).body.events;
      assert.deepEqual(
        historyOfA.map((e: { type: string }) => e.type),
        ['manufactured', 'serviced', 'serviced'],
      );
    });

    test('a stream of captures does not starve the other writes: they go between two groups', async () => {
      // A client keeping three captures in flight, sixteen in all; an issuance arrives after the second.
      const eventTime = new Date(Date.now() - 3_600_000).toISOString(); // each robot's first event: one time for all
      const first = (robotId: string) => ({
        type: 'manufactured',
        robotId,
        eventTime,
        payload: {
          productionDate: '2026-01-04',
          components: [{ kind: 'battery_pack', manufacturer: 'Volt Cells', partNumber: 'VC-2k', lot: 'B7' }],
          software: [{ target: 'motion_os', version: '3.2.1' }],
        },
      });
      const finished: string[] = [];
      const statuses: number[] = [];
      let issuance: Promise<number> | null = null;
      let next = 0;
      const client = async () => {
        while (next < 16) {
          const i = next++;
          const robots = c.robots.slice(8 + i * 150, 8 + (i + 1) * 150);
          statuses.push((await report(h, c.maker.key, robots.map(first))).status);
          finished.push(`capture ${i}`);
          issuance ??= h
            .call('POST', '/v1/ids', { key: c.maker.key, body: { model: c.maker.model.code, count: 1 } })
            .then((r) => {
              finished.push('issuance');
              return r.status;
            });
        }
      };
      await Promise.all([client(), client(), client()]);
      assert.deepEqual(statuses, Array(16).fill(201));
      assert.equal(await issuance, 201);
      assert.ok(
        finished.indexOf('issuance') < finished.indexOf('capture 15'),
        `the issuance waited for the whole stream: ${finished.join(', ')}`,
      );
    });
  });
