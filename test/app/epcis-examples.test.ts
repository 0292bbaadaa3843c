/**
 * docs/epcis-examples.md is what the code writes today: rendered again from the same seeded demo population, it is
 * the same page, one example for every lifecycle event type.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { EVENT_TYPES } from '../../src/domain/lifecycle/events.js';
import { EXAMPLES_PATH, renderEpcisExamples } from '../../scripts/epcis-examples/render.js';

test('docs/epcis-examples.md shows every lifecycle event type as export writes it now', async () => {
  const page = await renderEpcisExamples();
  for (const type of EVENT_TYPES) assert.ok(page.includes(`\n## \`${type}\`\n`), `no example of ${type}`);
  assert.ok(
    readFileSync(EXAMPLES_PATH, 'utf8') === page,
    `${EXAMPLES_PATH} is stale: run npm run epcis:examples (and read the difference before committing it)`,
  );
});
