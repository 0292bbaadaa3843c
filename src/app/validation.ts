import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { FieldIssue } from '../domain/errors.js';
import { EPCIS_PATTERN_MEANINGS } from '../domain/epcis/document-schema.js';
import { QUERY_NAME_MEANINGS } from '../domain/epcis/query-params.js';

const rfc3339DateTime = fullFormats['date-time'] as { validate: (text: string) => boolean };

/**
 * RFC 3339's date-time, of an instant the registry can keep: not a leap second (23:59:60), which RFC 3339 writes but
 * a JavaScript date (and so every time the registry stores or compares) cannot hold; refused at its field here
 * rather than failing where it is read.
 */
const isInstant = (text: string) => rfc3339DateTime.validate(text) && !Number.isNaN(Date.parse(text));

/**
 * JSON Schema validation for every input: checked as sent (no type coercion, no silent removal of unknown fields),
 * every fault reported. Query strings are text by nature, so only they use the coercing instance.
 */
function makeAjv(coerce: boolean, isDateTime: (text: string) => boolean = isInstant) {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: coerce ? 'array' : false,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
  return ajv;
}

export const strictAjv = makeAjv(false);
export const coercingAjv = makeAjv(true);
/**
 * EPCIS documents checked as their standard's schema reads them: a leap second is a valid time there, so a document
 * with one is not refused whole; its event is refused on its own, by its lifecycle event's check (strictAjv).
 */
export const epcisAjv = makeAjv(false, rfc3339DateTime.validate);

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
    if (e.keyword === 'format' && (e.params as { format: string }).format === 'date-time') {
      const message =
        'must be an RFC 3339 date-time with its offset, such as 2026-12-07T10:00:00Z (not a leap second, :60)';
      return { field: at || '/', message };
    }
    if (e.keyword === 'enum' && params.allowedValues) {
      return { field: at || '/', message: `must be one of: ${params.allowedValues.join(', ')}` };
    }
    return { field: at || '/', message: e.message ?? e.keyword };
  });
}
