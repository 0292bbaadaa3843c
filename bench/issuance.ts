import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initAdministrator } from '../src/app/organisations.js';
import { loadConfig } from '../src/config.js';
import { printedFromValidCanonical } from '../src/domain/id/index.js';
import { creditCodeCheckCharacter } from '../src/domain/org/credit-code.js';
import { buildServer } from '../src/edges/http/server.js';
import { openContext } from '../src/runtime.js';
import { summarise, timeRuns } from './stats.js';

/** Issuing IDs over real HTTP on loopback into the embedded store: the whole pipeline a manufacturer's ERP uses. */
export async function benchIssuance() {
  const dataDir = mkdtempSync(join(tmpdir(), 'robotid-bench-'));
  const ctx = await openContext(loadConfig({ dataDir }, {}));
  const app = await buildServer(ctx);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const admin = (await initAdministrator(ctx)).key.token;
  const post = async (path: string, key: string, body: unknown) => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  try {
    const reg = '91110000MA0000001';
    const org = await post('/v1/organisations', admin, {
      name: 'Bench Robotics',
      roles: ['manufacturer'],
      jurisdiction: 'CN',
      registrationNumber: reg + creditCodeCheckCharacter(reg),
    });
    const key = (await post(`/v1/organisations/${org.id}/keys`, admin, { name: 'bench' })).token as string;
    await post('/v1/models', key, {
      code: 'B1B2B3',
      name: 'Bench',
      category: 'industrial',
      capabilityLevel: 'L2',
    });
    const results: Record<string, unknown> = {};
    for (const count of [10_000, 100_000]) {
      const runs = count === 10_000 ? 10 : 5;
      const timings = summarise(
        await timeRuns(runs, () => post('/v1/ids', key, { model: 'B1B2B3', count }).then(() => {})),
      );
      results[`issue${count}`] = {
        count,
        ...timings,
        idsPerSecondMedian: Math.round((count / timings.medianMs) * 1000),
      };
    }
    return results;
  } finally {
    await app.close();
    await ctx.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The check-character computation alone (the issuing path): the codec must never be what limits issuing. */
export async function benchCheckCharacters() {
  const ids = Array.from({ length: 100_000 }, (_, i) => `CN0001B1B2B3R${String(i).padStart(16, '0')}`);
  const timings = summarise(
    await timeRuns(10, () => {
      for (const id of ids) printedFromValidCanonical(id);
    }),
  );
  return {
    ids: ids.length,
    ...timings,
    idsPerSecondMedian: Math.round((ids.length / timings.medianMs) * 1000),
  };
}
