import assert from 'node:assert/strict';
import { parseRobotId } from '../../src/domain/id/index.js';
import { after, before, describe, test } from 'node:test';
import { expectExit, runCli, servedRegistry } from '../support/cli.js';
import type { Harness } from '../support/harness.js';
import { intoUse, supplyChain, type SupplyChain } from '../support/lifecycle.js';

describe('robotid CLI: recall campaigns', () => {
  let registry: Awaited<ReturnType<typeof servedRegistry>>;
  let h: Harness;
  let c: SupplyChain;
  const as = (key: string) => registry.as(key);

  before(async () => {
    registry = await servedRegistry();
    h = registry.h;
    c = await supplyChain(h, 2);
    for (const id of c.robots) await intoUse(h, c, id);
  });
  after(() => registry.close());

  test('create waits for the affected set; show, progress, robots, set and close follow it', async () => {
    const created = await runCli(
      [
        'recall',
        'create',
        '--component',
        'Knee actuator HJ-40',
        '--summary',
        'Brake may slip.',
        '--consequence',
        'The robot may fall.',
        '--remedy',
        'Firmware 3.3.1',
        '--ota',
        '--fix',
        'motion_os=3.3.1',
        '--part',
        'HJ-40:LOT-2026-01',
      ],
      as(c.regulator.key),
    );
    expectExit(created, 0);
    const number = /Opened recall (RC-\d{4}-\d{6})/.exec(created.stdout)?.[1];
    assert.ok(number, created.stdout);
    assert.match(created.stdout, /Affected\s+2\n/);

    const shown = await runCli(['recall', 'show', number], as(c.operator.key));
    expectExit(shown, 0);
    assert.match(shown.stdout, /Remedy\s+Firmware 3.3.1 \(over the air\)/);
    assert.doesNotMatch(shown.stdout, /Criteria/, 'an operator does not see the criteria');

    const refused = await runCli(['recall', 'robots', number], as(c.regulator.key));
    expectExit(refused, 2);
    const robots = await runCli(['recall', 'robots', number, '--why', 'recall'], as(c.regulator.key));
    expectExit(robots, 0);
    // As on the label: the display form with its two check characters.
    for (const id of c.robots) {
      assert.match(robots.stdout, new RegExp(`^${parseRobotId(id).display}\\s+notified`, 'm'));
    }
    // The holder by its name, with the id for what follows (not a bare org_…).
    assert.ok(
      robots.stdout.includes(`${c.operator.org.name} (${c.operator.org.id})`),
      `holder named in:\n${robots.stdout}`,
    );

    const exempt = await runCli(
      ['recall', 'set', number, c.robots[0]!, '--state', 'exempt', '--note', 'scrapped on site'],
      as(c.regulator.key),
    );
    expectExit(exempt, 0);
    const progress = await runCli(['recall', 'progress', number], as(c.operator.key));
    expectExit(progress, 0);
    assert.match(progress.stdout, /2 affected, 50\.0% complete/);
    assert.match(progress.stdout, /exempt\s+1/);

    const json = await runCli(['--json', 'recall', 'list', '--status', 'open'], as(c.operator.key));
    expectExit(json, 0);
    assert.ok(JSON.parse(json.stdout).items.some((r: { number: string }) => r.number === number));

    expectExit(await runCli(['recall', 'close', number], as(c.operator.key)), 3);
    const closed = await runCli(['recall', 'close', number], as(c.regulator.key));
    expectExit(closed, 0);
    assert.match(closed.stdout, /Closed recall .*: 0 of 2 remedied/);
  });

  test('bad criteria are refused with the field at fault', async () => {
    const bad = await runCli(
      ['recall', 'create', '--component', 'x', '--summary', 'x', '--consequence', 'x', '--remedy', 'x'],
      as(c.regulator.key),
    );
    expectExit(bad, 2);
    assert.match(bad.stderr, /\/criteria: name at least one of models, components or software/);
    const part = await runCli(
      [
        'recall',
        'create',
        '--component',
        'x',
        '--summary',
        'x',
        '--consequence',
        'x',
        '--remedy',
        'x',
        '--part',
        'HJ-40',
      ],
      as(c.regulator.key),
    );
    expectExit(part, 2);
    assert.match(part.stderr, /PART:LOT/);
  });
});
