import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectExit, runCli, servedRegistry } from '../support/cli.js';
import type { Harness } from '../support/harness.js';
import { intoUse, supplyChain, type SupplyChain } from '../support/lifecycle.js';

describe('robotid CLI: the read audit', () => {
  let registry: Awaited<ReturnType<typeof servedRegistry>>;
  let h: Harness;
  let c: SupplyChain;
  const as = (key: string) => registry.as(key);

  before(async () => {
    registry = await servedRegistry();
    h = registry.h;
    c = await supplyChain(h, 1);
    await intoUse(h, c, c.robots[0]!);
    h.ctx.readAudit.record({
      at: '2026-02-03T04:05:06.789Z',
      orgId: c.regulator.org.id,
      keyId: c.regulator.keyId,
      robotId: c.robots[0]!,
      query: null,
      classes: ['technical', 'custody'],
      purpose: 'recall',
      outcome: 'granted',
    });
    await h.ctx.readAudit.flush();
  });
  after(() => registry.close());

  test('reads lists who read the robot for its operator; others hear it does not exist', async () => {
    const id = c.robots[0]!;
    const listed = await runCli(['reads', id], as(c.operator.key));
    expectExit(listed, 0);
    assert.match(listed.stdout, /TIME\s+READER\s+CLASSES\s+PURPOSE\s+OUTCOME/);
    assert.match(
      listed.stdout,
      new RegExp(
        `2026-02-03 04:05:06Z\\s+${c.regulator.org.name} \\(${c.regulator.org.id}\\)\\s+technical,custody\\s+recall\\s+granted`,
      ),
    );
    expectExit(await runCli(['reads', id], as(c.operator2.key)), 3);
  });

  test('read-audit searches for a regulator who says why; without a reason it is refused', async () => {
    const refused = await runCli(['read-audit', '--robot', c.robots[0]!], as(c.regulator.key));
    expectExit(refused, 2);
    assert.match(refused.stderr, /add --why <purpose>/);
    const found = await runCli(
      [
        'read-audit',
        '--robot',
        c.robots[0]!,
        '--purpose',
        'recall',
        '--from',
        '2026-02-03',
        '--why',
        'inspection',
      ],
      as(c.regulator.key),
    );
    expectExit(found, 0);
    assert.match(
      found.stdout,
      new RegExp(`${c.regulator.keyId}\\s+${c.robots[0]!}\\s+technical,custody\\s+recall`),
    );
    const json = await runCli(
      ['--json', 'read-audit', '--org', c.regulator.org.id, '--to', '2026-02-04', '--why', 'inspection'],
      as(c.regulator.key),
    );
    expectExit(json, 0);
    assert.equal(JSON.parse(json.stdout).items.length, 1);
    expectExit(await runCli(['read-audit', '--why', 'curiosity'], as(c.regulator.key)), 2);
  });
});
