// EPCIS capture beside native capture (bench/epcis-capture.ts) alone, without the rest of `npm run bench`,
// printed and written with the machine's description to bench/results/<time>-<host>-epcis.json:
//   npm run bench:epcis -- [events=10000] [rounds=3]
import { benchEpcisCapture, describeEpcisCapture } from './epcis-capture.js';
import { describeMachine } from './machine.js';
import { writeResults } from './results.js';

const [events = '10000', rounds = '3'] = process.argv.slice(2);
const machine = describeMachine();
console.log(
  `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`,
);
const figures = {
  epcisCaptureHttpSqlite: await benchEpcisCapture({ events: Number(events), rounds: Number(rounds) }),
};
console.log(describeEpcisCapture(figures.epcisCaptureHttpSqlite));
console.log(`written to ${writeResults(figures, '-epcis')}`);
