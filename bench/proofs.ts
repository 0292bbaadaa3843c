/**
 * Proof figures on the registry the capture bench filled: inclusion proofs for random leaves in-process, and a
 * 100-event robot's offline bundle verified in-process and by the `robotid verify` command.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../src/app/context.js';
import { inclusionProofAt } from '../src/app/log/tree.js';
import { verifyBundle } from '../src/log/bundle.js';
import { parseVerifierKey } from '../src/log/note.js';
import { summarise } from './stats.js';

interface Registry {
  ctx: AppContext;
  key: string;
  call: (method: string, path: string, key: string, body?: unknown) => Promise<Record<string, unknown>>;
  issue: (count: number) => Promise<string[]>;
  dataDir: string;
}

const ms = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

/** p50/p99 of an inclusion proof (tiles read, hashes computed) for random leaves against the whole tree. */
async function proofLatencies(ctx: AppContext, samples: number) {
  const size = await ctx.store.read((r) => r.logSize());
  const millis: number[] = [];
  for (let i = 0; i < samples; i++) {
    const index = Math.floor(Math.random() * size);
    const started = process.hrtime.bigint();
    await ctx.store.read((r) => inclusionProofAt(r, index, size));
    millis.push(ms(started));
  }
  return { treeSize: size, ...summarise(millis.slice(100)) };
}

/** A robot with 100 events: manufactured, then 99 maintenance reports by its maker (who still holds it). */
async function robotWith100Events({ key, call, issue }: Registry): Promise<string> {
  const [robotId] = await issue(1);
  const at = (i: number) => new Date(Date.now() - 3_600_000 + i * 1000).toISOString();
  const events = [
    {
      type: 'manufactured',
      robotId,
      eventTime: at(0),
      payload: { productionDate: at(0).slice(0, 10), components: [], software: [] },
    },
    ...Array.from({ length: 99 }, (_, i) => ({
      type: 'serviced',
      robotId,
      eventTime: at(i + 1),
      payload: { kind: 'maintenance', description: `inspection ${i + 1}` },
    })),
  ];
  await call('POST', '/v1/events', key, { events });
  return robotId!;
}

export async function benchProofs(registry: Registry) {
  const inclusionInProcess = await proofLatencies(registry.ctx, 2100);
  const robotId = await robotWith100Events(registry);
  const bundle = JSON.stringify(
    await registry.call('GET', `/v1/robots/${robotId}/proof-bundle`, registry.key),
  );
  const file = join(registry.dataDir, 'bundle.json');
  writeFileSync(file, bundle);
  const logKey = registry.ctx.log.verifierKey;
  const verifier = parseVerifierKey(logKey);
  const inProcess: number[] = [];
  for (let i = 0; i < 50; i++) {
    const started = process.hrtime.bigint();
    if (!verifyBundle(bundle, verifier).ok) throw new Error('the bench bundle does not verify');
    inProcess.push(ms(started));
  }
  // The command as a user runs it: a new process (compiled CLI), so Node's own start-up is part of it.
  const run = (args: string[]) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${args.join(' ')}: exit ${result.status} ${result.stderr}`);
    return ms(started);
  };
  const command = Array.from({ length: 10 }, () =>
    run(['bin/robotid.js', 'verify', file, '--log-key', logKey]),
  );
  const nodeAlone = Array.from({ length: 10 }, () => run(['-e', '']));
  return {
    inclusionProofInProcess: inclusionInProcess,
    verifyBundle100Events: {
      inProcess: summarise(inProcess.slice(5)),
      command: summarise(command),
      nodeStartOnly: summarise(nodeAlone),
    },
  };
}
