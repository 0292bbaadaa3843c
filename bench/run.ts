// `npm run bench`: prints the figures and writes them, with the machine's description, to bench/results/.
import { benchCapture } from './capture.js';
import { benchLogAppends } from './log.js';
import { benchCheckCharacters, benchIssuance } from './issuance.js';
import { benchHttpFloor } from './floor.js';
import { describeMachine } from './machine.js';
import { writeResults } from './results.js';
import { benchSmallCaptures } from './small-captures.js';
import { benchEpcisCapture, describeEpcisCapture } from './epcis-capture.js';
import { benchProcesses } from './processes.js';
import { benchRecalls } from './recalls.js';
import { benchConsole, describeConsole } from './console.js';
import { benchRobotSearch, describeRobotSearch } from './robot-search.js';
import { startPgServer } from '../test/support/pg-server.js';

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

// PostgreSQL: a private cluster set up as production would be (durable commits; see test/support/pg-server.ts),
// unless BENCH_DATABASE_URL names a server to use instead.
const pgServer = process.env.BENCH_DATABASE_URL ? null : await startPgServer({ durable: true });
const postgresUrl = process.env.BENCH_DATABASE_URL ?? pgServer!.url;
const processEvents = Number(process.env.BENCH_PROCESS_EVENTS ?? Math.min(captureEvents, 1_000_000));
const every = Math.max(50_000, captureEvents / 20);
// Recalls: a campaign on one lot across BENCH_RECALL_ROBOTS robots, a tenth of them affected.
const recallRobots = Number(process.env.BENCH_RECALL_ROBOTS ?? 1_000_000);
const recall = (postgres?: string) =>
  benchRecalls({
    robots: recallRobots,
    affected: recallRobots / 10,
    ...(postgres ? { postgresUrl: postgres } : {}),
  });

// Robot search: the demo's population (robotid demo makes 100,000 robots by default).
const searchRobots = Number(process.env.BENCH_SEARCH_ROBOTS ?? 100_000);
const consoleRobots = Number(process.env.BENCH_CONSOLE_ROBOTS ?? 10_000);

const figures = {
  httpFloor: await benchHttpFloor(),
  logAppends: await benchLogAppends({ leaves: 200_000, batch: 100 }),
  captureWithoutLog: (await compare(true)).overallEventsPerSecond,
  captureWithLog: (await compare(false)).overallEventsPerSecond,
  checkCharacters: await benchCheckCharacters(),
  issuanceHttpSqlite: await benchIssuance(),
  smallCapturesHttpSqlite: await benchSmallCaptures(),
  epcisCaptureHttpSqlite: await benchEpcisCapture({ rounds: Number(process.env.BENCH_EPCIS_ROUNDS ?? 5) }),
  captureHttpSqlite: await benchCapture({
    events: captureEvents,
    every,
    inFlight: Number(process.env.BENCH_IN_FLIGHT ?? 2),
  }),
  captureHttpPostgres: await benchCapture({ events: captureEvents, every, inFlight: 2, postgresUrl }),
  recallsHttpSqlite: await recall(),
  recallsHttpPostgres: await recall(postgresUrl),
  postgresProcesses: [
    await benchProcesses({ postgresUrl, processes: 1, events: processEvents }),
    await benchProcesses({ postgresUrl, processes: 2, events: processEvents }),
  ],
  // Robot search over the demo population, as the console pages it (bench/robot-search.ts).
  robotSearchSqlite: await benchRobotSearch({ robots: searchRobots }),
  robotSearchPostgres: await benchRobotSearch({ robots: searchRobots, postgresUrl }),
  // The console in Chromium, when this build serves one (bench/console.ts; PostgreSQL: the tests' database).
  consoleSqlite: await benchConsole({ robots: consoleRobots }),
  consolePostgres: await benchConsole({ robots: consoleRobots, postgres: true }),
  postgresServer: pgServer
    ? 'private cluster, durable settings (test/support/pg-server.ts)'
    : 'BENCH_DATABASE_URL',
};
await pgServer?.stop();

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
console.log(describeEpcisCapture(figures.epcisCaptureHttpSqlite));
const ms = (f: { medianMs: number; p99Ms: number }) =>
  `median ${f.medianMs.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms`;
