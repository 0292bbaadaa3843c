// The benchmarks measure the registry as `npm start` runs it: the JavaScript tsc compiled into dist/ (npm run build),
// not the TypeScript sources as tsx transpiles them on the fly (tsx wraps every function it creates to keep its
// name: a cost production does not pay). Registered after tsx (`--import tsx --import ./bench/compiled.mjs`): the
// bench's own files stay TypeScript, and every module of src/ they import, directly or not, is its dist/ twin.
import { register } from 'node:module';

register('./compiled-hooks.mjs', import.meta.url);
// Written with the results (bench/results.ts), so that a figure says which code it measured.
process.env.ROBOTID_BENCH_CODE = 'dist (compiled by tsc, as npm start runs it)';
