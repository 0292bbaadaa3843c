// The wire types of the CLI and the console are generated from the published contract: the committed files must be
// what openapi-typescript makes of the committed openapi.json (which test/edges/http/conventions.test.ts holds to the server's document).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CLIENT_TYPES_PATH, CONSOLE_TYPES_PATH, clientTypes } from '../../scripts/openapi-client.js';

describe('the CLI and console clients generated from openapi.json', () => {
  for (const path of [CLIENT_TYPES_PATH, CONSOLE_TYPES_PATH])
    test(`the committed ${path} is what the generator makes of the committed openapi.json`, async () => {
      const expected = await clientTypes(readFileSync('openapi.json', 'utf8'));
      assert.ok(expected.includes('export interface paths'), 'the generator wrote the paths');
      const committed = readFileSync(path, 'utf8');
      assert.ok(committed === expected, `${path} is stale: run \`npm run openapi\``);
    });
});
