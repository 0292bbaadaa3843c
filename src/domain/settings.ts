/** Deployment settings given as JSON text (environment variables): parsed, or refused naming the setting. */
import { invalid } from './errors.js';

/** The JSON object in `text`; `code` and `what` say which setting and what it should map. */
export function jsonObjectSetting(text: string, field: string, code: string, what: string): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid(code, `${field} is not JSON`, [{ field, message: 'not JSON' }]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid(code, `${field} must be a JSON object of ${what}`, [{ field, message: 'not an object' }]);
  }
  return parsed;
}

/**
 * The registry's public URL, read from the setting `field`: an absolute http(s) URL without query, fragment or
 * credentials (it is printed in every QR label and names the log). Returned without a trailing slash, so that
 * paths append to it: `https://registry.example.cn/` and `https://registry.example.cn` are the same registry.
 */
export function publicUrlSetting(text: string, field: string): string {
  const refuse = (why: string) =>
    invalid('public-url-invalid', `${field} ${why}, got "${text}"`, [{ field, message: why }]);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse('must be an absolute URL such as https://registry.example.cn');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('must be an http or https URL');
  if (text.includes('?')) throw refuse('must not have a query');
  if (text.includes('#')) throw refuse('must not have a fragment');
  if (url.username !== '' || url.password !== '') throw refuse('must not carry a user name or password');
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
