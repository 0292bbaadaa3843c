import type { ErrorObject } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { coercingAjv, fieldIssues, strictAjv } from '../../app/validation.js';
import type { FieldIssue } from '../../domain/errors.js';

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'querystring' || httpPart === 'params' ? coercingAjv : strictAjv;
  return ajv.compile(schema as object);
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
