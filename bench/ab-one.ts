// One capture run of the checkout at --root (this one or another, e.g. an earlier commit's worktree), for
// bench/ab.ts: imports that checkout's own bench/capture.ts, so each side runs its own code, and prints its figures
// as one JSON line.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { root: { type: 'string' }, events: { type: 'string' }, postgres: { type: 'string' } },
});
const root = resolve(values.root ?? '.');
const { benchCapture } = (await import(pathToFileURL(join(root, 'bench/capture.ts')).href)) as {
  benchCapture: (o: object) => Promise<Record<string, unknown>>;
};
const events = Number(values.events ?? 200_000);
const figures = await benchCapture({
  events,
  every: events,
  inFlight: 2,
  withoutLog: false,
  ...(values.postgres ? { postgresUrl: values.postgres } : {}),
});
const { overallEventsPerSecond, historyHttp, componentLotHttp, cpuMicrosPerEvent } = figures;
process.stdout.write(
  `\nRESULT ${JSON.stringify({ overallEventsPerSecond, historyHttp, componentLotHttp, cpuMicrosPerEvent })}\n`,
);
process.exit(0);
