// npm run fuzz -- --requests N --store sqlite|postgres|both --seed S [--concurrency C] [--only INDEX]
import { parseArgs } from 'node:util';
import { formatReport, fuzz, startTarget, type StoreName } from '../test/fuzz/engine.js';

/** Stops with a usage message (exit 2) naming the option at fault. */
function usage(message: string): never {
  console.error(`npm run fuzz: ${message}`);
  process.exit(2);
}

/** The option's value as a whole number of at least `min`. */
function whole(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min)
    usage(`--${name} must be a whole number of at least ${min}, got "${value}"`);
  return n;
}

/** The options; parseArgs's refusals (an unknown option, a missing value) as usage messages. */
function parseOptions() {
  try {
    return parseArgs({
      options: {
        requests: { type: 'string', default: '5000' },
        store: { type: 'string', default: 'both' },
        seed: { type: 'string', default: String(Date.now() % 1_000_000) },
        concurrency: { type: 'string', default: '8' },
        only: { type: 'string' },
        show: { type: 'string', default: '50' },
      },
    }).values;
  } catch (error) {
    return usage((error as Error).message);
  }
}

const values = parseOptions();

const STORES = { sqlite: ['sqlite'], postgres: ['postgres'], both: ['sqlite', 'postgres'] } as const;
if (!Object.hasOwn(STORES, values.store))
  usage(`--store must be sqlite, postgres or both, got "${values.store}"`);
const stores: readonly StoreName[] = STORES[values.store as keyof typeof STORES];
const seed = whole('seed', values.seed, 0);
const requests = whole('requests', values.requests, 1);
const concurrency = whole('concurrency', values.concurrency, 1);
const only = values.only === undefined ? undefined : whole('only', values.only, 0);
const show = whole('show', values.show, 0);
let failed = false;
for (const store of stores) {
  const target = await startTarget(store);
  try {
    const pools = Object.entries(target.world.pools).map(([name, values]) => `${name} ${values.length}`);
    console.log(`${store}: ${target.spec.operations.length} operations; real values: ${pools.join(', ')}`);
    const report = await fuzz(target, {
      seed,
      requests,
      concurrency,
      ...(only === undefined ? {} : { only }),
    });
    console.log(formatReport(report, show));
    failed ||= report.violations.length > 0;
  } finally {
    await target.close();
  }
}
process.exit(failed ? 1 : 0);
