// npm run fuzz -- --requests N --store sqlite|postgres|both --seed S [--concurrency C] [--only INDEX]
import { parseArgs } from 'node:util';
import { formatReport, fuzz, startTarget, type StoreName } from '../test/fuzz/engine.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '5000' },
    store: { type: 'string', default: 'both' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    concurrency: { type: 'string', default: '8' },
    only: { type: 'string' },
    show: { type: 'string', default: '50' },
  },
});
const stores: StoreName[] = values.store === 'both' ? ['sqlite', 'postgres'] : [values.store as StoreName];
let failed = false;
for (const store of stores) {
  const target = await startTarget(store);
  try {
    const pools = Object.entries(target.world.pools).map(([name, values]) => `${name} ${values.length}`);
    console.log(`${store}: ${target.spec.operations.length} operations; real values: ${pools.join(', ')}`);
    const report = await fuzz(target, {
      seed: Number(values.seed),
      requests: Number(values.requests),
      concurrency: Number(values.concurrency),
      ...(values.only === undefined ? {} : { only: Number(values.only) }),
    });
    console.log(formatReport(report, Number(values.show)));
    failed ||= report.violations.length > 0;
  } finally {
    await target.close();
  }
}
process.exit(failed ? 1 : 0);
