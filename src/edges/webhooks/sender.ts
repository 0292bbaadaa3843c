/** Webhook attempts over HTTP (app/notifications/ports.ts): one POST each, signed by the caller, never redirected. */
import {
  WEBHOOK_ERROR_TEXT_MAX,
  type WebhookOutcome,
  type WebhookSender,
  type WebhookSignatureHeaders,
} from '../../app/notifications/ports.js';

export const httpWebhookSender: WebhookSender = { post };

/** One POST; never throws: a fault is the outcome's error. */
async function post(
  url: string,
  body: string,
  signed: WebhookSignatureHeaders,
  timeoutMs: number,
): Promise<WebhookOutcome> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'robotid-webhooks/1', ...signed },
      // A redirect is not followed: the receiver is the URL subscribed, and a 3xx is its failure to answer 2xx.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = response.ok ? '' : await response.text().catch(() => '');
    if (response.ok) await response.body?.cancel().catch(() => undefined);
    const error = response.ok
      ? null
      : `HTTP ${response.status}${text ? `: ${text.slice(0, WEBHOOK_ERROR_TEXT_MAX)}` : ''}`;
    return { status: response.status, error, durationMs: took() };
  } catch (error) {
    return { status: null, error: describe(error, timeoutMs), durationMs: took() };
  }
}

/** A failed request in a few words: the socket error's code, or that it timed out. */
function describe(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  return (cause ? `${e.message ?? 'failed'} (${cause})` : (e.message ?? String(error))).slice(
    0,
    WEBHOOK_ERROR_TEXT_MAX,
  );
}
