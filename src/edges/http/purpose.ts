import type { FastifyRequest } from 'fastify';
import { invalid } from '../../domain/errors.js';
import {
  PURPOSES,
  PURPOSE_FIELD,
  PURPOSE_HEADER,
  isPurpose,
  type Purpose,
} from '../../domain/policy/purposes.js';

/** Why the caller reads: recorded in the read audit; regulators and bulk queries must send it. */
export const PURPOSE_HEADER_KEY = PURPOSE_HEADER.toLowerCase();

/** The header as OpenAPI documents it on every GET operation (server.ts). */
export const PURPOSE_HEADER_DOC = {
  type: 'string',
  enum: [...PURPOSES],
  description:
    'Why you read (recorded in the read audit with every read of non-public data). Required of regulators ' +
    'and on bulk queries; one of the purpose codes.',
};

/** The request's purpose code, or null without the header; an unknown code is refused, not ignored. */
export function purposeOf(request: FastifyRequest): Purpose | null {
  const raw = request.headers[PURPOSE_HEADER_KEY];
  if (raw === undefined) return null;
  const value = (Array.isArray(raw) ? raw.join(',') : raw).trim();
  if (isPurpose(value)) return value;
  throw invalid('invalid-purpose', `${PURPOSE_HEADER} must be one of: ${PURPOSES.join(', ')}`, [
    {
      field: PURPOSE_FIELD,
      message: `'${value}' is not a purpose code; one of: ${PURPOSES.join(', ')}`,
    },
  ]);
}
