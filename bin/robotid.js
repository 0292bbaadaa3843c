#!/usr/bin/env node
// The `robotid` command. The TypeScript sources are compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/edges/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('robotid is not built yet: run `npm install` (or `npm run build`) in the repository first.');
  process.exit(2);
}
await import(entry.href);
