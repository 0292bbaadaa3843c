import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldIssue } from '../domain/errors.js';

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
    if (e.keyword === 'enum' && params.allowedValues) {
      return { field: at || '/', message: `must be one of: ${params.allowedValues.join(', ')}` };
    }
    return { field: at || '/', message: e.message ?? e.keyword };
  });
}
