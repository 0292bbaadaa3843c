/**
 * The notifications' two ways out of the registry, as the use cases see them. The network is not theirs: the
 * adapters (src/edges/webhooks: HTTP; src/edges/nats: JetStream) implement these, and the composition wires them.
 */

/** How much of a failing receiver's answer, or of a connection error, the delivery log keeps. */
export const WEBHOOK_ERROR_TEXT_MAX = 200;

/** The Standard Webhooks headers an attempt is signed with (signature.ts). */
export type WebhookSignatureHeaders = Record<
  'webhook-id' | 'webhook-timestamp' | 'webhook-signature',
  string
>;

/** What one attempt came to: the receiver's status (null if none answered), why it failed, and how long it took. */
export interface WebhookOutcome {
  status: number | null;
  /** `HTTP <status>: <answer>` or the connection's fault, at most about WEBHOOK_ERROR_TEXT_MAX characters. */
  error: string | null;
  durationMs: number;
}

/** Posts one signed notice to a receiver. Never throws: a fault (refused, timed out) is the outcome's error. */
export interface WebhookSender {
  post(
    url: string,
    body: string,
    headers: WebhookSignatureHeaders,
    timeoutMs: number,
  ): Promise<WebhookOutcome>;
}

/** A stream that takes every notice, for consumers that want them all at volume (publish.ts). */
export interface NoticeStream {
  /**
   * Resolves once the stream holds the message. The stream drops a message whose id it has seen recently, so a
   * batch published again after a crash (before the watermark moved) arrives once.
   */
  publish(topic: string, body: string, messageId: string): Promise<void>;
  close(): Promise<void>;
}
