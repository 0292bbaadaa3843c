import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldIssue } from '../domain/errors.js';
import { EPCIS_PATTERN_MEANINGS } from '../domain/epcis/document-schema.js';
import { QUERY_NAME_MEANINGS } from '../domain/epcis/query-params.js';

/**
 * JSON Schema validation for every input: checked as sent (no type coercion, no silent removal of unknown fields),
 * every fault reported. Query strings are text by nature, so only they use the coercing instance.
 */
function makeAjv(coerce: boolean) {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

export const strictAjv = makeAjv(false);
export const coercingAjv = makeAjv(true);

/** What each pattern the schemas use asks for, in words: a person reads these, not the regular expression. */
export const PATTERN_MEANINGS: Readonly<Record<string, string>> = {
  ...EPCIS_PATTERN_MEANINGS,
  ...QUERY_NAME_MEANINGS,
  '^2(\\.[0-9]+){0,2}$': 'must be a 2.x version, such as 2.0.0',
  '^RC-[0-9]{4}-[0-9]{6}$':
    'must be a recall number: RC-, the year, a hyphen and six digits (RC-2026-000001)',
  '^[0-9A-Z-]+$': 'must be upper-case letters, digits and hyphens',
  '^[0-9a-f]{64}$': 'must be a SHA-256 digest: 64 lower-case hexadecimal digits',
  '^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+$': 'must be a lower-case media type, such as application/pdf',
  '^[A-Z]{2}$': 'must be a two-letter country code in capitals (ISO 3166-1 alpha-2, e.g. CN)',
  '^[\\x21-\\x7e]+$': 'must be printable ASCII characters without spaces',
  '^[0-9]{1,4}(\\.[0-9]{1,2})?(mm)?$': 'must be a width in millimetres, such as 30mm',
  '^(ADD|OBSERVE|DELETE)(\\|(ADD|OBSERVE|DELETE))*$':
    'must be ADD, OBSERVE or DELETE, several separated by |',
  '^(ADD|OBSERVE|DELETE)$': 'must be ADD, OBSERVE or DELETE',
};

/** Ajv's errors as one issue per failing field, named by JSON Pointer under `prefix`. */
export function fieldIssues(errors: ErrorObject[], prefix = ''): FieldIssue[] {
  return errors.map((e) => {
    const params = e.params as {
      additionalProperty?: string;
      missingProperty?: string;
      allowedValues?: unknown[];
    };
    const at = `${prefix}${e.instancePath}`;
    if (e.keyword === 'additionalProperties')
      return { field: `${at}/${params.additionalProperty}`, message: 'unknown field' };
    if (e.keyword === 'required') return { field: `${at}/${params.missingProperty}`, message: 'is required' };
    if (e.keyword === 'pattern') {
      const meaning = PATTERN_MEANINGS[(e.params as { pattern: string }).pattern];
      if (meaning) return { field: at || '/', message: meaning };
    }
    if (e.keyword === 'enum' && params.allowedValues) {
      return { field: at || '/', message: `must be one of: ${params.allowedValues.join(', ')}` };
    }
    return { field: at || '/', message: e.message ?? e.keyword };
  });
}
