import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The composition layer and the edges: nothing below them imports them. */
const ABOVE_APP = ['**/edges/**', '**/main/**', '**/witness/**', '**/demo/**'];
const ABOVE_STORE = [...ABOVE_APP, '**/app/**'];
/** Storage sits above the transparency log and passports, which are pure. */
const ABOVE_LOG = [...ABOVE_STORE, '**/store/**'];
/** The pure layers touch no database, web server or file system. */
const DRIVERS = ['better-sqlite3', 'pg', 'fastify', 'node:fs', '@nats-io/*'];

/** `folder`'s files may not import what `forbidden` matches. */
const layer = (folder, forbidden) => [
  { files: [`${folder}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns: forbidden }] } },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Layers import only from the layers below them (docs/architecture.md): one rule per layer, naming what is above.
  ...layer('src/domain', [...ABOVE_LOG, '**/log/**', '**/passport/**', ...DRIVERS]),
  ...layer('src/lib', [...ABOVE_LOG, '**/domain/**', '**/log/**', '**/passport/**']),
  ...layer('src/log', [...ABOVE_LOG, '**/passport/**', ...DRIVERS]),
  ...layer('src/passport', [...ABOVE_LOG, ...DRIVERS]),
  ...layer('src/store', [...ABOVE_STORE, 'fastify']),
  ...layer('src/app', [...ABOVE_APP, 'fastify']),
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
