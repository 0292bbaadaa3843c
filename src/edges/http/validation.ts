import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { coercingAjv, fieldIssues, strictAjv } from '../../app/validation.js';
import type { FieldIssue } from '../../domain/errors.js';
import { schemaDigest } from './schema-digest.js';

/** Validators by coercion and schema digest: Ajv caches by schema object, and Fastify copies some per server. */
const compiled = new Map<string, ValidateFunction>();

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const coerces = httpPart === 'querystring' || httpPart === 'params';
  const key = `${coerces} ${schemaDigest(schema)}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = (coerces ? coercingAjv : strictAjv).compile(schema as object);
    compiled.set(key, validate);
  }
  return validate;
};

const PART_PREFIX: Record<string, string> = {
  body: '',
  querystring: 'query:',
  params: 'path:',
  headers: 'header:',
};

/** A request's schema faults, with the part of the request they are in (`query:/limit`, `/name`). */
export const requestIssues = (errors: ErrorObject[], context: string | undefined): FieldIssue[] =>
  fieldIssues(errors, PART_PREFIX[context ?? 'body'] ?? '');
