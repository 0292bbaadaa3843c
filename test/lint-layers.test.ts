/**
 * The layer rules of eslint.config.js (docs/architecture.md), each shown at work: in every layer, an import of
 * what is above or beside it is reported, and an import of what is below it is not. Removing a layer's rule, or
 * widening it, fails its test.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';

const root = fileURLToPath(new URL('../', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** How a module is imported: a value, `import type`, or `import()`. */
type Form = 'value' | 'type' | 'dynamic';

const code = (spec: string, form: Form) =>
  ({
    value: `import { a } from '${spec}';\nexport const b = a;\n`,
    type: `import type { A } from '${spec}';\nexport type B = A;\n`,
    dynamic: `export const load = () => import('${spec}');\n`,
  })[form];

/** What the layer rules say about `spec` imported in that form by a file at `file`. */
async function layerFindings(file: string, spec: string, form: Form = 'value'): Promise<string[]> {
  const [result] = await eslint.lintText(code(spec, form), { filePath: join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

async function refuses(file: string, spec: string, form: Form = 'value') {
  const findings = await layerFindings(file, spec, form);
  assert.equal(findings.length, 1, `${file} importing ${spec} (${form}) should be reported`);
  return findings[0]!;
}

async function allows(file: string, spec: string, form: Form = 'value') {
  assert.deepEqual(await layerFindings(file, spec, form), [], `${file} may import ${spec} (${form})`);
}

describe('the layer rules (eslint.config.js)', () => {
  test('the domain imports no layer above it and no driver', async () => {
    assert.match(
      await refuses('src/domain/x.ts', '../store/store.js'),
      /src\/domain may not import src\/store\/store\.js/,
    );
    await refuses('src/domain/x.ts', '../log/note.js');
    await refuses('src/domain/x.ts', 'better-sqlite3');
    await allows('src/domain/x.ts', './errors.js');
  });

  test('the utilities import nothing of the project', async () => {
    await refuses('src/lib/x.ts', '../domain/errors.js');
    await allows('src/lib/x.ts', 'node:worker_threads');
  });

  test('the transparency log and passports: pure, below storage', async () => {
    await refuses('src/log/x.ts', '../passport/passport.js');
    await refuses('src/log/x.ts', 'node:fs');
    await allows('src/log/x.ts', './hash.js');
    await refuses('src/passport/x.ts', '../store/store.js');
    await allows('src/passport/x.ts', '../log/note.js');
  });

  test('storage imports no use case; its own areas are not the layers they are named like', async () => {
    await refuses('src/store/x.ts', '../app/context.js', 'type');
    await refuses('src/store/x.ts', 'fastify');
    await allows('src/store/x.ts', './log/interface.js');
    await allows('src/store/x.ts', '../log/hash.js');
  });

  test("queries written once use no database's driver or adapter; each adapter uses only its own", async () => {
    await refuses('src/store/recalls/queries.ts', 'better-sqlite3');
    await refuses('src/store/recalls/queries.ts', 'pg');
    await refuses('src/store/recalls/queries.ts', '../sqlite/connection.js', 'type');
    await refuses('src/store/sql/db.ts', '../postgres/dialect.js');
    await allows('src/store/recalls/queries.ts', '../sql/db.js', 'type');
    await refuses('src/store/sqlite/x.ts', 'pg');
    await refuses('src/store/sqlite/x.ts', '../postgres/connection.js');
    await allows('src/store/sqlite/x.ts', 'better-sqlite3');
    await allows('src/store/sqlite/x.ts', '../recalls/queries.js');
    await refuses('src/store/postgres/x.ts', 'better-sqlite3');
    await refuses('src/store/postgres/x.ts', '../sqlite/dialect.js');
    await allows('src/store/postgres/x.ts', 'pg');
    await refuses('src/store/postgres/x.ts', '../../app/context.js');
  });

  test('use cases import no edge, composition or network driver, and do not fetch', async () => {
    await refuses('src/app/x.ts', '../edges/http/server.js');
    await refuses('src/app/x.ts', '../main/runtime.js', 'dynamic');
    await refuses('src/app/x.ts', '../demo/run.js');
    for (const driver of ['@nats-io/transport-node', 'node:http', 'https', 'node:net', 'undici'])
      await refuses('src/app/x.ts', driver);
    await allows('src/app/x.ts', '../store/store.js');
    const [result] = await eslint.lintText("export const get = () => fetch('https://example.org');\n", {
      filePath: join(root, 'src/app/x.ts'),
    });
    assert.deepEqual(
      result!.messages.map((m) => m.ruleId),
      ['no-restricted-globals'],
    );
  });

  test('the demo drives use cases, and imports no edge or composition', async () => {
    await refuses('src/demo/x.ts', '../main/runtime.js');
    await refuses('src/demo/x.ts', '../edges/cli/output.js');
    await allows('src/demo/x.ts', '../app/organisations.js');
  });

  test('HTTP imports no composition and no other edge but the label it serves', async () => {
    await refuses('src/edges/http/routes/x.ts', '../../../main/config.js');
    await refuses('src/edges/http/routes/x.ts', '../../cli/output.js');
    await refuses('src/edges/http/x.ts', '../webhooks/sender.js');
    await allows('src/edges/http/routes/x.ts', '../../label/label.js');
    await allows('src/edges/http/routes/x.ts', '../../../store/webhooks/interface.js', 'type');
    await allows('src/edges/http/routes/x.ts', '../../../app/robots.js');
  });

  test('the CLI talks to the API: wire types generated from openapi.json, nothing of HTTP, no use case, no store, no composition', async () => {
    const file = 'src/edges/cli/commands/x.ts';
    await refuses(file, '../../../main/runtime.js');
    await refuses(file, '../../../main/runtime.js', 'dynamic');
    await refuses(file, '../../../app/organisations.js', 'dynamic');
    await refuses(file, '../../../store/store.js', 'type');
    assert.match(
      await refuses(file, '../../http/schemas.js', 'type'),
      /src\/edges\/cli may not import src\/edges\/http/,
    );
    await refuses(file, '../../http/routes/events.js', 'type');
    await allows(file, '../generated/openapi.js', 'type');
    await allows(file, '../../../domain/id/index.js');
    await allows(file, '../../../log/note.js');
  });

  test('the CLI’s local commands run use cases in process, given this machine’s registry', async () => {
    const file = 'src/edges/cli/local/x.ts';
    await refuses(file, '../../../main/runtime.js');
    await refuses(file, '../../../main/config.js', 'dynamic');
    await refuses(file, '../../label/label.js');
    await refuses(file, '../../http/server.js');
    await refuses(file, '../../http/schemas.js', 'type');
    await allows(file, '../../../app/organisations.js', 'dynamic');
    await allows(file, '../../../demo/run.js');
    await allows(file, '../../../store/backups.js', 'type');
  });

  test('the label, NATS and webhook edges import no other edge and no composition', async () => {
    await refuses('src/edges/label/x.ts', '../http/schemas.js', 'type');
    await refuses('src/edges/label/x.ts', '../../main/cli.js');
    await allows('src/edges/label/x.ts', '../../domain/errors.js');
    await refuses('src/edges/nats/x.ts', '../webhooks/sender.js');
    await refuses('src/edges/nats/x.ts', '../../main/serve.js');
    await allows('src/edges/nats/x.ts', '../../app/notifications/ports.js', 'type');
    await allows('src/edges/nats/x.ts', '@nats-io/jetstream');
    await refuses('src/edges/webhooks/x.ts', '../nats/notice-stream.js');
    await refuses('src/edges/webhooks/x.ts', '../../main/runtime.js', 'dynamic');
    await allows('src/edges/webhooks/x.ts', '../../app/notifications/ports.js');
  });

  test('the composition root imports anything', async () => {
    await allows('src/main/x.ts', '../edges/http/server.js');
    await allows('src/main/x.ts', '../store/sqlite/index.js');
    await allows('src/main/x.ts', '../edges/cli/program.js', 'dynamic');
  });
});
