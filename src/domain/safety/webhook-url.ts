/**
 * Where a webhook may point. https anywhere; plain http only to this machine (loopback), where nothing crosses a
 * network: a notice and its signature sent in clear elsewhere could be read or replayed on the way, and the
 * signature proves only who sent it, not that nobody else saw it.
 */
import { invalid } from '../errors.js';

export const WEBHOOK_URL_MAX = 2048;

/** Loopback hosts as the URL parser leaves them (IPv6 in brackets). */
const isLoopback = (hostname: string) =>
  hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';

/** The URL in its normal form (as WHATWG URL serialises it), or an `invalid-webhook-url` error saying why not. */
export function validateWebhookUrl(text: string, field = '/url'): string {
  const fail = (message: string) =>
    invalid('invalid-webhook-url', `${field}: ${message}`, [{ field, message }]);
  if (text.length > WEBHOOK_URL_MAX) throw fail(`longer than ${WEBHOOK_URL_MAX} characters`);
  if (text.trim() !== text || /\s/.test(text)) throw fail('contains white space');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw fail('not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw fail(`scheme ${url.protocol.replace(/:$/, '')} is not http or https`);
  if (url.hostname === '') throw fail('has no host');
  if (url.protocol === 'http:' && !isLoopback(url.hostname))
    throw fail('plain http is accepted only for a loopback host (localhost, 127.x.x.x, [::1]): use https');
  if (url.username !== '' || url.password !== '')
    throw fail('carries credentials: the signature authenticates the registry, put none in the URL');
  if (url.hash !== '') throw fail('has a fragment (#…), which is never sent');
  return url.href;
}
