/**
 * Every notice on a NATS JetStream stream, for consumers that want them all at volume (optional: ROBOTID_NATS_URL).
 * Subject `<prefix>.<topic>`; the notice id is the message id (Nats-Msg-Id), so that a batch published again after
 * a crash before its watermark moved is dropped by the stream's de-duplication. The publisher's watermark is its own.
 */
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import type { AppContext } from '../context.js';
import { noticePayload } from './payload.js';

export const NATS_WATERMARK = 'nats';
const BATCH = 500;
/** How long the stream remembers message ids: longer than any restart the publisher should survive unseen. */
const DUPLICATE_WINDOW_MS = 24 * 3600 * 1000;
const STREAM_NOT_FOUND = 10059;

export interface NoticeStream {
  js: JetStreamClient;
  stream: string;
  subjectPrefix: string;
  close(): Promise<void>;
}

/** Connects, and creates the stream (subjects `<prefix>.>`) if it does not exist. */
export async function openNoticeStream(options: {
  url: string;
  stream: string;
  subjectPrefix: string;
}): Promise<NoticeStream> {
  const nc = await connect({ servers: options.url, name: 'robotid', maxReconnectAttempts: -1 });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.info(options.stream).catch(async (error: unknown) => {
      if (!(error instanceof JetStreamApiError) || error.code !== STREAM_NOT_FOUND) throw error;
      await jsm.streams.add({
        name: options.stream,
        subjects: [`${options.subjectPrefix}.>`],
        duplicate_window: DUPLICATE_WINDOW_MS * 1_000_000, // nanoseconds
      });
    });
    return {
      js: jetstream(nc),
      stream: options.stream,
      subjectPrefix: options.subjectPrefix,
      close: () => nc.drain(),
    };
  } catch (error) {
    await nc.close();
    throw error;
  }
}

/** One batch: published in id order (each acknowledged by the stream), then the watermark moved past it. */
async function publishBatch(ctx: AppContext, nats: NoticeStream): Promise<number> {
  const notices = await ctx.store.read(async (r) =>
    r.listNoticesAfter(await r.noticeWatermark(NATS_WATERMARK), BATCH),
  );
  if (notices.length === 0) return 0;
  // Sent in order on one connection; the acknowledgements are awaited together.
  await Promise.all(
    notices.map((notice) =>
      nats.js.publish(`${nats.subjectPrefix}.${notice.topic}`, JSON.stringify(noticePayload(notice, true)), {
        msgID: String(notice.id),
      }),
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
export async function publishNotices(ctx: AppContext, nats: NoticeStream): Promise<number> {
  let total = 0;
  for (;;) {
    const published = await publishBatch(ctx, nats);
    total += published;
    if (published < BATCH) return total;
  }
}
