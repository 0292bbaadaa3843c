/**
 * Response serializers (fast-json-stringify), compiled once per process for each distinct response schema. Compiling
 * them is most of the time buildServer takes (0.5–0.9 s): a process that builds the HTTP edge more than once (the
 * test harness, for every suite on every store) paid it each time for the very same schemas.
 */
import fastJsonStringify, { type Options, type Schema } from 'fast-json-stringify';
import { digest, schemaDigest } from './schema-digest.js';

type Serializer = (data: unknown) => string;

const compiled = new Map<string, Serializer>();

/**
 * Fastify's `compilersFactory.buildSerializer`: as its default (@fastify/fast-json-stringify-compiler), with the
 * serializer of a schema already compiled, over the same shared schemas and options, taken from the cache.
 */
export function buildCachedSerializer(externalSchemas?: unknown, serializerOpts: Options = {}) {
  const sharedSchemas = Object.entries((externalSchemas ?? {}) as Record<string, unknown>);
  const shared = digest([sharedSchemas.map(([id, schema]) => [id, schemaDigest(schema)]), serializerOpts]);
  return ({ schema }: { schema?: unknown }): Serializer => {
    const key = `${shared} ${schemaDigest(schema)}`;
    let serializer = compiled.get(key);
    if (!serializer) {
      // As the default does: a schema that is itself one of the shared ones is not given again as shared.
      const { $id } = schema as { $id?: string };
      const schemas = { ...(externalSchemas as Record<string, Schema>) };
      if ($id) delete schemas[$id];
      serializer = fastJsonStringify(schema as Schema, { ...serializerOpts, schema: schemas }) as Serializer;
      compiled.set(key, serializer);
    }
    return serializer;
  };
}
