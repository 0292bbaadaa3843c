/**
 * What may leave the country, per destination: the data classes a record sent to another country's registry or
 * an inspector abroad may carry. Configured as JSON (`ROBOTID_EXPORT_POLICY`), e.g.
 * `{"*": ["public"], "DE": ["public", "technical"]}`; the default everywhere is the public tier. Custody, supply,
 * usage and personal data never leave: they name owners, suppliers and places.
 */
import { invalid } from '../errors.js';
import { isCountryCode } from '../id/countries.js';
import { jsonObjectSetting } from '../settings.js';
import type { DataClass } from './table.js';

export type ExportPolicy = Readonly<Record<string, readonly DataClass[]>>;

/** Classes a destination may ever be granted. */
export const EXPORTABLE: readonly DataClass[] = ['public', 'technical'];

export const DEFAULT_EXPORT_POLICY: ExportPolicy = { '*': ['public'] };

export function exportPolicyWith(json: string | undefined, field = 'ROBOTID_EXPORT_POLICY'): ExportPolicy {
  if (json === undefined || json.trim() === '') return DEFAULT_EXPORT_POLICY;
  const parsed = jsonObjectSetting(json, field, 'invalid-export-policy', 'destination → data classes');
  const policy: Record<string, readonly DataClass[]> = { ...DEFAULT_EXPORT_POLICY };
  for (const [destination, classes] of Object.entries(parsed)) {
    const at = `${field}/${destination}`;
    if (destination !== '*' && !isCountryCode(destination))
      throw invalid('invalid-export-policy', `${destination} is not an ISO 3166-1 country code`, [
        { field: at, message: 'not a country code or "*"' },
      ]);
    const allowed = Array.isArray(classes) ? classes : [];
    const wrong = allowed.find((c) => !EXPORTABLE.includes(c as DataClass));
    if (!Array.isArray(classes) || wrong !== undefined)
      throw invalid('invalid-export-policy', `only ${EXPORTABLE.join(', ')} data may leave the country`, [
        { field: at, message: `a list of ${EXPORTABLE.join(' / ')}` },
      ]);
    policy[destination] = ['public', ...(allowed as DataClass[]).filter((c) => c !== 'public')];
  }
  return policy;
}

export const exportableTo = (policy: ExportPolicy, destination: string): readonly DataClass[] =>
  policy[destination] ?? policy['*'] ?? ['public'];
