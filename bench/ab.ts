// `npm run bench:ab -- --baseline <checkout> [--events N] [--pairs P] [--store sqlite|postgres|both]`: capture
// throughput, then history and component-lot p99, of a baseline checkout (A: e.g. `git worktree add ../base <commit>`
// with node_modules) against this one (B), in turns A B A B… in one run, so a drift of the machine's speed hits both
// alike. Each pair gives a ratio B/A; the medians of the figures and of the ratios are written to bench/results/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine } from './machine.js';
import { startPgServer } from '../test/support/pg-server.js';

const { values } = parseArgs({
  options: {
    baseline: { type: 'string' },
    events: { type: 'string', default: '200000' },
    pairs: { type: 'string', default: '3' },
    store: { type: 'string', default: 'both' },
  },
});
if (!values.baseline) throw new Error('--baseline <checkout> is required');
const sides = { A: resolve(values.baseline), B: resolve('.') };
const stores = values.store === 'both' ? ['sqlite', 'postgres'] : [values.store!];
const pairs = Number(values.pairs);

interface Run {
  overallEventsPerSecond: number;
  historyHttp: { roundTrip: { p99Ms: number; medianMs: number }; server: { p99Ms: number } | null };
  componentLotHttp: { roundTrip: { p99Ms: number; medianMs: number }; server: { p99Ms: number } | null };
}

function runOnce(root: string, postgres?: string): Run {
  const args = ['--max-semi-space-size=256', '--import', 'tsx', 'bench/ab-one.ts', '--root', root];
  args.push('--events', values.events!, ...(postgres ? ['--postgres', postgres] : []));
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 900_000 });
  const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`run of ${root} failed:\n${child.stdout}\n${child.stderr}`);
  return JSON.parse(line.slice('RESULT '.length)) as Run;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const figuresOf = (r: Run) => ({
  eventsPerSecond: r.overallEventsPerSecond,
  historyP99Ms: r.historyHttp.server?.p99Ms ?? NaN,
  historyRoundTripP99Ms: r.historyHttp.roundTrip.p99Ms,
  lotP99Ms: r.componentLotHttp.server?.p99Ms ?? NaN,
  lotRoundTripP99Ms: r.componentLotHttp.roundTrip.p99Ms,
});
type Figures = ReturnType<typeof figuresOf>;

const pgServer = stores.includes('postgres') ? await startPgServer({ durable: true }) : null;
const report: Record<string, unknown> = { machine: describeMachine(), sides, events: Number(values.events) };
try {
  for (const store of stores) {
    const runs: { A: Figures; B: Figures }[] = [];
    for (let i = 0; i < pairs; i++) {
      const pair = {} as { A: Figures; B: Figures };
      for (const side of ['A', 'B'] as const) {
        pair[side] = figuresOf(runOnce(sides[side], store === 'postgres' ? pgServer!.url : undefined));
        console.log(`${store} pair ${i + 1} ${side}: ${JSON.stringify(pair[side])}`);
      }
      runs.push(pair);
    }
    const keys = Object.keys(runs[0]!.A) as (keyof Figures)[];
    const summary = Object.fromEntries(
      keys.map((k) => [
        k,
        {
          A: median(runs.map((r) => r.A[k])),
          B: median(runs.map((r) => r.B[k])),
          ratioBtoA: Math.round(median(runs.map((r) => r.B[k] / r.A[k])) * 1000) / 1000,
        },
      ]),
    );
    console.log(`${store}: ${JSON.stringify(summary, null, 1)}`);
    report[store] = { runs, summary };
  }
} finally {
  await pgServer?.stop();
}
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${new Date().toISOString().replace(/[:.]/g, '-')}-ab.json`;
writeFileSync(file, JSON.stringify(report, null, 2));
console.log(`written to ${file}`);
