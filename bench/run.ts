// `npm run bench`: prints the figures and writes them, with the machine's description, to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchCapture } from './capture.js';
import { benchLogAppends } from './log.js';
import { benchCheckCharacters, benchIssuance } from './issuance.js';
import { benchHttpFloor } from './floor.js';
import { describeMachine } from './machine.js';
import { benchSmallCaptures } from './small-captures.js';

const machine = describeMachine();
console.log(
  `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, SQLite ${machine.sqlite}`,
);

// BENCH_EVENTS=200000 npm run bench for a quick look; the issue's figure is at 5 million events.
const captureEvents = Number(process.env.BENCH_EVENTS ?? 5_000_000);

// The log's cost in the capture pipeline: the same capture with and without it, at this size.
const compareEvents = Number(process.env.BENCH_COMPARE_EVENTS ?? 1_000_000);
const compare = (withoutLog: boolean) =>
  benchCapture({ events: compareEvents, every: compareEvents, inFlight: 2, withoutLog });

const figures = {
  httpFloor: await benchHttpFloor(),
  logAppends: await benchLogAppends({ leaves: 200_000, batch: 100 }),
  captureWithoutLog: (await compare(true)).overallEventsPerSecond,
  captureWithLog: (await compare(false)).overallEventsPerSecond,
  checkCharacters: await benchCheckCharacters(),
  issuanceHttpSqlite: await benchIssuance(),
  smallCapturesHttpSqlite: await benchSmallCaptures(),
  captureHttpSqlite: await benchCapture({
    events: captureEvents,
    every: Math.max(50_000, captureEvents / 20),
    inFlight: Number(process.env.BENCH_IN_FLIGHT ?? 2),
  }),
};

const line = (
  name: string,
  f: { idsPerSecondMedian: number; medianMs: number; minMs: number; maxMs: number; runs: number },
) =>
  console.log(
    `${name.padEnd(40)} ${String(f.idsPerSecondMedian).padStart(10)} IDs/s  (median ${f.medianMs.toFixed(1)} ms, min ${f.minMs.toFixed(1)}, max ${f.maxMs.toFixed(1)}, ${f.runs} runs)`,
  );
line('check characters, in process', figures.checkCharacters);
for (const [name, f] of Object.entries(figures.issuanceHttpSqlite))
  line(`POST /v1/ids ${name} (HTTP, SQLite)`, f as never);
const small = figures.smallCapturesHttpSqlite;
console.log(
  `POST /v1/events, 1 event a request, ${small.concurrent} in flight (HTTP, SQLite): ${small.requestsPerSecond} requests/s`,
);
const capture = figures.captureHttpSqlite;
const ms = (f: { medianMs: number; p99Ms: number }) =>
  `median ${f.medianMs.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms`;
console.log(
  `POST /v1/events, 10,000 a batch (HTTP, SQLite): ${capture.overallEventsPerSecond} events/s overall, 0 to ${capture.events} events`,
);
console.log(
  `  CPU per event, all threads: ${capture.cpuMicrosPerEvent.user} µs user + ${capture.cpuMicrosPerEvent.system} µs system`,
);
console.log(
  `  curve (events: events/s): ${capture.curve.map((p) => `${p.events}: ${p.eventsPerSecond}`).join(', ')}`,
);
const timed = (f: {
  roundTrip: { medianMs: number; p99Ms: number };
  server: { medianMs: number; p99Ms: number } | null;
}) => `round trip ${ms(f.roundTrip)}; in the registry (Server-Timing) ${f.server ? ms(f.server) : 'n/a'}`;
console.log(`GET / of a bare Node.js HTTP server (this machine's floor): ${ms(figures.httpFloor)}`);
const log = figures.logAppends;
console.log(
  `log appends, ${log.leaves} leaves in batches of ${log.batch}: ours ${log.oursLeavesPerSecond}/s (SQLite, fsync per batch), ` +
    `hypercore ${log.hypercoreLeavesPerSecond}/s: ratio ${log.ratio}; ours in batches of 10,000: ${log.oursLeavesPerSecondIn10000Batches}/s`,
);
console.log(
  `capture 0 to ${compareEvents} events: ${figures.captureWithLog} events/s with the log, ${figures.captureWithoutLog} without`,
);
if (capture.inclusionProofInProcess) {
  const v = capture.verifyBundle100Events!;
  console.log(
    `inclusion proof at ${capture.inclusionProofInProcess.treeSize} leaves, in process: ${ms(capture.inclusionProofInProcess)}`,
  );
  console.log(
    `verify a 100-event bundle: in process ${ms(v.inProcess)}; robotid verify command ${ms(v.command)} (node alone starts in ${ms(v.nodeStartOnly)})`,
  );
}
console.log(`GET /v1/robots/{id}/events at ${capture.events} events: ${timed(capture.historyHttp)}`);
console.log(
  `GET /v1/robots?componentLot= (50 robots) at ${capture.events} events: ${timed(capture.componentLotHttp)}`,
);

const at = new Date().toISOString();
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${at.replace(/[:.]/g, '-')}-${machine.host}.json`;
writeFileSync(file, `${JSON.stringify({ at, machine, figures }, null, 2)}\n`);
console.log(`written to ${file}`);
