/**
 * The notice stream on NATS JetStream (app/notifications/ports.ts): subject `<prefix>.<topic>`, the notice id as the
 * message id (Nats-Msg-Id), which the stream de-duplicates within its window.
 */
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, JetStreamApiError } from '@nats-io/jetstream';
import type { NoticeStream } from '../../app/notifications/ports.js';

/** How long the stream remembers message ids: longer than any restart the publisher should survive unseen. */
const DUPLICATE_WINDOW_MS = 24 * 3600 * 1000;
const STREAM_NOT_FOUND = 10059;

export interface NatsStreamOptions {
  url: string;
  stream: string;
  subjectPrefix: string;
}

/** Connects, and creates the stream (subjects `<prefix>.>`) if it does not exist. */
export async function openNoticeStream(options: NatsStreamOptions): Promise<NoticeStream> {
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
    const js = jetstream(nc);
    return {
      publish: async (topic, body, messageId) => {
        await js.publish(`${options.subjectPrefix}.${topic}`, body, { msgID: messageId });
      },
      close: () => nc.drain(),
    };
  } catch (error) {
    await nc.close();
    throw error;
  }
}
