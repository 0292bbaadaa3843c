// EPCIS capture beside native capture (bench/epcis-capture.ts) alone, without the rest of `npm run bench`,
// printed and written with the machine's description to bench/results/<time>-<host>-epcis.json:
//   npm run bench:epcis -- [events=10000] [rounds=5] [warmup=1] (warm-up rounds are reported apart)
import { benchEpcisCapture, describeEpcisCapture } from './epcis-capture.js';
import { describeMachine } from './machine.js';
import { writeResults } from './results.js';

const [events = '10000', rounds = '5', warmup = '1'] = process.argv.slice(2);
const machine = describeMachine();
console.log(
  `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`,
);
const figures = {
  epcisCaptureHttpSqlite: await benchEpcisCapture({
    events: Number(events),
    rounds: Number(rounds),
    warmup: Number(warmup),
  }),
};
console.log(describeEpcisCapture(figures.epcisCaptureHttpSqlite));
console.log(`written to ${writeResults(figures, '-epcis')}`);
