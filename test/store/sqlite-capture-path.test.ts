// SQLite runs its own row-by-row versions of the capture path's writes and parts lookup (src/store/sqlite/events.ts)
// in place of those written once (src/store/events/queries.ts, which PostgreSQL runs): on SQLite, both store the same
// rows and answer the same, so either may serve it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Component } from '../../src/domain/lifecycle/events.js';
import type { RobotStatus } from '../../src/domain/lifecycle/status.js';
import * as written from '../../src/store/events/queries.js';
import type { NewEvent } from '../../src/store/events/interface.js';
import { reads as log } from '../../src/store/log/queries.js';
import { Connection } from '../../src/store/sqlite/connection.js';
import * as own from '../../src/store/sqlite/events.js';
import { migrate } from '../../src/store/sqlite/migrations.js';

function database(): Connection {
  const dir = mkdtempSync(join(tmpdir(), 'robotid-capture-path-'));
  const c = Connection.open(join(dir, 'r.sqlite'));
  migrate(c);
  after(() => {
    c.db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return c;
}

const robots = ['CN0001AAAAAAR0000000000000001', 'CN0001AAAAAAR0000000000000002'];
const actuator: Component = {
  kind: 'actuator',
  manufacturer: 'Harmonic Joints',
  partNumber: 'HJ-40',
  serial: 'S1',
  lot: 'L1',
};

const event = (robotId: string, n: number): NewEvent => ({
  robotId,
  eventId: `e${n}`,
  type: 'serviced',
  eventTime: '2026-01-01T00:00:00.000Z',
  recordTime: '2026-01-02T00:00:00.000Z',
  orgId: 'org_1',
  keyId: 'key_1',
  payload: { n },
  contentHash: Buffer.alloc(32, n),
  late: n % 3 === 0,
  salt: Buffer.alloc(16, n),
});

const status = (version: string, certified: boolean): RobotStatus =>
  ({
    state: 'manufactured',
    resumeState: null,
    suspension: null,
    manufacturerId: 'org_1',
    custodianId: 'org_1',
    inTransitTo: null,
    operatorId: null,
    certification: certified ? { result: 'pass', validUntil: null } : null,
    components: [],
    software: [{ target: 'motion_os', version }],
    productionDate: '2026-01-01',
    site: { siteType: 'factory', region: 'CN-31' },
    lastEventTime: '2026-01-01T00:00:00.000Z',
    eventCount: 1,
  }) as RobotStatus;

type Writes = Pick<typeof own.writes, 'insertEvents' | 'putRobotStatuses' | 'putSoftware'>;
type Reads = Pick<typeof written.reads, 'getRobotStatuses' | 'findFittedComponents'>;

/** Two batches (the second replaces what the first stored), then everything they left, as read back. */
async function captureTwice(c: Connection, writes: Required<Writes>, reads: Required<Reads>) {
  const seqs: number[] = [];
  for (const [batch, version] of [
    [0, '1.0.0'],
    [1, '2.0.0'],
  ] as const) {
    const events = Array.from({ length: 20 }, (_, i) => event(robots[i % 2]!, batch * 20 + i + 1));
    seqs.push(...(await writes.insertEvents(c, events)));
    await writes.putRobotStatuses(
      c,
      robots.map((robotId, i) => ({ robotId, status: status(version, i === batch), lastSeq: seqs.at(-1)! })),
    );
    await writes.putSoftware(c, [
      { robotId: robots[0]!, software: status(version, false).software },
      { robotId: robots[1]!, software: batch === 0 ? [] : status(version, false).software },
    ]);
  }
  await own.writes.recordComponentChanges(c, [
    { robotId: robots[1]!, seq: 1, fitted: [actuator], removed: [] },
  ]);
  return {
    seqs,
    events: await log.listEventsBySeq(c, 1, 100),
    logSize: await log.logSize(c),
    tiles: await log.readLogTiles(c, [
      { level: 0, index: 0 },
      { level: 0, index: 2 },
      { level: 1, index: 0 },
    ]),
    statuses: await reads.getRobotStatuses(c, [...robots, 'CN0001AAAAAAR0000000000000009']),
    fitted: await reads.findFittedComponents(c, [
      { partNumber: 'HJ-40', serial: 'S1' },
      { partNumber: 'HJ-40', serial: 'S2' },
    ]),
    statusRows: c.db.prepare('SELECT * FROM robot_status ORDER BY robot_id').all(),
    software: c.db.prepare('SELECT * FROM robot_software ORDER BY robot_id, target').all(),
  };
}

test('sqlite: the capture path written once stores and answers as SQLite’s own row-by-row queries', async () => {
  // SQLite's reads: its own where it has them (the fitted parts'), else those written once, as its store composes them
  const sqliteReads = { ...written.reads, ...own.reads } as unknown as Required<Reads>;
  const ownWay = await captureTwice(database(), own.writes as Required<Writes>, sqliteReads);
  const writtenOnce = await captureTwice(database(), written.writes, written.reads);
  assert.deepEqual(writtenOnce, ownWay);
  // And what both stored is what was written.
  assert.deepEqual(
    ownWay.seqs,
    Array.from({ length: 40 }, (_, i) => i + 1),
  );
  assert.equal(ownWay.logSize, 40);
  assert.deepEqual([...ownWay.tiles.keys()], ['0/0', '0/2', '1/0']);
  assert.deepEqual(
    ownWay.events.filter((e) => e.late).map((e) => e.seq),
    [3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39],
  );
  assert.deepEqual(
    [...ownWay.statuses].map(([id, s]) => [
      id,
      s.software[0]!.version,
      s.certification?.result,
      s.components,
    ]),
    [
      [robots[0], '2.0.0', undefined, []],
      [robots[1], '2.0.0', 'pass', [actuator]],
    ],
  );
  assert.deepEqual([...ownWay.fitted.values()], [robots[1]]);
  assert.equal(ownWay.software.length, 2);
});
