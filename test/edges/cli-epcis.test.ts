/**
 * `robotid epcis capture`, `epcis jobs` and `epcis events` against a real registry: a mixed document (its job shown
 * again), its rejected file fixed and sent again, rollback from stdin, a document over the capture limit, an invalid document, and the events
 * queried back. The split and the rejected file's making are checked without a registry first.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  notRecorded,
  rejectedDocument,
  splitDocument,
  REJECTED_MEMBER,
  type EpcisDocument,
} from '../../src/edges/cli/epcis-document.js';
import { nextPageToken } from '../../src/edges/cli/commands/epcis-events.js';
import { countLine } from '../../src/edges/cli/progress.js';
import { expectExit, runCli, servedRegistry } from '../support/cli.js';
import { answerDroppingProxy } from '../support/proxy.js';
import { nextTime, supplyChain, type SupplyChain } from '../support/lifecycle.js';

const BASE = 'https://registry.test';
const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];
let serial = 0;

const epc = (robotId: string) => `${BASE}/r/${robotId}`;
const objectEvent = (what: string, bizStep: string, extra: Record<string, unknown> = {}) => ({
  type: 'ObjectEvent',
  eventID: `urn:uuid:00000000-0000-4000-9000-${String(++serial).padStart(12, '0')}`,
  eventTime: extra.eventTime ?? nextTime(),
  eventTimeZoneOffset: '+00:00',
  action: bizStep === 'commissioning' ? 'ADD' : 'OBSERVE',
  epcList: [what],
  bizStep,
  ...extra,
});
const documentOf = (events: unknown[]): EpcisDocument => ({
  '@context': CONTEXT,
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-12-06T00:00:00Z',
  epcisBody: { eventList: events },
});
const SGTIN = 'urn:epc:id:sgtin:0614141.107346.2017';

describe('epcis capture: parts and the rejected file', () => {
  const events = Array.from({ length: 7 }, (_, i) => objectEvent(`${SGTIN}${i}`, 'commissioning'));
  const doc = documentOf(events);

  test('a document within the limits is one part; over them, consecutive parts within both limits', () => {
    assert.deepEqual(
      splitDocument(doc, { events: 7, bytes: Infinity }).map((p) => p.offset),
      [0],
    );
    const byCount = splitDocument(doc, { events: 3, bytes: Infinity });
    assert.deepEqual(
      byCount.map((p) => [p.offset, p.document.epcisBody.eventList.length]),
      [
        [0, 3],
        [3, 3],
        [6, 1],
      ],
    );
    assert.deepEqual(
      byCount.flatMap((p) => p.document.epcisBody.eventList),
      events,
    );
    assert.equal(byCount[1]!.document['@context'], CONTEXT); // the header goes with each part: event hashes hold
    const bytes = JSON.stringify(documentOf(events.slice(0, 2))).length;
    const bySize = splitDocument(doc, { events: 100, bytes });
    assert.ok(bySize.every((p) => JSON.stringify(p.document).length <= bytes));
    assert.deepEqual(
      bySize.map((p) => p.document.epcisBody.eventList.length),
      [2, 2, 2, 1],
    );
    assert.throws(() => splitDocument(doc, { events: 100, bytes: 300 }), RangeError);
  });

  test('no cut between events capture reads together: parts with their event, one repair', () => {
    const made = objectEvent(`${BASE}/r/A`, 'commissioning');
    const association = (parentID: string, extra: Record<string, unknown>) => ({
      type: 'AssociationEvent',
      eventTime: made.eventTime,
      eventTimeZoneOffset: '+00:00',
      action: 'ADD',
      parentID,
      childEPCs: ['urn:robotid:part:x'],
      ...extra,
    });
    const list = [
      objectEvent(`${BASE}/r/Z`, 'commissioning'),
      made,
      objectEvent(`${BASE}/r/B`, 'commissioning'),
      association(`${BASE}/r/A`, { 'robotid:partOf': made.eventID }), // 3 joins 1
      association(`${BASE}/r/C`, { eventTime: '2026-12-01T00:00:00Z' }),
      association(`${BASE}/r/C`, { eventTime: '2026-12-01T00:00:00Z', action: 'DELETE' }), // 5 with 4
      objectEvent(`${BASE}/r/D`, 'commissioning'),
    ];
    const parts = splitDocument(documentOf(list), { events: 3, bytes: Infinity });
    assert.deepEqual(
      parts.map((p) => [p.offset, p.document.epcisBody.eventList.length]),
      [
        [0, 1],
        [1, 3],
        [4, 3],
      ],
    );
    assert.throws(
      () => splitDocument(documentOf(list), { events: 2, bytes: Infinity }),
      /events 1 to 3 are read together/,
    );
  });

  test('rollback: every event of a capture with a rejection is in the rejected file, the others said rolled back; a failed capture: all', () => {
    const part = { offset: 3, document: documentOf(events.slice(3, 6)) };
    const problem = {
      kind: 'invalid',
      code: 'epcis-not-a-robot',
      message: 'no robot',
      fields: [{ field: '/epcisBody/eventList/1/epcList/0', message: 'no robot' }],
    };
    const job = {
      captureID: 'j',
      createdAt: '2026-12-06T00:00:00Z',
      running: false,
      success: false,
      captureErrorBehaviour: 'rollback' as const,
      eventCount: 3,
      accepted: 0,
      duplicates: 0,
      rejected: 1,
      errors: [{ index: 1, eventID: events[4]!.eventID, problem }],
    };
    const missing = notRecorded(part, job);
    assert.deepEqual(
      missing.map((m) => [m.sourceIndex, m.own, m.problem.code]),
      [
        [3, false, 'rolled-back'],
        [4, true, 'epcis-not-a-robot'],
        [5, false, 'rolled-back'],
      ],
    );
    assert.match(missing[0]!.problem.message, /event 4 of the same capture was rejected/);
    // proceed: just the rejected one.
    assert.deepEqual(
      notRecorded(part, { ...job, captureErrorBehaviour: 'proceed' }).map((m) => m.sourceIndex),
      [4],
    );
    // A capture that failed whole: every event, each with the job's failure.
    const failed = { kind: 'unavailable', code: 'capture-job-failed', message: 'failed 3 times', fields: [] };
    assert.deepEqual(
      notRecorded(part, {
        ...job,
        captureErrorBehaviour: 'proceed',
        rejected: 0,
        errors: [{ problem: failed }],
      }).map((m) => [m.sourceIndex, m.own, m.problem.code]),
      [
        [3, false, 'capture-job-failed'],
        [4, false, 'capture-job-failed'],
        [5, false, 'capture-job-failed'],
      ],
    );
    const file = rejectedDocument({ ...doc, [REJECTED_MEMBER]: ['old notes'] }, missing.slice(1, 2));
    assert.deepEqual(file.epcisBody.eventList, [events[4]]);
    assert.deepEqual(file[REJECTED_MEMBER], [
      {
        index: 0,
        sourceIndex: 4,
        eventID: events[4]!.eventID,
        problem: { ...problem, fields: [{ field: '/epcisBody/eventList/0/epcList/0', message: 'no robot' }] },
      },
    ]);
  });

  test('the bar: the numbers first, the bar in the room left, none on a narrow terminal', () => {
    const line = countLine(4_000, 10_000, 'capture 1/2 running', 12, 100);
    assert.equal(
      line,
      `[############------------------]  40%  4,000 / 10,000 events  capture 1/2 running  12 s`,
    );
    assert.ok(line.length < 100);
    assert.equal(countLine(10, 10, 'done', 0.5, 40), '100%  10 / 10 events  done  0.5 s');
    assert.match(countLine(0, 0, 'done', 1, 80), /^\[#{10,}\] 100%/);
  });

  test("the next page's token is read from the Link header", () => {
    assert.equal(
      nextPageToken('<https://r.test/epcis/events?perPage=2&nextPageToken=a%2Bb>; rel="next"'),
      'a+b',
    );
    assert.equal(nextPageToken(null), null);
    assert.equal(nextPageToken('<https://r.test/x>; rel="prev"'), null);
  });
});

describe('robotid epcis capture and epcis events against a registry', () => {
  let r: Awaited<ReturnType<typeof servedRegistry>>;
  let c: SupplyChain;
  let dir: string;
  const history = async (robotId: string) =>
    (await r.h.ctx.store.read((s) => s.listEvents(robotId))).map((e) => e.type);

  before(async () => {
    // Documents of more than 2 events are taken in the background: the CLI follows the job.
    r = await servedRegistry({ server: { epcisCapture: { inlineEvents: 2 } } });
    c = await supplyChain(r.h, 6);
    dir = mkdtempSync(join(tmpdir(), 'robotid-cli-epcis-'));
  });
  after(async () => {
    await r.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a mixed document: the good events recorded, the rejected ones in a file to fix and send again', async () => {
    const [a, b, d] = c.robots as [string, string, string];
    const { eventID: _, ...withoutId } = objectEvent(epc(b), 'commissioning');
    const doc = documentOf([
      objectEvent(epc(a), 'commissioning'),
      objectEvent(SGTIN, 'commissioning'),
      objectEvent(epc(a), 'packing'),
      objectEvent(`urn:robotid:robot:${a}`, 'receiving'),
      withoutId,
    ]);
    const file = join(dir, 'mixed.jsonld');
    writeFileSync(file, JSON.stringify(doc));
    const res = await runCli(['epcis', 'capture', file, '--error-behaviour', 'proceed'], r.as(c.maker.key));
    expectExit(res, 1);
    assert.match(res.stdout, /^Captured .*mixed\.jsonld: 5 events in capture \S+ \(proceed\)/m);
    assert.match(res.stdout, /^ {2}accepted {4}2$/m);
    assert.match(res.stdout, /^ {2}rejected {4}3: see .*mixed\.jsonld\.rejected\.json$/m);
    assert.match(
      res.stdout,
      /event 1 \(urn:uuid:\S+\): epcis-not-a-robot: .*\n {4}at \/epcisBody\/eventList\/1\/epcList\/0/,
    );
    assert.match(
      res.stdout,
      /event 3 \(urn:uuid:\S+\): event-not-allowed: [^\n]*\n(.*\n)*? {4}the robot is now: manufactured/,
    );
    // The job ran in the background: the quiet line said so (stderr is no terminal here).
    assert.match(res.stderr, /capture (\S+): 5 events queued; waiting .*\(robotid epcis jobs \1\)/);
    assert.deepEqual(await history(a), ['manufactured']);
    assert.deepEqual(await history(b), ['manufactured']);

    // The job, asked for again: one, with why each event was not recorded; and the list, newest first.
    const captureID = res.stdout.match(/in capture (\S+) /)![1]!;
    const job = await runCli(['epcis', 'jobs', captureID], r.as(c.maker.key));
    expectExit(job, 0);
    assert.match(job.stdout, new RegExp(`^Capture ${captureID}: errors$`, 'm'));
    assert.match(job.stdout, /^ {2}rejected +3$/m);
    assert.match(job.stdout, /^ {2}event 2 \(urn:uuid:\S+\): epcis-no-lifecycle-meaning: /m);
    const jobs = await runCli(['--json', 'epcis', 'jobs'], r.as(c.maker.key));
    expectExit(jobs, 0);
    assert.equal(JSON.parse(jobs.stdout)[0].captureID, captureID);

    const rejectedPath = `${file}.rejected.json`;
    const rejected = JSON.parse(readFileSync(rejectedPath, 'utf8')) as EpcisDocument;
    assert.deepEqual(rejected['@context'], CONTEXT);
    assert.deepEqual(rejected.epcisBody.eventList, doc.epcisBody.eventList.slice(1, 4));
    const notes = rejected[REJECTED_MEMBER] as {
      index: number;
      sourceIndex: number;
      problem: { code: string; fields: { field: string }[] };
    }[];
    assert.deepEqual(
      notes.map((n) => [n.index, n.sourceIndex, n.problem.code]),
      [
        [0, 1, 'epcis-not-a-robot'],
        [1, 2, 'epcis-no-lifecycle-meaning'],
        [2, 3, 'event-not-allowed'],
      ],
    );
    assert.equal(notes[0]!.problem.fields[0]!.field, '/epcisBody/eventList/0/epcList/0');

    // Fixed where it says (the SGTIN was meant to be robot d) and sent again as it is: d recorded, the rest again.
    rejected.epcisBody.eventList[0] = { ...(rejected.epcisBody.eventList[0] as object), epcList: [epc(d)] };
    writeFileSync(rejectedPath, JSON.stringify(rejected));
    const again = await runCli(
      ['--json', 'epcis', 'capture', rejectedPath, '--error-behaviour', 'proceed'],
      r.as(c.maker.key),
    );
    expectExit(again, 1);
    const summary = JSON.parse(again.stdout);
    assert.deepEqual(
      [summary.events, summary.accepted, summary.duplicates, summary.rejected, summary.rolledBack],
      [3, 1, 0, 2, 0],
    );
    assert.equal(summary.rejectedFile, `${rejectedPath}.rejected.json`);
    assert.deepEqual(await history(d), ['manufactured']);
    const second = JSON.parse(readFileSync(summary.rejectedFile, 'utf8')) as EpcisDocument;
    assert.deepEqual(
      (second[REJECTED_MEMBER] as { sourceIndex: number }[]).map((n) => n.sourceIndex),
      [1, 2],
    );
  });

  test('rollback from stdin: nothing recorded, every event in the rejected file', async () => {
    const robot = c.robots[3]!;
    const doc = documentOf([objectEvent(epc(robot), 'commissioning'), objectEvent(epc(robot), 'packing')]);
    const res = await runCli(['epcis', 'capture', '-'], r.as(c.maker.key), JSON.stringify(doc), dir);
    expectExit(res, 1);
    assert.match(
      res.stdout,
      /rejected {4}1; 1 more not recorded \(rolled back with them\): see epcis-capture\.rejected\.json/,
    );
    assert.deepEqual(await history(robot), []);
    const rejected = JSON.parse(
      readFileSync(join(dir, 'epcis-capture.rejected.json'), 'utf8'),
    ) as EpcisDocument;
    assert.deepEqual(rejected.epcisBody.eventList, doc.epcisBody.eventList);
    assert.deepEqual(
      (rejected[REJECTED_MEMBER] as { problem: { code: string } }[]).map((n) => n.problem.code),
      ['rolled-back', 'epcis-no-lifecycle-meaning'],
    );
  });

  test('a document over the capture limit: refused with rollback, sent in parts with proceed', async () => {
    const robot = c.robots[4]!;
    const eventTime = new Date(Date.now() - 3_600_000).toISOString();
    const many = Array.from({ length: 10_000 }, (_, i) =>
      objectEvent(`${SGTIN}${i}`, 'commissioning', { eventTime }),
    );
    const file = join(dir, 'large.json');
    writeFileSync(file, JSON.stringify(documentOf([...many, objectEvent(epc(robot), 'commissioning')])));
    const refused = await runCli(['epcis', 'capture', file], r.as(c.maker.key));
    expectExit(refused, 2);
    assert.match(
      refused.stderr,
      /has 10,001 events; the registry takes at most 10,000 events and 32 MiB a capture/,
    );
    assert.match(refused.stderr, /add --error-behaviour proceed to send it as 2 captures/);
    assert.deepEqual(await history(robot), []);

    const parts = await runCli(
      ['--json', 'epcis', 'capture', file, '--error-behaviour', 'proceed'],
      r.as(c.maker.key),
    );
    expectExit(parts, 1);
    assert.match(parts.stderr, /sending it as 2 captures of consecutive events, in order/);
    const summary = JSON.parse(parts.stdout);
    assert.equal(summary.captureIDs.length, 2);
    assert.deepEqual([summary.accepted, summary.rejected], [1, 10_000]);
    assert.deepEqual(await history(robot), ['manufactured']);
  });

  test('an answer lost on the way is asked for again', async () => {
    const robot = c.robots[5]!;
    const file = join(dir, 'one.json');
    writeFileSync(file, JSON.stringify(documentOf([objectEvent(epc(robot), 'commissioning')])));
    const proxy = await answerDroppingProxy(Number(new URL(r.url).port));
    try {
      const res = await runCli(['epcis', 'capture', file], { ...r.as(c.maker.key), ROBOTID_URL: proxy.url });
      expectExit(res, 0);
      assert.match(res.stderr, /asking for the capture limits again/);
      assert.match(res.stdout, /^ {2}accepted {4}1$/m);
      assert.ok(proxy.connections() >= 2);
    } finally {
      await proxy.close();
    }
    assert.deepEqual(await history(robot), ['manufactured']);
  });

  test('a document that is not EPCIS: refused with each fault by its pointer, exit code 2', async () => {
    const { creationDate: _, ...doc } = documentOf([
      { type: 'ObjectEvent', action: 'ADD', epcList: [SGTIN] },
    ]);
    const file = join(dir, 'invalid.json');
    writeFileSync(file, JSON.stringify(doc));
    const res = await runCli(['epcis', 'capture', file], r.as(c.maker.key));
    expectExit(res, 2);
    assert.match(res.stderr, /^error: not a valid EPCIS 2\.0 document/m);
    assert.match(res.stderr, /^ {2}\/creationDate: /m);
  });

  test('epcis events: a robot by its EPC, a query with a limit, a bad time named by its option', async () => {
    const a = c.robots[0]!;
    const one = await runCli(['--json', 'epcis', 'events', '--epc', epc(a)], r.as(c.maker.key));
    expectExit(one, 0);
    const doc = JSON.parse(one.stdout);
    assert.equal(doc.type, 'EPCISQueryDocument');
    const events = doc.epcisBody.queryResults.resultsBody.eventList;
    assert.deepEqual(
      events.map((e: { bizStep: string }) => e.bizStep).filter((s: string) => /commissioning/.test(s)).length,
      1,
    );

    const table = await runCli(
      ['epcis', 'events', '--type', 'ObjectEvent', '--biz-step', 'commissioning', '--limit', '2'],
      r.as(c.maker.key),
    );
    expectExit(table, 0);
    const rows = table.stdout.trim().split('\n');
    assert.match(rows[0]!, /^time +type +action +bizStep +disposition +what$/);
    assert.equal(rows.length, 3);
    assert.match(rows[1]!, /ObjectEvent +ADD +commissioning +active +CN/);
    assert.match(table.stderr, /more events: raise --limit, or add --all/);

    const bad = await runCli(['epcis', 'events', '--since', 'yesterday'], r.as(c.maker.key));
    expectExit(bad, 2);
    assert.match(bad.stderr, /--since/);
  });
});
