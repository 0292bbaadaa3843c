/**
 * `layers/imports`: a file may not import from the folders or packages its layer's rule names (eslint.config.js,
 * docs/architecture.md). Each relative import is resolved to the project folder it reaches, so that `../log/…`
 * from the store (its own log area) and from the domain (the transparency log) are told apart, which patterns over
 * the import's text cannot do. Dynamic `import()` counts too: lazy loading is no way around a layer.
 */
import { isBuiltin } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** What an import reaches: a project path such as `src/app/context.js`, or a package as `node:fs`, `pg`. */
function targetOf(filename, source) {
  if (source.startsWith('.'))
    return relative(ROOT, resolve(dirname(filename), source))
      .split(sep)
      .join('/');
  return isBuiltin(source) && !source.startsWith('node:') ? `node:${source}` : source;
}

/** `entry`: a folder (ending in `/`) or package prefix, or a package with whatever is under it. */
const reaches = (target, entry) =>
  entry.endsWith('/') ? target.startsWith(entry) : target === entry || target.startsWith(`${entry}/`);

/** A string literal's value, for the sources of imports written as template strings too. */
function literal(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return undefined;
}

const imports = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only from the layers below it (docs/architecture.md)' },
    schema: [
      {
        type: 'object',
        properties: {
          layer: { type: 'string' },
          forbidden: { type: 'array', items: { type: 'string' } },
        },
        required: ['layer', 'forbidden'],
        additionalProperties: false,
      },
    ],
    messages: {
      forbidden: '{{layer}} may not import {{target}} (docs/architecture.md)',
    },
  },
  create(context) {
    const { layer, forbidden } = context.options[0];
    // Types count as much as values: a layer that may not load a module may not depend on its shapes either.
    const check = (node, sourceNode) => {
      const source = literal(sourceNode);
      if (source === undefined) return;
      const target = targetOf(context.filename, source);
      if (forbidden.some((entry) => reaches(target, entry)))
        context.report({ node, messageId: 'forbidden', data: { layer, target } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportType: (node) => check(node, node.source ?? node.argument?.literal),
    };
  },
};

export default { rules: { imports } };
