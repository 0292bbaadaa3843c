// The CLI's wire types are generated from the published contract: the committed file must be what openapi-typescript
// makes of the committed openapi.json (which test/edges/http/conventions.test.ts holds to the server's document).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CLIENT_TYPES_PATH, clientTypes } from '../../scripts/openapi-client.js';

describe('the CLI client generated from openapi.json', () => {
  test('the committed client types are what the generator makes of the committed openapi.json', async () => {
    const expected = await clientTypes(readFileSync('openapi.json', 'utf8'));
    assert.ok(expected.includes('export interface paths'), 'the generator wrote the paths');
    const committed = readFileSync(CLIENT_TYPES_PATH, 'utf8');
    assert.ok(committed === expected, `${CLIENT_TYPES_PATH} is stale: run \`npm run openapi\``);
  });
});
