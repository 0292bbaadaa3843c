/** The operations of the registry's own OpenAPI document, and validators for what each declares it answers. */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export type Schema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** The OpenAPI path template, e.g. /v1/robots/{id}. */
  path: string;
  segments: string[];
  parameters: Parameter[];
  body: Schema | undefined;
  /** Declared status → media type → validator of the body. */
  responses: Map<number, Map<string, ValidateFunction>>;
  id: string;
  /** As declared: the name a generated client gives the operation. */
  operationId: string | undefined;
  /** Security requirements as declared; `{}` among them: anonymous callers too. */
  security: Record<string, string[]>[];
}

export interface Spec {
  operations: Operation[];
  /** `$ref`s in the document resolved against it. */
  resolve(schema: Schema): Schema;
}

type Doc = {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
};
type RawOperation = {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};

const DOC_ID = 'urn:robotid:openapi';
const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** A copy without `$id`s: refs then all resolve against the document itself. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== '$id')
        .map(([k, v]) => [k, withoutIds(v)]),
    );
  }
  return value;
}

export function loadSpec(rawDoc: unknown): Spec {
  const doc = withoutIds(rawDoc) as Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema({ ...doc, $id: DOC_ID } as object);
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const responses = new Map<number, Map<string, ValidateFunction>>();
      for (const [status, response] of Object.entries(op.responses)) {
        const media = new Map<string, ValidateFunction>();
        for (const type of Object.keys(response.content ?? {})) {
          const ref = `${DOC_ID}#/${pointer('paths', path, method, 'responses', status, 'content', type, 'schema')}`;
          media.set(type, ajv.compile({ $ref: ref }));
        }
        responses.set(Number(status), media);
      }
      operations.push({
        method: method.toUpperCase(),
        path,
        segments: path.split('/'),
        parameters: op.parameters ?? [],
        body: op.requestBody?.content['application/json']?.schema,
        responses,
        id: `${method.toUpperCase()} ${path}`,
        operationId: op.operationId,
        security: op.security ?? [],
      });
    }
  }
  const resolve = (schema: Schema): Schema => {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const name = ref.replace('#/components/schemas/', '');
    return resolve(doc.components.schemas[name] ?? {});
  };
  return { operations, resolve };
}

/**
 * The operation the router sends a path to, found as find-my-way does: static segments before parameters, a
 * trailing `{*}` takes the rest. Undefined: no route (the server answers 404).
 */
export function routeOf(spec: Spec, method: string, rawPath: string): Operation | undefined {
  const segments = rawPath.split('?')[0]!.split('/');
  const candidates = spec.operations.filter((op) => op.method === method && matches(op.segments, segments));
  // Most static segments first: /v1/incidents/trends before /v1/incidents/{id}.
  const staticCount = (op: Operation) => op.segments.filter((s) => !s.startsWith('{')).length;
  return candidates.sort((a, b) => staticCount(b) - staticCount(a))[0];
}

function matches(template: string[], segments: string[]): boolean {
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    if (t === '{*}') return segments.length > i;
    const s = segments[i];
    if (s === undefined) return false;
    if (t.startsWith('{') && t.endsWith('}')) {
      if (s === '') return false;
      continue;
    }
    if (t !== s) return false;
  }
  return template.length === segments.length;
}
