import assert from 'node:assert/strict';
import { parseRobotId } from '../../src/domain/id/index.js';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectExit, runCli, servedRegistry } from '../support/cli.js';
import type { Harness } from '../support/harness.js';
import { intoUse, supplyChain, type SupplyChain } from '../support/lifecycle.js';

describe('robotid CLI: incidents', () => {
  let registry: Awaited<ReturnType<typeof servedRegistry>>;
  let h: Harness;
  let c: SupplyChain;
  let robot: string;
  let incidentId: string;
  const as = (key: string) => registry.as(key);

  before(async () => {
    registry = await servedRegistry();
    h = registry.h;
    c = await supplyChain(h, 1);
    robot = c.robots[0]!;
    await intoUse(h, c, robot);
  });
  after(() => registry.close());

  test('report hashes attachments locally and names the parts involved; bad input is a usage error', async () => {
    const file = join(registry.home, 'camera.jpg');
    writeFileSync(file, 'not really a jpeg');
    const hash = createHash('sha256').update('not really a jpeg').digest('hex');
    const reported = await runCli(
      [
        'incident',
        'report',
        robot,
        '--category',
        'fall',
        '--severity',
        'serious',
        '--component',
        'HJ-40:LOT-2026-01',
        '--attachment',
        file,
        '--injuries',
        '1',
        '--description',
        'fell on the stairs',
      ],
      as(c.operator.key),
    );
    expectExit(reported, 0);
    incidentId = /Reported incident (\d+)/.exec(reported.stdout)![1]!;

    const badPart = await runCli(
      ['incident', 'report', robot, '--category', 'fall', '--severity', 'minor', '--component', 'HJ-40'],
      as(c.operator.key),
    );
    expectExit(badPart, 2);
    assert.match(badPart.stderr, /PART:LOT/);
    const badCategory = await runCli(
      ['incident', 'report', robot, '--category', 'meteor', '--severity', 'minor'],
      as(c.operator.key),
    );
    expectExit(badCategory, 2);
    assert.match(badCategory.stderr, /payload\/category/);

    const shown = await runCli(['incident', 'show', incidentId, '--why', 'inspection'], as(c.regulator.key));
    expectExit(shown, 0);
    assert.match(shown.stdout, new RegExp(`${hash}\\s+image/jpeg\\s+camera.jpg`));
    assert.match(shown.stdout, /parts named:\n\s+HJ-40 lot LOT-2026-01/);
    assert.match(shown.stdout, /firmware then:\n\s+motion_os 3\.2\.1/);
    assert.match(shown.stdout, /injuries\s+1/);
    expectExit(await runCli(['incident', 'show', incidentId], as(c.operator2.key)), 3);
  });

  test('list, triage with the allowed moves on refusal, and trends', async () => {
    const listed = await runCli(['incident', 'list', '--why', 'inspection'], as(c.regulator.key));
    expectExit(listed, 0);
    assert.match(listed.stdout, /ID\s+HAPPENED\s+ROBOT\s+CATEGORY\s+SEVERITY\s+INJURIES\s+REGION\s+STATE/);
    assert.match(
      listed.stdout,
      new RegExp(
        `${incidentId}\\s+\\S+ \\S+\\s+${parseRobotId(robot).display}\\s+fall\\s+serious\\s+1\\s+310115\\s+reported`,
      ),
    );
    const filtered = await runCli(
      ['incident', 'list', '--firmware', 'motion_os=9.9', '--why', 'inspection'],
      as(c.regulator.key),
    );
    expectExit(filtered, 0);
    assert.match(filtered.stderr, /no incidents match/);

    const skipping = await runCli(
      ['incident', 'triage', incidentId, '--state', 'root_cause_found', '--root-cause', 'worn gear'],
      as(c.regulator.key),
    );
    expectExit(skipping, 5);
    assert.match(skipping.stderr, /allowed now: under_investigation, closed/);
    const moved = await runCli(
      ['incident', 'triage', incidentId, '--state', 'under_investigation', '--note', 'asked the maker'],
      as(c.regulator.key),
    );
    expectExit(moved, 0);
    assert.match(moved.stdout, new RegExp(`Incident ${incidentId} is now under_investigation`));
    const shown = await runCli(['incident', 'show', incidentId, '--why', 'inspection'], as(c.regulator.key));
    assert.match(shown.stdout, /reported -> under_investigation\s+by \S+: asked the maker/);
    expectExit(await runCli(['incident', 'triage', incidentId, '--state', 'closed'], as(c.maker.key)), 4);

    const trends = await runCli(
      ['incident', 'trends', '--by', 'lot', '--why', 'statistics'],
      as(c.maker.key),
    );
    expectExit(trends, 0);
    assert.match(trends.stdout, /LOT\s+INCIDENTS\s+MINOR\s+MODERATE\s+SERIOUS\s+CRITICAL\s+INJURIES/);
    assert.match(trends.stdout, /HJ-40 LOT-2026-01\s+1\s+0\s+0\s+1\s+0\s+1/);
    expectExit(
      await runCli(['incident', 'trends', '--by', 'model', '--why', 'statistics'], as(c.operator.key)),
      4,
    );
  });
});
