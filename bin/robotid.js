#!/usr/bin/env -S node --max-semi-space-size=256
// The flag: a young generation that holds a few 10,000-event batches, so that they die young instead of being
// copied at every scavenge (the capture benchmark spends a third less CPU). npm scripts pass it too.
// The `robotid` command. The TypeScript sources are compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('robotid is not built yet: run `npm install` (or `npm run build`) in the repository first.');
  process.exit(2);
}
await import(entry.href);
