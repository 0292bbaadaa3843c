import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { FieldIssue } from '../../domain/errors.js';

/**
 * Bodies are checked as sent: no type coercion, no silent removal of unknown fields, every fault reported.
 * Query strings are text by nature, so only they are coerced ("?limit=10" is a number).
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

const strict = makeAjv(false);
const coercing = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'querystring' || httpPart === 'params' ? coercing : strict;
  return ajv.compile(schema as object);
};

const PART_PREFIX: Record<string, string> = {
  body: '',
  querystring: 'query:',
  params: 'path:',
  headers: 'header:',
};

/** Ajv's errors as one issue per failing field, named by JSON Pointer. */
export function fieldIssues(errors: ErrorObject[], context: string | undefined): FieldIssue[] {
  const prefix = PART_PREFIX[context ?? 'body'] ?? '';
  return errors.map((e) => {
    const params = e.params as {
      additionalProperty?: string;
      missingProperty?: string;
      allowedValues?: unknown[];
    };
    if (e.keyword === 'additionalProperties') {
      return { field: `${prefix}${e.instancePath}/${params.additionalProperty}`, message: 'unknown field' };
    }
    if (e.keyword === 'required') {
      return { field: `${prefix}${e.instancePath}/${params.missingProperty}`, message: 'is required' };
    }
    if (e.keyword === 'enum' && params.allowedValues) {
      return {
        field: `${prefix}${e.instancePath || '/'}`,
        message: `must be one of: ${params.allowedValues.join(', ')}`,
      };
    }
    return { field: `${prefix}${e.instancePath || '/'}`, message: e.message ?? e.keyword };
  });
}
