// The console in Chromium (bench/console.ts) alone, without the rest of `npm run bench`: on SQLite and on
// PostgreSQL (the tests' database), printed and written with the machine's description to
// bench/results/<time>-<host>-console.json:
//   npm run bench:console -- [robots=10000] [runs=5]
import { benchConsole, describeConsole } from './console.js';
import { describeMachine } from './machine.js';
import { writeResults } from './results.js';

const [robots = '10000', runs = '5'] = process.argv.slice(2);
const machine = describeMachine();
console.log(
  `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`,
);
const figures = {
  consoleSqlite: await benchConsole({ robots: Number(robots), runs: Number(runs) }),
  consolePostgres: await benchConsole({ robots: Number(robots), runs: Number(runs), postgres: true }),
};
for (const f of Object.values(figures)) for (const text of describeConsole(f)) console.log(text);
console.log(`written to ${writeResults(figures, '-console')}`);
