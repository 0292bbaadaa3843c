// Writes openapi.json from the route schemas (the same ones that validate requests).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/main/config.js';
import { buildServer } from '../src/edges/http/server.js';
import { openContext } from '../src/main/runtime.js';

const dataDir = mkdtempSync(join(tmpdir(), 'robotid-openapi-'));
const ctx = await openContext(loadConfig({ dataDir, publicBaseUrl: 'http://localhost:8080' }, {}));
const app = await buildServer(ctx);
writeFileSync('openapi.json', `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
await ctx.store.close();
rmSync(dataDir, { recursive: true, force: true });
console.log('wrote openapi.json');
