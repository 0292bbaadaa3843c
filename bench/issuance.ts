import { printedFromValidCanonical } from '../src/domain/id/index.js';
import { benchRegistry } from './registry.js';
import { summarise, timeRuns } from './stats.js';

/** Issuing IDs over real HTTP on loopback into the embedded store: the whole pipeline a manufacturer's ERP uses. */
export async function benchIssuance() {
  const { call, key, close } = await benchRegistry('issuance');
  const post = (path: string, body: unknown) => call('POST', path, key, body);
  try {
    const results: Record<string, unknown> = {};
    for (const count of [10_000, 100_000]) {
      const runs = count === 10_000 ? 10 : 5;
      const timings = summarise(
        await timeRuns(runs, () => post('/v1/ids', { model: 'B1B2B3', count }).then(() => {})),
      );
      results[`issue${count}`] = {
        count,
        ...timings,
        idsPerSecondMedian: Math.round((count / timings.medianMs) * 1000),
      };
    }
    return results;
  } finally {
    await close();
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
