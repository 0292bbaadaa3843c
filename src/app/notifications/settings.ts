/** How webhooks are delivered: per-attempt timeout, retry schedule, concurrency (src/main/config.ts reads them). */

export interface NotificationSettings {
  /** Seals subscriptions' signing secrets (src/main/keys/webhook-key.ts). */
  secretKey: Buffer;
  /** How long one attempt may take, connecting included, before it counts as failed. */
  timeoutMs: number;
  /**
   * The wait before each retry: after attempt n fails, retryDelaysMs[n - 1]. A delivery gets
   * retryDelaysMs.length + 1 attempts, then it is dead (a dead letter) until someone redelivers it.
   */
  retryDelaysMs: number[];
  /** Each wait is varied by up to ± this fraction, so that retries to one receiver do not arrive in step. */
  jitter: number;
  /** Attempts in flight at once, per process. */
  concurrency: number;
}

/** 5 s, 1 min, 5 min, 30 min, 2 h, 5 h, 10 h: about 18 hours of retries, then a dead letter. */
export const DEFAULT_RETRY_SECONDS = [5, 60, 300, 1800, 7200, 18000, 36000];
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_JITTER = 0.2;

export const maxAttempts = (s: Pick<NotificationSettings, 'retryDelaysMs'>) => s.retryDelaysMs.length + 1;

/** The wait after the `failed`-th failed attempt (1-based), jittered; null when that was the last attempt. */
export function retryDelay(
  s: Pick<NotificationSettings, 'retryDelaysMs' | 'jitter'>,
  failed: number,
  random: () => number = Math.random,
): number | null {
  const base = s.retryDelaysMs[failed - 1];
  if (base === undefined) return null;
  return Math.max(0, Math.round(base * (1 + s.jitter * (2 * random() - 1))));
}

/** A retry schedule in seconds, as ROBOTID_WEBHOOK_RETRY_SECONDS gives it: "5,60,300". */
export function parseRetrySeconds(text: string, name: string): number[] {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  const values = parts.map(Number);
  if (parts.length === 0 || values.some((v) => !(v >= 0 && v <= 7 * 86400)))
    throw new Error(`${name} must be a comma-separated list of seconds (0 to 604800), got "${text}"`);
  return values.map((v) => Math.round(v * 1000));
}
