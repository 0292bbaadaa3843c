import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchRegistry } from './registry.js';

/**
 * Issue 20's figure: ONE EPCISDocument of `events` commissioning ObjectEvents (no eventIDs, so the registry
 * computes each Event Hash ID, as a firm's system would send them), POST /epcis/capture, then polled until the
 * background job answers success; beside the same events as one native POST /v1/events batch. The two alternate
 * for `rounds` rounds on fresh robots each, in one registry (A/B in one run); figures are medians. A registry
 * that has been running is what a firm's document meets: the first `warmup` rounds (one by default) warm it up
 * (the JIT compiles the capture path at its first documents) and are reported apart, as the cold figures.
 */
export async function benchEpcisCapture(options: { events?: number; rounds?: number; warmup?: number } = {}) {
  const events = options.events ?? 10_000;
  const rounds = options.rounds ?? 3;
  const warmup = options.warmup ?? 1;
  const { base, key, call, issue, close } = await benchRegistry('epcis');
  const post = (path: string, body: string, type: string) =>
    fetch(base + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': type },
      body,
    });
  try {
    const epcisRates: number[] = [];
    const nativeRates: number[] = [];
    // CPU time of the whole process (every thread: HTTP, capture, the writer, this client) per side: what a quiet
    // machine would spend, where the wall clock on a shared one also counts others' work.
    const epcisCpu: number[] = [];
    const nativeCpu: number[] = [];
    const cold = { epcis: [] as number[], native: [] as number[] };
    for (let round = -warmup; round < rounds; round++) {
      const [epcisRound, nativeRound] = round < 0 ? [cold.epcis, cold.native] : [epcisRates, nativeRates];
      const eventTime = new Date(Date.now() - 60_000).toISOString();
      const forEpcis = await issue(events);
      const document = JSON.stringify({
        '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
        type: 'EPCISDocument',
        schemaVersion: '2.0',
        creationDate: new Date().toISOString(),
        epcisBody: {
          eventList: forEpcis.map((id) => ({
            type: 'ObjectEvent',
            eventTime,
            eventTimeZoneOffset: '+00:00',
            action: 'ADD',
            epcList: [`urn:robotid:robot:${id}`],
            bizStep: 'commissioning',
            disposition: 'active',
          })),
        },
      });
      const forNative = await issue(events);
      const payload = { productionDate: eventTime.slice(0, 10), components: [], software: [] };
      const batch = JSON.stringify({
        events: forNative.map((robotId) => ({ type: 'manufactured', robotId, eventTime, payload })),
      });

      let started = process.hrtime.bigint();
      let cpu = process.cpuUsage();
      const res = await post('/epcis/capture', document, 'application/ld+json');
      if (res.status !== 202) throw new Error(`EPCIS capture answered ${res.status}: ${await res.text()}`);
      const location = res.headers.get('location')!;
      for (;;) {
        const job = await call('GET', location, key);
        if (!job.running) {
          if (!job.success || job.accepted !== events)
            throw new Error(`EPCIS capture job ended without success: ${JSON.stringify(job).slice(0, 500)}`);
          break;
        }
        await sleep(50); // a client polls; each poll reads the job (not its document) from the store
      }
      epcisRound.push(events / (Number(process.hrtime.bigint() - started) / 1e9));
      if (round >= 0) epcisCpu.push(cpuSeconds(process.cpuUsage(cpu)));

      started = process.hrtime.bigint();
      cpu = process.cpuUsage();
      const native = await post('/v1/events', batch, 'application/json');
      if (native.status !== 201) throw new Error(`capture answered ${native.status}: ${await native.text()}`);
      await native.arrayBuffer();
      nativeRound.push(events / (Number(process.hrtime.bigint() - started) / 1e9));
      if (round >= 0) nativeCpu.push(cpuSeconds(process.cpuUsage(cpu)));
    }
    const epcisCpuSeconds = median(epcisCpu);
    const nativeCpuSeconds = median(nativeCpu);
    const epcisEventsPerSecond = Math.round(median(epcisRates));
    const nativeEventsPerSecond = Math.round(median(nativeRates));
    return {
      events,
      rounds,
      epcisEventsPerSecond,
      nativeEventsPerSecond,
      ratio: Math.round((epcisEventsPerSecond / nativeEventsPerSecond) * 100) / 100,
      target: 15_000,
      meetsTarget: epcisEventsPerSecond >= 15_000,
      epcisRounds: epcisRates.map(Math.round),
      nativeRounds: nativeRates.map(Math.round),
      /** The warm-up rounds, not in the medians: a registry's first documents, before the JIT has compiled the path. */
      warmup,
      coldEpcisRounds: cold.epcis.map(Math.round),
      coldNativeRounds: cold.native.map(Math.round),
      /** Events per CPU second of the process (all threads), EPCIS and native, and their ratio: load aside. */
      epcisEventsPerCpuSecond: Math.round(events / epcisCpuSeconds),
      nativeEventsPerCpuSecond: Math.round(events / nativeCpuSeconds),
      cpuRatio: Math.round((nativeCpuSeconds / epcisCpuSeconds) * 100) / 100,
      /** The machine's 1-minute load average when the run ended (2 cores: above 2, others' work shares them). */
      loadAverage: Math.round(loadavg()[0]! * 100) / 100,
    };
  } finally {
    await close();
  }
}

const cpuSeconds = (used: NodeJS.CpuUsage) => (used.user + used.system) / 1e6;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const describeEpcisCapture = (f: Awaited<ReturnType<typeof benchEpcisCapture>>) =>
  `EPCIS capture of one ${f.events}-event document to success (HTTP, SQLite): ${f.epcisEventsPerSecond} events/s; ` +
  `native POST /v1/events, same events: ${f.nativeEventsPerSecond} events/s; EPCIS/native ${f.ratio} ` +
  `(median of ${f.rounds} rounds after ${f.warmup} warm-up; target ${f.target}: ${f.meetsTarget ? 'met' : 'NOT met'}); ` +
  `cold (warm-up) ${f.coldEpcisRounds.join('/')} vs ${f.coldNativeRounds.join('/')}; ` +
  `per CPU second ${f.epcisEventsPerCpuSecond} vs ${f.nativeEventsPerCpuSecond} (ratio ${f.cpuRatio}); ` +
  `load average ${f.loadAverage}`;
