/** Runs `fn` `runs` times after one warm-up and returns the durations in milliseconds. */
export async function timeRuns(runs: number, fn: () => Promise<void> | void): Promise<number[]> {
  await fn();
  const durations: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    durations.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return durations;
}

export type Summary = ReturnType<typeof summarise>;

export function summarise(durationsMs: number[]) {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    runs: sorted.length,
    minMs: sorted[0]!,
    medianMs: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted[sorted.length - 1]!,
  };
}
