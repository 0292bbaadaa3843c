import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { announce } from '../../src/app/notifications/announce.js';
import { NATS_WATERMARK, publishNotices, type NoticeStream } from '../../src/app/notifications/publish.js';
import type { Notice } from '../../src/domain/safety/notices.js';
import { openNoticeStream } from '../../src/edges/nats/notice-stream.js';
import { startHarness, testStores, type Harness } from '../support/harness.js';

/** NATS with JetStream on this machine (ROBOTID_TEST_NATS_URL to use another). */
const NATS_URL = process.env.ROBOTID_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

for (const store of testStores) {
  describe(`notices on a NATS JetStream stream (${store.name})`, () => {
    let h: Harness;
    let nats: NoticeStream;
    // A stream and subjects of this run's own, deleted after.
    const tag = randomBytes(4).toString('hex');
    const stream = `ROBOTID_TEST_${tag}`;
    const subjectPrefix = `robotid_test_${tag}.notices`;

    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      nats = await openNoticeStream({ url: NATS_URL, stream, subjectPrefix });
    });
    after(async () => {
      await nats?.close();
      const nc = await connect({ servers: NATS_URL });
      await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
      await nc.close();
      await h.close();
    });

    const notice = (topic: Notice['topic'], n: number): Notice => ({
      topic,
      audience: ['org-a'],
      robotId: null,
      data: { n },
    });

    test('each notice arrives once, on its topic’s subject, with its id as the message id, even when republished', async () => {
      await h.ctx.store.write((tx) =>
        announce(tx, new Date().toISOString(), [
          notice('recall.opened', 1),
          notice('robot.suspended', 2),
          notice('compliance.finding', 3),
        ]),
      );
      await assert.rejects(
        h.ctx.store.write(async (tx) => {
          await announce(tx, new Date().toISOString(), [notice('robot.suspended', 99)]);
          throw new Error('rolled back');
        }),
      );
      assert.equal(await publishNotices(h.ctx, nats), 3);
      assert.equal(await publishNotices(h.ctx, nats), 0, 'the watermark moved past them');
      // A crash after publishing, before the watermark moved: the same notices go out again, and are dropped.
      await h.ctx.store.write((tx) => tx.putNoticeWatermark(NATS_WATERMARK, 0));
      assert.equal(await publishNotices(h.ctx, nats), 3);

      const nc = await connect({ servers: NATS_URL });
      try {
        const jsm = await jetstreamManager(nc);
        assert.equal((await jsm.streams.info(stream)).state.messages, 3);
        const ids = await h.ctx.store.read((r) => r.listNoticesAfter(0, 10));
        for (const [i, expected] of ids.entries()) {
          const message = await jsm.streams.getMessage(stream, { seq: i + 1 });
          assert.ok(message);
          assert.equal(message.subject, `${subjectPrefix}.${expected.topic}`);
          assert.equal(message.header.get('Nats-Msg-Id'), String(expected.id));
          const body = message.json<{
            type: string;
            data: { noticeId: number; n: number; audience: string[] };
          }>();
          assert.equal(body.type, expected.topic);
          assert.equal(body.data.noticeId, expected.id);
          assert.equal(body.data.n, i + 1);
          assert.deepEqual(body.data.audience, ['org-a']);
        }
      } finally {
        await nc.close();
      }
    });
  });
}
