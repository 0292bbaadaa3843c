/**
 * Robot search as the console uses it (issue 19: a page in p95 < 100 ms server time), over the demo population
 * (`robotid demo`: 100,000 robots at every stage of life by default): a few typical filtered queries, each paged
 * through with its cursor as a person clicking "next" would, the server's own time per page read from its
 * Server-Timing header (so the figure is the registry's, not the client's).
 */
import { runDemo } from '../src/demo/run.js';
import { startHarness, type Harness } from '../test/support/harness.js';
import { summarise, type Summary } from './stats.js';

export const SEARCH_PAGE_P95_BUDGET_MS = 100;

export interface SearchFigures {
  store: 'SQLite' | 'PostgreSQL';
  robots: number;
  demoSeconds: number;
  pageSize: number;
  queries: { name: string; query: string; pages: number; serverMs: Summary & { p95Ms: number } }[];
  withinBudget: boolean;
}

/** Pages of a query followed per run (the console shows the first few; a person rarely clicks further). */
const PAGES = 5;

export async function benchRobotSearch(options: {
  robots: number;
  postgresUrl?: string;
  runs?: number;
  pageSize?: number;
}): Promise<SearchFigures> {
  const postgres = options.postgresUrl !== undefined;
  const h = await startHarness({
    postgres,
    ...(postgres ? { database: { databaseUrl: options.postgresUrl } } : {}),
  });
  try {
    const began = Date.now();
    await runDemo(h.ctx, { robots: options.robots, seed: 20261125, now: new Date('2026-11-25T00:00:00Z') });
    const demoSeconds = Math.round((Date.now() - began) / 100) / 10;
    const keys = await searchKeys(h);
    const sample = await sampleValues(h);
    const pageSize = options.pageSize ?? 20;
    const queries: [name: string, key: string, query: string][] = [
      ['regulator: in use in a region', keys.regulator, `state=in_use&region=${sample.region}`],
      ['regulator: a component lot', keys.regulator, `componentLot=${encodeURIComponent(sample.lot)}`],
      [
        'regulator: a firmware version',
        keys.regulator,
        `softwareTarget=${encodeURIComponent(sample.software.target)}&softwareVersion=${encodeURIComponent(sample.software.version)}`,
      ],
      ['regulator: certification not valid', keys.regulator, 'certification=invalid'],
      [
        'manufacturer: one model',
        keys.manufacturer,
        `enterpriseCode=${sample.enterprise}&modelCode=${sample.model}`,
      ],
      ['manufacturer: its robots sold', keys.manufacturer, 'state=sold'],
    ];
    const figures: SearchFigures['queries'] = [];
    for (const [name, key, query] of queries) {
      const millis: number[] = [];
      let pages = 0;
      for (let run = 0; run < (options.runs ?? 20); run++) {
        let cursor: string | undefined;
        pages = 0;
        do {
          const url = `/v1/robots?${query}&limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const res = await h.app.inject({
            method: 'GET',
            url,
            headers: { authorization: `Bearer ${key}`, 'robotid-purpose': 'market_surveillance' },
          });
          if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
          millis.push(Number(/dur=([\d.]+)/.exec(String(res.headers['server-timing']))?.[1]));
          cursor = (res.json() as { nextCursor?: string | null }).nextCursor ?? undefined;
          pages += 1;
        } while (cursor && pages < PAGES);
      }
      const sorted = [...millis].sort((a, b) => a - b);
      const p95Ms = sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))]!;
      figures.push({ name, query, pages, serverMs: { ...summarise(millis), p95Ms } });
    }
    return {
      store: postgres ? 'PostgreSQL' : 'SQLite',
      robots: options.robots,
      demoSeconds,
      pageSize,
      queries: figures,
      withinBudget: figures.every((q) => q.serverMs.p95Ms < SEARCH_PAGE_P95_BUDGET_MS),
    };
  } finally {
    await h.close();
  }
}

/** A regulator's key, and a key of the manufacturer with the most robots. */
async function searchKeys(h: Harness) {
  const orgs = await h.ctx.store.read((r) => r.listOrganisations({}, { after: 0, limit: 1000 }));
  const regulator = orgs.items.find((o) => o.roles.includes('regulator'));
  const maker = orgs.items.find((o) => o.roles.includes('manufacturer') && o.enterpriseCode);
  if (!regulator || !maker) throw new Error('the demo has no regulator or manufacturer');
  const key = async (orgId: string) => {
    const made = await h.call('POST', `/v1/organisations/${orgId}/keys`, {
      key: h.adminKey,
      body: { name: 'bench' },
    });
    if (made.status !== 201) throw new Error(`bench key: ${JSON.stringify(made.body)}`);
    return made.body.token as string;
  };
  return { regulator: await key(regulator.id), manufacturer: await key(maker.id), makerId: maker.id };
}

/** Filter values the population has: a robot in use gives its region, a part's lot, a firmware version, its model. */
async function sampleValues(h: Harness) {
  return h.ctx.store.read(async (r) => {
    const page = await r.findRobots({ state: 'in_use' }, { after: '', limit: 50 });
    const statuses = await r.getRobotStatuses(page.items.map((i) => i.id));
    for (const [id, status] of statuses) {
      const lot = status.components.find((c) => c.lot)?.lot;
      const software = status.software[0];
      if (status.site && lot && software)
        return {
          region: status.site.region,
          lot,
          software,
          enterprise: id.slice(2, 6),
          model: id.slice(6, 12),
        };
    }
    throw new Error('no robot in use with a site, a lot and firmware');
  });
}

/** The section's lines for the bench's output. */
export function describeRobotSearch(f: SearchFigures): string[] {
  return [
    `robot search over the demo of ${f.robots} robots (${f.store}, made in ${f.demoSeconds} s), ${f.pageSize} a page, server time per page:`,
    ...f.queries.map(
      (q) =>
        `  ${q.name.padEnd(38)} p95 ${q.serverMs.p95Ms.toFixed(1)} ms, median ${q.serverMs.medianMs.toFixed(1)} ms, max ${q.serverMs.maxMs.toFixed(1)} ms (${q.serverMs.runs} pages, up to ${PAGES} a run)`,
    ),
    `  within budget (p95 < ${SEARCH_PAGE_P95_BUDGET_MS} ms): ${f.withinBudget ? 'yes' : 'NO'}`,
  ];
}
