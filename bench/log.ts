/**
 * The log alone: appending leaves to our stored tree (SQLite, a durable commit per batch) against the `hypercore`
 * package (a signed append-only Merkle log) appending the same leaves in the same batches, in the same run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Hypercore from 'hypercore';
import { leafHash } from '../src/log/hash.js';
import { leafText } from '../src/log/leaf.js';
import { Connection } from '../src/store/sqlite/connection.js';
import { appendLeafHashes } from '../src/store/sqlite/log.js';
import { migrate } from '../src/store/sqlite/migrations.js';

/** Leaves as the registry writes them: a commitment and a robot ID. */
function registryLeaves(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    Buffer.from(
      leafText(`CNB1B2B3B1B2B3${String(i).padStart(15, '0')}`, randomBytes(32), { v: 2, prev: i - 1 }),
    ),
  );
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Our tree: each batch hashed, appended and committed (synchronous = FULL, as the registry runs). */
async function appendOurs(leaves: Buffer[], batch: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'robotid-bench-log-'));
  const conn = Connection.open(join(dir, 'log.sqlite'));
  migrate(conn);
  try {
    return await timed(async () => {
      for (let at = 0; at < leaves.length; at += batch) {
        const hashes = Buffer.concat(leaves.slice(at, at + batch).map((l) => leafHash(l)));
        conn.db.transaction(() => appendLeafHashes(conn, hashes)).immediate();
      }
    });
  } finally {
    conn.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** hypercore 11 on disk (RocksDB; it does not fsync appends, so it is not held to our durability). */
async function appendHypercore(leaves: Buffer[], batch: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'robotid-bench-hypercore-'));
  const core = new Hypercore(dir);
  await core.ready();
  try {
    const seconds = await timed(async () => {
      for (let at = 0; at < leaves.length; at += batch) await core.append(leaves.slice(at, at + batch));
    });
    if (core.length !== leaves.length) throw new Error(`hypercore holds ${core.length} leaves`);
    return seconds;
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchLogAppends(options: { leaves: number; batch: number }) {
  const leaves = registryLeaves(options.leaves);
  const rate = (seconds: number) => Math.round(options.leaves / seconds);
  const ours = rate(await appendOurs(leaves, options.batch));
  const hypercore = rate(await appendHypercore(leaves, options.batch));
  const oursBigBatches = rate(await appendOurs(leaves, 10_000));
  return {
    leaves: options.leaves,
    batch: options.batch,
    oursLeavesPerSecond: ours,
    hypercoreLeavesPerSecond: hypercore,
    ratio: Math.round((ours / hypercore) * 100) / 100,
    oursLeavesPerSecondIn10000Batches: oursBigBatches,
  };
}
