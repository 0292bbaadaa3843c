import { createHash } from 'node:crypto';

const digests = new WeakMap<object, string>();

/**
 * A digest of a JSON schema's content, made once per schema object: the compilers cache what they compiled under
 * it (a process that builds the HTTP edge again, as the test harness does, gets the same schemas again, some of
 * them copies that Fastify makes per server).
 */
export function schemaDigest(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return digest(schema);
  let made = digests.get(schema);
  if (made === undefined) {
    made = digest(schema);
    digests.set(schema, made);
  }
  return made;
}

export const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64');
