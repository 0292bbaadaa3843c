/**
 * Standard Webhooks signatures (standardwebhooks.com): HMAC-SHA256 over `<id>.<timestamp>.<body>` with the
 * secret's bytes, sent as `v1,<base64>` in webhook-signature beside webhook-id and webhook-timestamp (seconds).
 */
import { createHmac } from 'node:crypto';

export function signWebhook(secret: Buffer, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three headers a delivery attempt carries. */
export function webhookHeaders(secret: Buffer, id: string, timestamp: number, body: string) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, id, timestamp, body),
  };
}