const timed = (f: {
  roundTrip: { medianMs: number; p99Ms: number };
  server: { medianMs: number; p99Ms: number } | null;
}) => `round trip ${ms(f.roundTrip)}; in the registry (Server-Timing) ${f.server ? ms(f.server) : 'n/a'}`;
type Capture = typeof figures.captureHttpSqlite;
function printCapture(store: string, capture: Capture) {
  console.log(
    `POST /v1/events, 10,000 a batch (HTTP, ${store}): ${capture.overallEventsPerSecond} events/s overall, 0 to ${capture.events} events`,
  );
  console.log(
    `  CPU per event, this process's threads: ${capture.cpuMicrosPerEvent.user} µs user + ${capture.cpuMicrosPerEvent.system} µs system; ${capture.bytesPerEvent} bytes stored per event`,
  );
  const threads = capture.threadsCpuMicrosPerEvent;
  console.log(
    `  by thread (µs an event): HTTP thread ${threads.main}; the others, busiest first (writer, GC helpers, load generator, checkpoints): ${threads.others.join(', ')}`,
  );
  console.log(
    `  curve (events: events/s): ${capture.curve.map((p) => `${p.events}: ${p.eventsPerSecond}`).join(', ')}`,
  );
  console.log(`  GET /v1/robots/{id}/events at ${capture.events} events: ${timed(capture.historyHttp)}`);
  console.log(
    `  GET /v1/robots?componentLot= (50 robots) at ${capture.events} events: ${timed(capture.componentLotHttp)}`,
  );
}
printCapture('SQLite', figures.captureHttpSqlite);
printCapture('PostgreSQL', figures.captureHttpPostgres);
const [sqlite, postgres] = [figures.captureHttpSqlite, figures.captureHttpPostgres];
const ratio = (a: number, b: number) => (a / b).toFixed(2);
const p99 = (f: Capture['historyHttp']) => f.server?.p99Ms ?? f.roundTrip.p99Ms;
console.log(
  `PostgreSQL / SQLite: capture ${ratio(postgres.overallEventsPerSecond, sqlite.overallEventsPerSecond)}×, ` +
    `history p99 ${ratio(p99(postgres.historyHttp), p99(sqlite.historyHttp))}×, ` +
    `component-lot p99 ${ratio(p99(postgres.componentLotHttp), p99(sqlite.componentLotHttp))}× (in the registry)`,
);
const [one, two] = figures.postgresProcesses;
console.log(
  `PostgreSQL, ${one!.events} events: 1 registry process ${one!.eventsPerSecond} events/s, 2 processes ${two!.eventsPerSecond} events/s (${ratio(two!.eventsPerSecond, one!.eventsPerSecond)}×)`,
);
for (const [store, r] of [
  ['SQLite', figures.recallsHttpSqlite],
  ['PostgreSQL', figures.recallsHttpPostgres],
] as const) {
  const scans = r.scansMeanwhile ? `; GET /r/{id} meanwhile: ${ms(r.scansMeanwhile)}` : '';
  console.log(
    `recall on one lot, ${r.robots} robots (${store}): affected set of ${r.affected} (${r.fittedInService} fitted in service) ready in ${r.affectedSetSeconds} s${scans}; ${r.remedied} remedies (serviced events over HTTP) recorded in ${r.remediesSeconds} s`,
  );
}
console.log(`GET / of a bare Node.js HTTP server (this machine's floor): ${ms(figures.httpFloor)}`);
const log = figures.logAppends;
console.log(
  `log appends, ${log.leaves} leaves in batches of ${log.batch}: ours ${log.oursLeavesPerSecond}/s (SQLite, fsync per batch), ` +
    `hypercore ${log.hypercoreLeavesPerSecond}/s: ratio ${log.ratio}; ours in batches of 10,000: ${log.oursLeavesPerSecondIn10000Batches}/s`,
);
console.log(
  `capture 0 to ${compareEvents} events: ${figures.captureWithLog} events/s with the log, ${figures.captureWithoutLog} without`,
);
if (sqlite.inclusionProofInProcess) {
  const v = sqlite.verifyBundle100Events!;
  console.log(
    `inclusion proof at ${sqlite.inclusionProofInProcess.treeSize} leaves, in process: ${ms(sqlite.inclusionProofInProcess)}`,
  );
  console.log(
    `verify a 100-event bundle: in process ${ms(v.inProcess)}; robotid verify command ${ms(v.command)} (node alone starts in ${ms(v.nodeStartOnly)})`,
  );
}
for (const f of [figures.robotSearchSqlite, figures.robotSearchPostgres])
  for (const text of describeRobotSearch(f)) console.log(text);
for (const f of [figures.consoleSqlite, figures.consolePostgres])
  for (const text of describeConsole(f)) console.log(text);

console.log(`written to ${writeResults(figures)}`);
