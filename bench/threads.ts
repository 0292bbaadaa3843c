import { readdirSync, readFileSync } from 'node:fs';

/** CPU clock ticks (user + system) of each thread of this process, by thread id; empty where /proc is not. */
export function threadTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      // Fields after the command name (which may hold spaces): state is the 1st, utime the 12th, stime the 13th.
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(tid, Number(fields[11]) + Number(fields[12]));
    }
  } catch {
    // not Linux: no per-thread figures
  }
  return ticks;
}

const TICKS_PER_SECOND = 100;

/**
 * CPU µs per event of this process's busiest threads between two readings: the HTTP thread ("main") and the others
 * by rank (the writer thread is normally first of them; V8's garbage-collection helpers and the load generator
 * follow). Shows which thread bounds the rate: one near 1e6 / rate µs is saturated.
 */
export function threadMicrosPerEvent(
  before: Map<string, number>,
  after: Map<string, number>,
  events: number,
) {
  const perEvent = (ticks: number) => Math.round(((ticks * 1e6) / TICKS_PER_SECOND / events) * 10) / 10;
  const used = [...after].map(([tid, t]) => ({ tid, ticks: t - (before.get(tid) ?? 0) }));
  const main = used.find((u) => u.tid === String(process.pid));
  const others = used
    .filter((u) => u.tid !== String(process.pid) && u.ticks > 0)
    .sort((a, b) => b.ticks - a.ticks)
    .slice(0, 6);
  return { main: perEvent(main?.ticks ?? 0), others: others.map((u) => perEvent(u.ticks)) };
}
