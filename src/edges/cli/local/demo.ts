/** `robotid demo`: fills this machine's registry with a demo population (src/demo), through the use cases. */
import { InvalidArgumentError, type Command } from 'commander';
import { DomainError } from '../../../domain/errors.js';
import type { DemoOutcome } from '../../../demo/outcome.js';
import type { DemoProgress } from '../../../demo/run.js';
import { CliContext } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { err, out, printJson, table } from '../output.js';
import { positiveInteger } from '../parsers.js';
import type { LocalRegistry } from './registry.js';
import { LOG_ORIGIN_HELP, PUBLIC_URL_HELP, publicSettings } from './serve.js';

interface DemoOptions {
  dataDir?: string;
  robots: number;
  seed: number;
  force?: boolean;
  publicUrl?: string;
  logOrigin?: string;
}

function seedOption(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || n > 0xffffffff)
    throw new InvalidArgumentError('expected a whole number 0..4294967295.');
  return n;
}

const count = (n: number) => n.toLocaleString('en-US');

function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function registerDemo(program: Command, local: LocalRegistry) {
  program
    .command('demo')
    .description(
      'fill a registry data directory with a realistic demo population: organisations with keys, models and ' +
        'robots at every stage of life, written directly (no server needed)',
    )
    .option('--data-dir <dir>', 'the registry data directory (default: $ROBOTID_DATA_DIR, else ./data)')
    .option('--robots <n>', 'how many robot IDs to issue', positiveInteger, 100_000)
    .option('--seed <n>', 'the random seed: the same seed gives the same registry', seedOption, 1)
    .option('--force', 'add the demo population even though the registry holds organisations already')
    .option('--public-url <url>', PUBLIC_URL_HELP)
    .option('--log-origin <origin>', LOG_ORIGIN_HELP)
    .action(async (opts: DemoOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const [data, { runDemo, DemoGeneratorError, DEMO_REFUSAL_CODE }] = await Promise.all([
        local.dataDirectory(opts.dataDir, publicSettings(opts)),
        import('../../../demo/run.js'),
      ]);
      const { dataDir } = data;
      const app = await data.start();
      err(`Filling ${dataDir} with a demo registry: ${count(opts.robots)} robots, seed ${opts.seed}.`);
      let outcome: DemoOutcome;
      try {
        outcome = await runDemo(app, {
          robots: opts.robots,
          seed: opts.seed,
          force: opts.force === true,
          onProgress: progressPrinter(),
        });
      } catch (error) {
        if (error instanceof DomainError && error.code === DEMO_REFUSAL_CODE)
          throw new CliError(ExitCode.conflict, error.message, [`data directory: ${dataDir}`]);
        if (error instanceof DemoGeneratorError)
          throw new CliError(ExitCode.unavailable, error.message, error.details);
        throw error;
      } finally {
        if (process.stderr.isTTY) err('');
        await app.close();
      }
      const { robotIds: _ids, ...summary } = outcome;
      const reached = { publicUrl: app.publicBaseUrl, logOrigin: app.log.origin };
      if (ctx.json) return printJson({ dataDir, ...reached, ...summary });
      out(describe(outcome, dataDir, { ...reached, flags: serveFlags(opts) }));
    });
}

/** One line every few seconds; on a terminal, the same line rewritten. */
function progressPrinter() {
  let last = 0;
  return (p: DemoProgress) => {
    const line = `  week of ${p.week}: ${count(p.robots)} robots built, ${count(p.events)} events, ${count(p.eventsPerSecond)} events/s`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}\x1b[K`);
    else if (Date.now() - last >= 10_000) {
      last = Date.now();
      err(line);
    }
  };
}

/** The `serve` flags that start the registry as the demo saw it (its public URL and log name). */
const serveFlags = (opts: DemoOptions) =>
  (opts.publicUrl === undefined ? '' : ` --public-url ${opts.publicUrl}`) +
  (opts.logOrigin === undefined ? '' : ` --log-origin ${opts.logOrigin}`);

function describe(
  o: DemoOutcome,
  dataDir: string,
  at: { publicUrl: string; logOrigin: string; flags: string },
): string {
  const orgs = o.organisations;
  const key = (kind: string) => o.keys.find((k) => k.kind === kind)?.token ?? '<key>';
  const lines = [
    `Demo registry ready in ${dataDir}: ${duration(o.seconds)}, ${count(o.events)} events at ${count(o.eventsPerSecond)} events/s.`,
    '',
    `Public URL     ${at.publicUrl} (QR labels, passports); log origin ${at.logOrigin}`,
    `Period         ${o.period.from.slice(0, 10)} to ${o.period.to.slice(0, 10)} (reported week by week; the registry's clock stopped at ${o.period.to})`,
    `Organisations  ${orgs.manufacturer} manufacturers, ${orgs.certifier} certifiers, ${orgs.distributor + orgs.seller} sellers, ` +
      `${orgs.service_provider} service providers, ${orgs.operator} operators, ${orgs.recycler} recyclers, ${orgs.regulator} regulators`,
    `Models         ${o.models}; IDs issued in ${count(o.issuances)} blocks`,
    `Service        ${count(o.grants)} service authorisations to contractors`,
    `Reporting      ${count(o.batches)} batches, week by week; ${count(o.late)} events reported after their deadline (late)`,
    '',
    table(
      ['state', 'robots'],
      [...Object.entries(o.byState).map(([s, n]) => [s, count(n)]), ['total', count(o.robots)]],
    ),
    '',
    table(
      ['event', 'count'],
      [...Object.entries(o.byType).map(([t, n]) => [t, count(n ?? 0)]), ['total', count(o.events)]],
    ),
    '',
    'API keys (shown once; every organisation has one):',
    table(
      ['role', 'organisation', 'key'],
      o.keys.map((k) => [k.kind, k.orgId ? `${k.name} (${k.orgId})` : k.name, k.token]),
    ),
    '',
    'Explore: start the registry on this data, then, in another terminal:',
    `  npx robotid serve --data-dir ${dataDir}${at.flags}`,
    `  export ROBOTID_API_KEY=${key('admin')}`,
    '  export ROBOTID_PURPOSE=inspection    # why you read: searches and regulators must say (docs/access.md)',
    ...o.examples.map((e) => `  npx robotid robot show ${e.id}    # ${e.what}`),
    `  npx robotid robot find --lot ${o.busyLot.lot}    # ${o.busyLot.robots} robots carry actuators from this lot`,
    `  npx robotid robot find --lot ${o.recall.lot} --include-removed    # the recalled battery lot (stop-use order ${o.recall.orderNumber}), also where already replaced`,
    ...(o.recall.campaign
      ? [
          `  npx robotid recall progress ${o.recall.campaign}    # the battery recall: affected, remedied week by week`,
        ]
      : []),
    `  npx robotid --key ${key('operator')} robot find --state in_use    # as the largest operator: its robots`,
    `  npx robotid --key ${key('regulator')} robot find --state stolen`,
    `  npx robotid --key ${key('regulator')} incident trends --by lot    # incidents per component lot (docs/incidents.md)`,
    `  npx robotid --key ${key('regulator')} incident list --severity critical`,
  ];
  return lines.join('\n');
}
