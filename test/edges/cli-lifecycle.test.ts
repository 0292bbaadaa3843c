import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseRobotId } from '../../src/domain/id/index.js';
import { expectExit, isolatedEnv, runCli, tempHome } from '../support/cli.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  ACTUATOR,
  actuatorSerial,
  certified,
  event,
  intoUse,
  manufactured,
  report,
  supplyChain,
  type SupplyChain,
} from '../support/lifecycle.js';
import { answerDroppingProxy } from '../support/proxy.js';

const display = (id: string) => parseRobotId(id).display;

describe('robotid CLI: lifecycle events, robot history and search, bulk import', () => {
  let h: Harness;
  let c: SupplyChain;
  let url: string;
  let home: string;
  let dir: string;
  const as = (key?: string) =>
    isolatedEnv(home, { ROBOTID_URL: url, ROBOTID_API_KEY: key, ROBOTID_PURPOSE: 'inspection' });

  before(async () => {
    h = await startHarness();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    home = tempHome();
    dir = mkdtempSync(join(tmpdir(), 'robotid-cli-lifecycle-'));
    c = await supplyChain(h, 4);
  });
  after(async () => {
    await h.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  test('event add records an event; one not allowed now says the state and what is allowed', async () => {
    const id = c.robots[0]!;
    const payloadFile = join(dir, 'manufactured.json');
    writeFileSync(payloadFile, JSON.stringify(manufactured(id).payload));
    const time = new Date(Date.now() - 60_000).toISOString();
    const made = await runCli(
      [
        'event',
        'add',
        'manufactured',
        display(id),
        '--payload-file',
        payloadFile,
        '--id',
        'erp-1',
        '--time',
        time,
      ],
      as(c.maker.key),
    );
    expectExit(made, 0);
    assert.match(
      made.stdout,
      new RegExp(`^Recorded manufactured of robot ${display(id)}: seq \\d+, event erp-1$`, 'm'),
    );

    const again = await runCli(
      ['event', 'add', 'manufactured', id, '--payload-file', payloadFile, '--id', 'erp-1', '--time', time],
      as(c.maker.key),
    );
    expectExit(again, 0);
    assert.match(again.stdout, /^Already recorded: .* erp-1 \(seq \d+\)/m);

    // One at a time: each takes the time now, and an event may not go back before the robot's latest.
    const cert = JSON.stringify(certified(id).payload);
    expectExit(await runCli(['event', 'add', 'certified', id, '--payload', cert], as(c.certifier.key)), 0);
    const notAllowed = await runCli(
      ['event', 'add', 'activated', id, '--payload', '{"siteType":"home","region":"110101"}'],
      as(c.maker.key),
    );
    expectExit(notAllowed, 5);
    assert.match(notAllowed.stderr, /^error: a robot in state 'certified' cannot be 'activated'/m);
    assert.match(notAllowed.stderr, /^ {2}the robot is now: certified$/m);
    assert.match(notAllowed.stderr, /^ {2}allowed now: .*\bshipped\b/m);
    const badTo = await runCli(['event', 'add', 'received', id, '--to', c.seller.org.id], as(c.maker.key));
    expectExit(badTo, 2);
    assert.match(badTo.stderr, /--to is for shipped, sold, ownership_transferred/);

    const shipped = await runCli(['event', 'add', 'shipped', id, '--to', c.seller.org.id], as(c.maker.key));
    expectExit(shipped, 0);
    const json = await runCli(
      ['--json', 'event', 'add', 'recycled', id, '--payload', '{"components":[]}'],
      as(c.recycler.key),
    );
    expectExit(json, 5);
    const problem = JSON.parse(json.stdout);
    assert.equal(problem.type, 'urn:robotid:problem:event-not-allowed');
    assert.ok(typeof problem.state === 'string' && Array.isArray(problem.allowed));
    const history = await h.call('GET', `/v1/robots/${id}/events`, { key: c.maker.key });
    assert.deepEqual(
      history.body.events.map((e: { type: string }) => e.type),
      ['manufactured', 'certified', 'shipped'],
    );
    assert.equal(history.body.events[2].payload.toOrgId, c.seller.org.id);
  });

  test('robot show: state, certification, stop-use and the history as a timeline for those who may read it', async () => {
    const id = c.robots[1]!;
    await intoUse(h, c, id);
    const steps: [string, unknown[]][] = [
      [
        c.operator.key,
        [
          event('serviced', id, {
            kind: 'repair',
            replaced: [
              {
                old: { manufacturer: ACTUATOR.manufacturer, partNumber: 'HJ-40', serial: actuatorSerial(id) },
                new: { ...ACTUATOR, serial: 'HJ40-NEW-0001' },
              },
            ],
            software: [{ target: 'motion_os', version: '3.3.0' }],
          }),
          { ...event('reported_lost', id), eventId: 'op-lost-1' },
          event('corrected', id, { correctsEventId: 'op-lost-1', reason: 'did_not_occur' }),
        ],
      ],
      [c.regulator.key, [event('suspended', id, { orderNumber: 'SUO-7', reason: 'actuator lot recall' })]],
    ];
    for (const [key, events] of steps) {
      const res = await report(h, key, events);
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }

    const [shown, stranger, anonymous, json] = await Promise.all([
      runCli(['robot', 'show', id], as(c.operator.key)),
      runCli(['robot', 'show', display(id)], as(c.operator2.key)),
      runCli(['robot', 'show', id], as()),
      runCli(['--json', 'robot', 'show', id], as(c.regulator.key)),
    ]);
    expectExit(shown, 0);
    const out = shown.stdout;
    assert.match(out, /^ {2}state +in_use$/m);
    assert.match(out, /^ {2}stop-use +ORDER SUO-7 in force since /m);
    assert.match(out, /^ {2}certification +valid \(GB\/T 12643, until 2030-01-01/m);
    assert.ok(!out.includes('\x1b['), 'no colours when stdout is not a terminal');
    assert.match(out, /^history \(10 events\)$/m);
    const lines = out.split('\n');
    const line = (type: string) => lines.find((l) => new RegExp(`^ {2}\\S+ \\S+ +${type} `).test(l));
    assert.match(line('manufactured') ?? '', /produced 2026-01-04; 2 components; software motion_os 3\.2\.1/);
    assert.match(line('sold') ?? '', new RegExp(`to .*\\(${c.operator.org.id}\\)`));
    assert.match(line('activated') ?? '', /at a factory site, region 310115/);
    assert.match(
      line('serviced') ?? '',
      new RegExp(`repair; replaced HJ-40 ${actuatorSerial(id)}→HJ40-NEW-0001; firmware motion_os 3\\.3\\.0`),
    );
    assert.match(line('reported_lost') ?? '', /\[corrected by [^\]]+\]/, 'the corrected event is marked');
    assert.match(line('corrected') ?? '', /declares op-lost-1 wrong \(did not occur\)/);
    assert.match(line('suspended') ?? '', /stop-use order SUO-7: actuator lot recall/);
    const header = lines.find((l) => l.includes('REPORTED BY'));
    assert.ok(header, 'a timeline with column headers');

    for (const publicOnly of [stranger, anonymous]) {
      expectExit(publicOnly, 0);
      assert.match(publicOnly.stdout, /^ {2}state +in_use$/m);
      assert.match(publicOnly.stdout, /stop-use +ORDER SUO-7/);
      assert.doesNotMatch(publicOnly.stdout, /history|REPORTED BY/);
    }

    expectExit(json, 0);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.robot.id, id);
    assert.equal(parsed.robot.stopUse.orderNumber, 'SUO-7');
    assert.equal(parsed.history.events.length, 10);
    const noHistory = await runCli(['--json', 'robot', 'show', id], as(c.operator2.key));
    assert.equal(JSON.parse(noHistory.stdout).history, null);
  });

  test('robot find: by lot, state and limit; --all follows the cursors', async () => {
    const id = c.robots[2]!;
    await report(h, c.maker.key, [
      manufactured(id, {
        payload: {
          productionDate: '2026-01-05',
          components: [{ ...ACTUATOR, serial: actuatorSerial(id), lot: 'LOT-FIND-9' }],
          software: [],
        },
      }),
    ]);
    const [byLot, none, json, all] = await Promise.all([
      runCli(['robot', 'find', '--lot', 'LOT-FIND-9'], as(c.regulator.key)),
      runCli(['robot', 'find', '--lot', 'LOT-FIND-9', '--state', 'in_use'], as(c.regulator.key)),
      runCli(['--json', 'robot', 'find', '--limit', '1'], as(c.maker.key)),
      runCli(['--json', 'robot', 'find', '--all', '--lot', ACTUATOR.lot], as(c.regulator.key)),
    ]);
    expectExit(byLot, 0);
    const rows = byLot.stdout.trim().split('\n');
    assert.match(rows[0]!, /^ROBOT +STATE +REGION +PRODUCED +CERTIFIED UNTIL$/);
    assert.equal(rows.length, 2, byLot.stdout);
    assert.match(rows[1]!, new RegExp(`^${display(id)} +manufactured +- +2026-01-05 +-$`));
    expectExit(none, 0);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /no robots match/);
    expectExit(json, 0);
    const page = JSON.parse(json.stdout);
    assert.equal(page.items.length, 1);
    assert.notEqual(page.nextCursor, null);
    expectExit(all, 0);
    const found = JSON.parse(all.stdout).items.map((r: { id: string }) => r.id);
    assert.ok(found.includes(c.robots[1]) && found.includes(c.robots[0]), all.stdout);
    const noKey = await runCli(['robot', 'find', '--lot', 'x'], as());
    expectExit(noKey, 4);
  });

  test("a refused payload names every faulty field; event types and the help list each type's fields", async () => {
    const refused = await runCli(
      ['event', 'add', 'manufactured', c.robots[3]!, '--payload', '{"components":[]}'],
      as(c.maker.key),
    );
    expectExit(refused, 2);
    assert.match(refused.stderr, /^error: payload\/productionDate: is required$/m);
    assert.match(refused.stderr, /^ {2}payload\/software: is required$/m);

    const types = await runCli(['event', 'types', 'manufactured'], as());
    expectExit(types, 0);
    assert.match(types.stdout, /^productionDate +required +date, YYYY-MM-DD$/m);
    assert.match(types.stdout, /^plant +optional +text$/m);
    assert.match(
      types.stdout,
      /^components +required +list of \{kind, position\?, manufacturer, partNumber/m,
    );
    const help = await runCli(['event', 'add', '--help'], as());
    expectExit(help, 0);
    assert.match(help.stdout, /^manufactured +productionDate\*, plant, components\*, software\*$/m);
    assert.match(help.stdout, /^activated +siteType\*, region\*$/m);
    assert.match(help.stdout, /robotid event types <type>/);
  });

  test('a search without a purpose tells the CLI user the option to add, manufacturers as well as regulators', async () => {
    for (const key of [c.maker.key, c.regulator.key]) {
      const env = isolatedEnv(home, { ROBOTID_URL: url, ROBOTID_API_KEY: key });
      const refused = await runCli(['robot', 'find', '--lot', ACTUATOR.lot], env);
      expectExit(refused, 2);
      assert.match(refused.stderr, /^error: .*add --why <purpose> \(or set ROBOTID_PURPOSE\)$/m);
      assert.match(refused.stderr, /^ {2}purposes: inspection, recall, /m);
      assert.doesNotMatch(refused.stderr, /send the RobotID-Purpose header/);
    }
    const help = await runCli(['robot', 'find', '--help'], as());
    expectExit(help, 0);
    assert.match(
      help.stdout.replace(/\s+/g, ' '),
      /--why <purpose> .*required of regulators, and of everyone for searches \(robot find/,
    );
  });

  test('import: 2,000 lines in batches, the bad lines to the rejected file; a second run records nothing twice', async () => {
    const issued = await h.call('POST', '/v1/ids', {
      key: c.maker.key,
      body: { model: c.maker.model.code, count: 500 },
    });
    const robots = (issued.body.ids as string[]).map((printed) => printed.slice(0, 29));
    // Built here with their own times: the shared clock of test/support/lifecycle.ts moves a minute a call.
    const line = (type: string, robotId: string, eventTime: string, payload: Record<string, unknown>) => ({
      type,
      robotId,
      eventTime,
      payload,
    });
    const made = (robotId: string, eventTime: string) =>
      line('manufactured', robotId, eventTime, {
        productionDate: '2026-01-04',
        components: [{ ...ACTUATOR, serial: actuatorSerial(robotId) }],
        software: [{ target: 'motion_os', version: '3.2.1' }],
      });
    const base = Date.now() - 3_600_000;
    const at = (i: number, k: number) => new Date(base + i * 4_000 + k * 1_000).toISOString();
    const good: string[] = [];
    robots.forEach((id, i) => {
      const first = made(id, i === 0 ? new Date(Date.now() - 10 * 86_400_000).toISOString() : at(i, 0));
      good.push(
        JSON.stringify(i === 7 ? { ...first, eventId: 'client-own-7' } : first),
        JSON.stringify(line('serviced', id, at(i, 1), { kind: 'maintenance' })),
        JSON.stringify(line('incident_reported', id, at(i, 2), { category: 'fall', severity: 'minor' })),
        JSON.stringify(
          line('serviced', id, at(i, 3), {
            kind: 'firmware_update',
            software: [{ target: 'motion_os', version: '3.3.0' }],
          }),
        ),
      );
    });
    const typo = `${robots[3]!.slice(0, 20)}O${robots[3]!.slice(21)}`;
    const bad = new Map<number, [string, string]>([
      [11, ['{"type":"serviced", "robotId":', 'malformed-json']],
      [
        901,
        [
          JSON.stringify(
            line('activated', robots[200]!, at(200, 3.5), { siteType: 'home', region: '110101' }),
          ),
          'event-not-allowed',
        ],
      ],
      [1500, [JSON.stringify(made(typo, at(3, 0.5))), 'invalid-robot-id']],
    ]);
    const lines: string[] = [];
    for (const text of good) {
      while (bad.has(lines.length + 1)) lines.push(bad.get(lines.length + 1)![0]);
      lines.push(text);
    }
    lines.splice(1200, 0, ''); // a blank line is skipped, not an error
    const file = join(dir, 'events.ndjson');
    writeFileSync(file, lines.join('\n') + '\n');
    const rejectedFile = `${file}.rejected.ndjson`;
    const lineOf = (text: string) => lines.indexOf(text) + 1;

    const first = await runCli(['import', file, '--batch', '700'], as(c.maker.key));
    expectExit(first, 1);
    assert.match(first.stdout, /^Imported .*events\.ndjson: 2,003 lines in /m);
    assert.match(first.stdout, /^ {2}accepted +2,000 \(\d late\)$/m);
    assert.match(first.stdout, /^ {2}duplicates +0$/m);
    assert.match(
      first.stdout,
      new RegExp(`^ {2}rejected +3: see ${rejectedFile.replace(/[.]/g, '\\.')}$`, 'm'),
    );

    const rejected = () =>
      readFileSync(rejectedFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    const firstRejected = rejected();
    assert.deepEqual(
      firstRejected.map((r: { line: number; problem: { code: string } }) => [r.line, r.problem.code]),
      [...bad.values()].map(([text, code]) => [lineOf(text), code]),
    );
    const [malformed, notAllowed, badId] = firstRejected;
    assert.equal(malformed.event, bad.get(11)![0], 'a line that is not JSON is kept as text');
    assert.match(malformed.problem.message, /^not valid JSON: /);
    assert.deepEqual(
      notAllowed.event,
      JSON.parse(bad.get(901)![0]),
      'the original event, without an added id',
    );
    assert.equal(notAllowed.problem.state, 'manufactured');
    assert.ok(notAllowed.problem.allowed.includes('serviced'));
    assert.equal(badId.problem.fields[0].field, '/robotId');

    const histories = async () => {
      const all = await Promise.all(
        robots.map((id) => h.call('GET', `/v1/robots/${id}/events`, { key: c.maker.key })),
      );
      return all.map((res) => res.body.events as { eventId: string; type: string; late: boolean }[]);
    };
    const recorded = await histories();
    for (const events of recorded) {
      assert.deepEqual(
        events.map((e) => e.type),
        ['manufactured', 'serviced', 'incident_reported', 'serviced'],
      );
    }
    assert.equal(recorded[7]![0]!.eventId, 'client-own-7', "the client's event id is kept");
    assert.match(recorded[8]![0]!.eventId, /^imp-[\w-]{32}$/);
    assert.equal(recorded[0]![0]!.late, true);
    const seqs = recorded.flat().map((e) => e.eventId);

    const second = await runCli(['--json', 'import', file, '--batch', '700'], as(c.maker.key));
    expectExit(second, 1);
    const summary = JSON.parse(second.stdout);
    assert.deepEqual(
      [summary.lines, summary.sent, summary.accepted, summary.duplicates, summary.rejected],
      [2003, 2002, 0, 2000, 3],
    );
    assert.deepEqual(rejected(), firstRejected, 'the same lines, for the same reasons');
    assert.deepEqual(
      (await histories()).flat().map((e) => e.eventId),
      seqs,
      'nothing new recorded',
    );

    // Fixed in place (line numbers kept): the fixed line is new, the others are repeats.
    const fixedLines = [...lines];
    fixedLines[lineOf(bad.get(11)![0]) - 1] = '';
    fixedLines[lineOf(bad.get(1500)![0]) - 1] = '';
    fixedLines[lineOf(bad.get(901)![0]) - 1] = JSON.stringify(
      line('serviced', robots[200]!, at(200, 3.5), { kind: 'inspection' }),
    );
    const fixed = join(dir, 'fixed.ndjson');
    writeFileSync(fixed, fixedLines.join('\n'));
    const clean = await runCli(['import', fixed], as(c.maker.key));
    expectExit(clean, 0);
    assert.match(clean.stdout, /^ {2}accepted +1$/m);
    assert.match(clean.stdout, /^ {2}duplicates +2,000 /m);
    assert.match(clean.stdout, /^ {2}rejected +0$/m);
    assert.equal(existsSync(`${fixed}.rejected.ndjson`), false, 'no rejected file when nothing was rejected');
  });

  test('import --mode rollback: a bad line and its batch are not recorded; usage and auth errors', async () => {
    const id = c.robots[3]!;
    const file = join(dir, 'rollback.ndjson');
    const lines = [
      manufactured(id),
      event('activated', id, { siteType: 'home', region: '110101' }),
      event('serviced', id, { kind: 'inspection' }),
    ].map((e) => JSON.stringify(e));
    lines.push('{"type": "serviced"', JSON.stringify(event('serviced', id, { kind: 'maintenance' })));
    writeFileSync(file, lines.join('\n'));
    const rejectedFile = join(dir, 'rb-rejected.ndjson');
    const [rolledBack, tooBig, noKey, missing] = await Promise.all([
      runCli(
        ['import', file, '--mode', 'rollback', '--batch', '3', '--rejected', rejectedFile],
        as(c.maker.key),
      ),
      runCli(['import', file, '--batch', '10001'], as(c.maker.key)),
      runCli(['import', file], as()),
      runCli(['import', join(dir, 'nope.ndjson')], as(c.maker.key)),
    ]);
    expectExit(rolledBack, 1);
    const entries = readFileSync(rejectedFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      entries.map((e: { line: number; problem: { code: string } }) => [e.line, e.problem.code]),
      [
        [1, 'rolled-back'],
        [2, 'event-not-allowed'],
        [3, 'rolled-back'],
        [4, 'malformed-json'],
        [5, 'rolled-back'],
      ],
    );
    assert.match(entries[0].problem.message, /line 2 was rejected/);
    assert.match(entries[4].problem.message, /not sent: line 4 of the same batch is not an event/);
    assert.match(rolledBack.stdout, /rejected +5, of which 3 only rolled back with them/);
    assert.equal(
      (await h.call('GET', `/v1/robots/${id}/events`, { key: c.maker.key })).body.events.length,
      0,
    );
    expectExit(tooBig, 2);
    expectExit(noKey, 4);
    expectExit(missing, 2);
    assert.match(missing.stderr, /cannot read .*nope\.ndjson/);
  });
  test('import sends a batch once more when its answer is lost; the repeat is recognised, not recorded twice', async () => {
    const id = c.robots[3]!;
    const file = join(dir, 'retry.ndjson');
    const at = (k: number) => new Date(Date.now() - 600_000 + k * 1_000).toISOString();
    writeFileSync(
      file,
      [
        { type: 'serviced', robotId: id, eventTime: at(0), payload: { kind: 'inspection' } },
        { type: 'serviced', robotId: id, eventTime: at(1), payload: { kind: 'maintenance' } },
      ]
        .map((e) => JSON.stringify(e))
        .join('\n'),
    );
    const proxy = await answerDroppingProxy((h.app.server.address() as AddressInfo).port);
    try {
      const env = isolatedEnv(home, {
        ROBOTID_URL: proxy.url,
        ROBOTID_API_KEY: c.maker.key,
      });
      // The robot is manufactured first (directly), so that the serviced events are allowed.
      const made = await report(h, c.maker.key, [{ ...manufactured(id), eventTime: at(-1) }]);
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const result = await runCli(['import', file], env);
      expectExit(result, 0);
      assert.match(result.stderr, /sending the batch once more/);
      assert.match(result.stdout, /^ {2}accepted +0$/m);
      assert.match(result.stdout, /^ {2}duplicates +2 /m);
      assert.equal(proxy.connections(), 2);
    } finally {
      await proxy.close();
    }
    const history = await h.call('GET', `/v1/robots/${id}/events`, { key: c.maker.key });
    assert.deepEqual(
      history.body.events.map((e: { type: string }) => e.type),
      ['manufactured', 'serviced', 'serviced'],
    );
  });
});
