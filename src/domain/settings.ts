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
