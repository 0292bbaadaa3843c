/**
 * Every notice on a stream (NATS JetStream, src/edges/nats; optional: ROBOTID_NATS_URL), for consumers that want
 * them all at volume. The notice id is the message id, so that a batch published again after a crash before its
 * watermark moved is dropped by the stream's de-duplication. The publisher's watermark is its own.
 */
import type { AppContext } from '../context.js';
import { noticePayload } from './payload.js';
import type { NoticeStream } from './ports.js';

export type { NoticeStream } from './ports.js';

/** The publisher's watermark, under the name it has always been stored by. */
export const NATS_WATERMARK = 'nats';
const BATCH = 500;

/** One batch: published in id order (each acknowledged by the stream), then the watermark moved past it. */
async function publishBatch(ctx: AppContext, stream: NoticeStream): Promise<number> {
  const notices = await ctx.store.read(async (r) =>
    r.listNoticesAfter(await r.noticeWatermark(NATS_WATERMARK), BATCH),
  );
  if (notices.length === 0) return 0;
  // Sent in order on one connection; the acknowledgements are awaited together.
  await Promise.all(
    notices.map((notice) =>
      stream.publish(notice.topic, JSON.stringify(noticePayload(notice, true)), String(notice.id)),
    ),
  );
  const last = notices[notices.length - 1]!.id;
  await ctx.store.write(async (tx) => {
    // Another publisher may have gone further meanwhile: the watermark never moves back.
    if ((await tx.noticeWatermark(NATS_WATERMARK)) < last) await tx.putNoticeWatermark(NATS_WATERMARK, last);
  });
  return notices.length;
}

/** Publishes every notice not published yet; the number published. */
export async function publishNotices(ctx: AppContext, stream: NoticeStream): Promise<number> {
  let total = 0;
  for (;;) {
    const published = await publishBatch(ctx, stream);
    total += published;
    if (published < BATCH) return total;
  }
}
