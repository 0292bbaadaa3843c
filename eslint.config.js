import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './eslint/layers.js';

// The layers (docs/architecture.md), as folders the `layers/imports` rule resolves each import to.
const MAIN = 'src/main/'; // the composition root: it alone may import anything
const EDGES = 'src/edges/';
const DEMO = 'src/demo/';
const ABOVE_APP = [EDGES, DEMO, MAIN];
const ABOVE_STORE = [...ABOVE_APP, 'src/app/'];
/** Storage sits above the transparency log and passports, which are pure. */
const ABOVE_LOG = [...ABOVE_STORE, 'src/store/'];
/** The pure layers touch no database, web server or file system. */
const DRIVERS = ['better-sqlite3', 'pg', 'fastify', 'node:fs', '@nats-io/'];
/** Each database's driver and adapter folder. */
const DATABASES = ['better-sqlite3', 'pg', 'src/store/sqlite/', 'src/store/postgres/'];
/** The use cases reach the network only through ports (app/notifications/ports.ts) that adapters implement. */
const NETWORK = ['@nats-io/', 'node:http', 'node:https', 'node:http2', 'node:net', 'node:tls', 'undici'];

/** Each edge is a folder of src/edges; an edge imports no other edge but the exceptions named below. */
const EDGE_NAMES = ['http', 'cli', 'label', 'nats', 'webhooks'];
const edge = (name) => `${EDGES}${name}/`;
const otherEdges = (name, exceptions = []) =>
  EDGE_NAMES.filter((other) => other !== name && !exceptions.includes(other)).map(edge);
/**
 * The CLI reaches the server over the network and reads the wire through the types generated from openapi.json
 * (src/edges/cli/generated): nothing of the HTTP edge, not even its schemas' types, so that it depends on the
 * published contract only.
 */
const ABOVE_OR_BESIDE_CLI = [MAIN, ...otherEdges('cli')];

/** `folder`'s files may not import what `forbidden` names (types included). */
const layer = (folder, forbidden) => [
  {
    files: [`${folder}/**/*.ts`],
    rules: { 'layers/imports': ['error', { layer: folder, forbidden }] },
  },
];

export default tseslint.config(
  // src/edges/cli/generated: openapi-typescript's output from openapi.json (npm run openapi), held to it by a test.
  // console/src/api/schema.ts: the console's copy of the same.
  {
    ignores: [
      'dist/',
      'dist-console/',
      'node_modules/',
      'data/',
      'bench/results/',
      'src/edges/cli/generated/',
      'console/src/api/schema.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { layers },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Layers import only from the layers below them (docs/architecture.md): one rule per layer, naming what is above.
  ...layer('src/domain', [...ABOVE_LOG, 'src/log/', 'src/passport/', ...DRIVERS]),
  ...layer('src/lib', [...ABOVE_LOG, 'src/domain/', 'src/log/', 'src/passport/']),
  ...layer('src/log', [...ABOVE_LOG, 'src/passport/', ...DRIVERS]),
  ...layer('src/passport', [...ABOVE_LOG, ...DRIVERS]),
  // Storage: queries are written once against the dialect seam (src/store/sql); only each database's own folder
  // may use its driver, and neither database's folder the other's.
  ...layer('src/store', [...ABOVE_STORE, 'fastify', ...DATABASES]),
  ...layer('src/store/sqlite', [...ABOVE_STORE, 'fastify', 'pg', 'src/store/postgres/']),
  ...layer('src/store/postgres', [...ABOVE_STORE, 'fastify', 'better-sqlite3', 'src/store/sqlite/']),
  ...layer('src/app', [...ABOVE_APP, 'fastify', ...NETWORK]),
  // The demo drives the use cases in process, as an edge would, for the CLI's `robotid demo`.
  ...layer('src/demo', [EDGES, MAIN]),
  // The edges: none imports the composition, which hands them what they need. HTTP serves the label's renderings.
  ...layer('src/edges/http', [MAIN, ...otherEdges('http', ['label'])]),
  // The CLI talks to the API, so it uses no use case or store; its local commands (cli/local) work on this
  // machine's registry in process, with what the composition hands them.
  ...layer('src/edges/cli', [...ABOVE_OR_BESIDE_CLI, 'src/app/', 'src/store/', DEMO]),
  ...layer('src/edges/cli/local', ABOVE_OR_BESIDE_CLI),
  ...layer('src/edges/label', [MAIN, ...otherEdges('label')]),
  ...layer('src/edges/nats', [MAIN, ...otherEdges('nats')]),
  ...layer('src/edges/webhooks', [MAIN, ...otherEdges('webhooks')]),
  // The console (console/, its own build) runs in the browser and speaks to the registry over the wire only, through
  // the client generated from openapi.json: nothing of the server's code, not even types.
  {
    files: ['console/**/*.ts', 'console/**/*.tsx'],
    plugins: { layers },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'layers/imports': ['error', { layer: 'console', forbidden: ['src/', ...DRIVERS] }],
    },
  },
  // But a proof bundle is checked in the browser with the transparency log's own pure code (src/log, browser-safe
  // through console/src/verify/node-crypto.ts), so that the console's "verified" mark and `robotid verify` agree.
  {
    files: ['console/src/verify/**/*.ts'],
    rules: {
      'layers/imports': [
        'error',
        {
          layer: 'console/src/verify',
          forbidden: [...ABOVE_LOG, 'src/domain/', 'src/lib/', 'src/passport/', ...DRIVERS],
        },
      ],
    },
  },
  {
    // The network's global client too: the use cases (and what is below them) reach the network through ports.
    files: ['src/{domain,lib,log,passport,app}/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'the network is an adapter’s (src/edges), behind a port' },
        { name: 'WebSocket', message: 'the network is an adapter’s (src/edges), behind a port' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
