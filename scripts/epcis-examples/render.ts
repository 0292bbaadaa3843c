/**
 * docs/epcis-examples.md: one worked example per lifecycle event type, each a stored event of a seeded demo
 * population as the native API shows it and as EPCIS export writes it (what a query answers, what capture reads
 * back). Made from the code, not written by hand, so it cannot drift: test/app/epcis-examples.test.ts renders it
 * again and compares.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { historyView } from '../../src/app/policy/history.js';
import { runDemo } from '../../src/demo/run.js';
import { exportEvent, type EpcisJson, type VisibleEvent } from '../../src/domain/epcis/export.js';
import { OUTBOUND } from '../../src/domain/epcis/mapping.js';
import { parseRobotId } from '../../src/domain/id/index.js';
import { EVENT_TYPES, type EventType } from '../../src/domain/lifecycle/events.js';
import type { AppContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/main/config.js';
import { openContext } from '../../src/main/runtime.js';

export const EXAMPLES_PATH = 'docs/epcis-examples.md';
const PUBLIC_URL = 'https://registry.example.cn';
const DEMO = { robots: 300, seed: 4, now: new Date('2026-11-25T00:00:00Z') };

interface Example {
  robotId: string;
  entry: VisibleEvent;
  epcis: EpcisJson[];
}

/** The whole page, from a fresh demo population (a few seconds). */
export async function renderEpcisExamples(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'robotid-epcis-examples-'));
  try {
    const ctx = await openContext(loadConfig({ dataDir, publicBaseUrl: PUBLIC_URL }, {}));
    try {
      const { robotIds } = await runDemo(ctx, DEMO);
      const candidates: Example[] = [];
      for (const robotId of robotIds) {
        const stored = await ctx.store.read((r) => r.listEvents(robotId));
        const { entries } = historyView(stored, 'regulator', 'org_nobody');
        const byId = new Map(entries.map((e) => [e.eventId, e]));
        const printed = parseRobotId(robotId).printed;
        for (const entry of entries) {
          const target = (entry.payload as { correctsEventId?: string }).correctsEventId;
          const corrects = entry.type === 'corrected' && target ? byId.get(target) : undefined;
          const epcis = exportEvent(entry, { publicBaseUrl: PUBLIC_URL, robotId, printed, corrects });
          candidates.push({ robotId, entry, epcis });
        }
      }
      const text = page(EVENT_TYPES.map((type) => pick(type, candidates)));
      const markdown = withStableOrganisationIds(text, await organisationNames(ctx));
      // In the repository's own format, so that `prettier --check` (lint) and this page agree.
      return format(markdown, { ...(await resolveConfig(EXAMPLES_PATH)), filepath: EXAMPLES_PATH });
    } finally {
      await ctx.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The shortest example of a type, among those that show its parts when the type has any (the most readable). */
function pick(type: EventType, candidates: Example[]): Example {
  const ofType = candidates.filter((c) => c.entry.type === type);
  const withParts = ofType.filter((c) => c.epcis.length > 1);
  const pool = OUTBOUND[type].parts.length > 0 && withParts.length > 0 ? withParts : ofType;
  const size = (c: Example) => JSON.stringify(c.epcis).length;
  const best = pool.reduce<Example | undefined>(
    (a, c) => (a === undefined || size(c) < size(a) ? c : a),
    undefined,
  );
  if (!best) throw new Error(`the demo population has no ${type} event`);
  return best;
}

const json = (value: unknown) => ['```json', JSON.stringify(value, null, 2), '```'].join('\n');

function section({ robotId, entry, epcis }: Example): string {
  const form = OUTBOUND[entry.type];
  const native = { type: entry.type, robotId, eventTime: entry.eventTime, payload: entry.payload };
  const what =
    entry.type === 'corrected'
      ? 'the corrected event written again with an `errorDeclaration`'
      : `an ${String(form.eventType)} \`${String(form.action)}\` with bizStep \`${String(form.bizStep)}\`` +
        (epcis.length > 1 ? `, then ${epcis.length - 1} AssociationEvent(s) for its parts` : '');
  return [
    `## \`${entry.type}\``,
    '',
    `Reported by \`${entry.reportedBy}\`; in EPCIS: ${what}.`,
    '',
    'Native (`POST /v1/events`, as `GET /v1/robots/{id}/events` shows it):',
    '',
    json(native),
    '',
    'EPCIS 2.0 (each event also carries the `@context` of its document):',
    '',
    json(epcis),
  ].join('\n');
}

function page(examples: Example[]): string {
  return [
    '# EPCIS 2.0 worked examples',
    '',
    '<!-- Written by `npm run epcis:examples` (scripts/epcis-examples/); a test fails when it is stale. -->',
    '',
    `One example per lifecycle event type: a stored event of the demo population (\`npm run demo\` with seed ` +
      `${DEMO.seed}, ${DEMO.robots} robots, public URL \`${PUBLIC_URL}\`) as the native API shows it to a ` +
      'regulator, and the EPCIS 2.0 events export writes for it: what `GET /epcis/events` answers and what ' +
      '`POST /epcis/capture` reads back. The mapping itself is in [epcis.md](epcis.md#mapping).',
    '',
    ...examples.map(section).flatMap((s) => [s, '']),
  ].join('\n');
}

async function organisationNames(ctx: AppContext): Promise<Map<string, string>> {
  const page = await ctx.store.read((r) => r.listOrganisations({}, { after: 0, limit: 1000 }));
  return new Map(page.items.map((o) => [o.id, o.name]));
}

/**
 * Organisation ids are random at each run: each becomes `org_<n>`, numbered by its name's place among the
 * population's names, so that the page is the same at every run; the reporter's name is said beside it.
 */
function withStableOrganisationIds(text: string, names: Map<string, string>): string {
  const sorted = [...names].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));
  const stable = new Map(sorted.map(([id], i) => [id, `org_${String(i + 1).padStart(2, '0')}`]));
  return text
    .replace(
      /Reported by `(org_[a-z0-9]+)`/g,
      (_, id: string) => `Reported by \`${id}\` (${names.get(id) ?? '?'})`,
    )
    .replace(/org_[a-z0-9]{16}/g, (id) => stable.get(id) ?? id);
}
