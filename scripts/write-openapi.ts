// Writes openapi.json from the route schemas (the same ones that validate requests), then the CLI's client types
// and the console's, generated from it (scripts/openapi-client.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/main/config.js';
import { buildServer } from '../src/edges/http/server.js';
import { openContext } from '../src/main/runtime.js';
import { CLIENT_TYPES_PATH, CONSOLE_TYPES_PATH, clientTypes } from './openapi-client.js';

const dataDir = mkdtempSync(join(tmpdir(), 'robotid-openapi-'));
const ctx = await openContext(loadConfig({ dataDir, publicBaseUrl: 'http://localhost:8080' }, {}));
const app = await buildServer(ctx);
const document = `${JSON.stringify(app.swagger(), null, 2)}\n`;
writeFileSync('openapi.json', document);
await app.close();
await ctx.store.close();
rmSync(dataDir, { recursive: true, force: true });
const types = await clientTypes(document);
for (const path of [CLIENT_TYPES_PATH, CONSOLE_TYPES_PATH]) writeFileSync(path, types);
console.log(`wrote openapi.json, ${CLIENT_TYPES_PATH} and ${CONSOLE_TYPES_PATH}`);
