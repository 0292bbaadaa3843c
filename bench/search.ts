// Robot search alone (bench/robot-search.ts), without the rest of `npm run bench`:
//   node --import tsx bench/search.ts [robots=100000] [runs=20] [postgres URL]
import { benchRobotSearch, describeRobotSearch } from './robot-search.js';

const [robots = '100000', runs = '20', postgresUrl] = process.argv.slice(2);
const figures = await benchRobotSearch({
  robots: Number(robots),
  runs: Number(runs),
  ...(postgresUrl ? { postgresUrl } : {}),
});
for (const line of describeRobotSearch(figures)) console.log(line);
