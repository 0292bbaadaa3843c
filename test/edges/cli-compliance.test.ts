import assert from 'node:assert/strict';
import { parseRobotId } from '../../src/domain/id/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectExit, runCli, servedRegistry } from '../support/cli.js';
import type { Harness } from '../support/harness.js';
import { manufactured, report, supplyChain, type SupplyChain } from '../support/lifecycle.js';

describe('robotid CLI: compliance', () => {
  let registry: Awaited<ReturnType<typeof servedRegistry>>;
  let h: Harness;
  let c: SupplyChain;
  const as = (key: string) => registry.as(key);

  before(async () => {
    registry = await servedRegistry();
    h = registry.h;
    c = await supplyChain(h, 1);
    // Made 200 days ago and never shipped: a never-placed finding for the maker (and a late report).
    const eventTime = new Date(Date.now() - 200 * 86_400_000).toISOString();
    const made = manufactured(c.robots[0]!);
    const res = await report(h, c.maker.key, [
      { ...made, eventTime, payload: { ...made.payload, productionDate: eventTime.slice(0, 10) } },
    ]);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });
  after(() => registry.close());

  test('check runs the rules for a regulator; the maker may not', async () => {
    expectExit(await runCli(['compliance', 'check'], as(c.maker.key)), 4);
    const ran = await runCli(['compliance', 'check'], as(c.regulator.key));
    expectExit(ran, 0);
    assert.match(ran.stdout, /checked 6 rules at .*: 2 findings opened, 0 still open, 0 resolved; 2 notices/);
    const again = await runCli(['--json', 'compliance', 'check'], as(c.regulator.key));
    expectExit(again, 0);
    assert.equal(JSON.parse(again.stdout).kept, 2);
  });

  test('report prints a table per rule, JSON with --json, and writes the HTML page', async () => {
    const shown = await runCli(['compliance', 'report', c.maker.org.id], as(c.maker.key));
    expectExit(shown, 0);
    assert.match(shown.stdout, /RULE\s+OPEN\s+RESOLVED SINCE \d{4}-\d{2}-\d{2}\s+PARAMETERS/);
    assert.match(shown.stdout, /never-placed\s+1\s+0\s+days=180/);
    assert.match(
      shown.stdout,
      new RegExp(`never-placed: 1 open[\\s\\S]*${parseRobotId(c.robots[0]!).display}`),
    );

    const json = await runCli(['--json', 'compliance', 'report', c.maker.org.id], as(c.maker.key));
    expectExit(json, 0);
    const body = JSON.parse(json.stdout);
    const rule = body.rules.find((r: { code: string }) => r.code === 'never-placed');
    assert.equal(rule.open.findings[0].robotId, c.robots[0]);

    const file = join(registry.home, 'report.html');
    expectExit(await runCli(['compliance', 'report', c.maker.org.id, '--html', file], as(c.maker.key)), 0);
    const html = readFileSync(file, 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.ok(html.includes(c.robots[0]!));

    expectExit(await runCli(['compliance', 'report', c.maker.org.id], as(c.operator.key)), 3);
    const blind = await runCli(['compliance', 'report', c.maker.org.id], as(c.regulator.key));
    expectExit(blind, 2);
    assert.match(blind.stderr, /add --why <purpose>/);
    expectExit(
      await runCli(
        ['--why', 'market_surveillance', 'compliance', 'report', c.maker.org.id],
        as(c.regulator.key),
      ),
      0,
    );
  });
});
