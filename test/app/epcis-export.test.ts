/**
 * Every stored event of a demo population (every lifecycle event type, corrections included) exported as EPCIS 2.0:
 * 100% valid against GS1's official JSON Schema (read in place from the fetched gs1/EPCIS mirror; skipped, saying
 * what to fetch, when absent) and against the registry's own schema (what EPCIS capture takes); one event of each
 * type checked field by field; each reads back as the same event (parts and corrections included); what a
 * custodian may not see is not exported.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { AppContext } from '../../src/app/context.js';
import { epcisDocumentIssues } from '../../src/app/epcis/validate-document.js';
import { historyView } from '../../src/app/policy/history.js';
import { runDemo } from '../../src/demo/run.js';
import {
  epcisDocument,
  epcisQueryDocument,
  exportEvent,
  type EpcisJson,
  type VisibleEvent,
} from '../../src/domain/epcis/export.js';
import { documentPrefixes } from '../../src/domain/epcis/event-hash.js';
import { canonicalRobotId, type EpcisEventFacts } from '../../src/domain/epcis/from-epcis.js';
import { fromEpcisEvents } from '../../src/domain/epcis/from-epcis-document.js';
import { chunksReadAlone, joinedToPrevious } from '../../src/domain/epcis/read-together.js';
import { ROBOTID_CONTEXT } from '../../src/domain/epcis/mapping.js';
import { parseRobotId } from '../../src/domain/id/index.js';
import { EVENT_TYPES, type EventType } from '../../src/domain/lifecycle/events.js';
import type { Relation } from '../../src/domain/policy/table.js';
import { loadConfig } from '../../src/main/config.js';
import { openContext } from '../../src/main/runtime.js';
import { notFetched, openMirror } from '../support/mirrors.js';

// 300 robots of this seed live through every event type, corrections included (checked below).
const ROBOTS = 300;
const SEED = 4;
const NOW = new Date('2026-11-25T00:00:00Z');

interface Exported {
  robotId: string;
  printed: string;
  entry: VisibleEvent;
  epcis: EpcisJson[];
}

/** Every stored event, exported as a reader with this relation sees it (the native history's cut). */
async function exportAll(ctx: AppContext, robotIds: string[], relation: Relation): Promise<Exported[]> {
  const out: Exported[] = [];
  for (const robotId of robotIds) {
    const stored = await ctx.store.read((r) => r.listEvents(robotId));
    const { entries } = historyView(stored, relation, 'org_nobody');
    const byId = new Map(entries.map((e) => [e.eventId, e]));
    const printed = parseRobotId(robotId).printed;
    for (const entry of entries) {
      const target = (entry.payload as { correctsEventId?: string }).correctsEventId;
      const corrects = entry.type === 'corrected' && target ? byId.get(target) : undefined;
      const epcis = exportEvent(entry, { publicBaseUrl: ctx.publicBaseUrl, robotId, printed, corrects });
      out.push({ robotId, printed, entry, epcis });
    }
  }
  return out;
}

describe('EPCIS export of the demo population', () => {
  let dataDir: string;
  let ctx: AppContext;
  /** Every event as a regulator sees it (all but personal data). */
  let all: Exported[];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'robotid-epcis-export-'));
    ctx = await openContext(loadConfig({ dataDir }, {}));
    const outcome = await runDemo(ctx, { robots: ROBOTS, seed: SEED, now: NOW });
    all = await exportAll(ctx, outcome.robotIds, 'regulator');
  });
  after(async () => {
    await ctx.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const eventsOf = (xs: Exported[]) => xs.flatMap((x) => x.epcis);
  const countsByType = (xs: Exported[]) => {
    const n: Partial<Record<string, number>> = {};
    for (const x of xs) n[x.entry.type] = (n[x.entry.type] ?? 0) + 1;
    return n;
  };

  test('every stored event type is there, and each exports as at least one EPCIS event', () => {
    assert.deepEqual(Object.keys(countsByType(all)).sort(), [...EVENT_TYPES].sort());
    for (const x of all) assert.ok(x.epcis.length > 0, `${x.entry.type} ${x.entry.eventId} exported nothing`);
  });

  test('100% valid against GS1’s official EPCIS 2.0 JSON Schema, as a document and as a query document', (t) => {
    const mirror = openMirror('gs1/EPCIS', ['EPCIS-JSON-Schema.json']);
    if (!mirror) return t.skip(notFetched('gs1/EPCIS'));
    try {
      const schema = JSON.parse(readFileSync(join(mirror.dir, 'EPCIS-JSON-Schema.json'), 'utf8'));
      const ajv = new Ajv({ strict: false, allErrors: true });
      (addFormats as unknown as (a: Ajv) => void)(ajv);
      const validate = ajv.compile(schema);
      const events = eventsOf(all);
      // One document of everything, then each event alone with its context (a fault is named by its event).
      const doc = epcisDocument(events, { creationDate: NOW.toISOString() });
      const query = epcisQueryDocument(events, {
        creationDate: NOW.toISOString(),
        queryName: 'SimpleEventQuery',
      });
      assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
      assert.ok(validate(query), JSON.stringify(validate.errors?.slice(0, 3)));
      let valid = 0;
      for (const e of events) {
        if (validate({ '@context': ROBOTID_CONTEXT, ...e })) valid++;
        else assert.fail(`${String(e.eventID)}: ${JSON.stringify(validate.errors)}`);
      }
      const byEpcisType: Record<string, number> = {};
      for (const e of events) byEpcisType[e.type as string] = (byEpcisType[e.type as string] ?? 0) + 1;
      t.diagnostic(
        `validated ${valid} EPCIS events (${JSON.stringify(byEpcisType)}) from ${all.length} stored events ` +
          `${JSON.stringify(countsByType(all))} against ${mirror.repo}@${mirror.commit.slice(0, 12)}`,
      );
    } finally {
      rmSync(mirror.dir, { recursive: true, force: true });
    }
  });

  test('valid against the registry’s own EPCIS schema too: what EPCIS capture takes', () => {
    const doc = epcisDocument(eventsOf(all), { creationDate: NOW.toISOString() });
    assert.deepEqual(epcisDocumentIssues(doc), []);
  });

  test('one event of each type, field by field', () => {
    for (const type of EVENT_TYPES) {
      const x = all.find((e) => e.entry.type === type && (type !== 'serviced' || hasReplaced(e.entry)));
      assert.ok(x, `no ${type}`);
      assert.deepEqual(x.epcis, expected(ctx.publicBaseUrl, x, all), type);
    }
  });

  test('every stored event reads back as itself: capture(export(e)) records the same event, parts and corrections', () => {
    const prefixes = documentPrefixes(ROBOTID_CONTEXT);
    const context = { publicBaseUrl: ctx.publicBaseUrl, prefixes };
    let compared = 0;
    for (const robotId of new Set(all.map((x) => x.robotId))) {
      const mine = all.filter((x) => x.robotId === robotId);
      const reading = fromEpcisEvents(eventsOf(mine) as EpcisEventFacts[], () => context);
      assert.deepEqual(reading.rejected, [], robotId);
      const back = reading.events.map(({ event }) => ({
        ...event,
        robotId: canonicalRobotId(event.robotId),
      }));
      const stored = mine.map(({ entry }) => ({
        eventId: entry.eventId,
        type: entry.type,
        robotId,
        eventTime: entry.eventTime,
        payload: entry.payload,
      }));
      assert.deepEqual(back, stored, robotId);
      compared += stored.length;
    }
    assert.equal(compared, all.length);
    const types = new Set(all.map((x) => x.entry.type));
    assert.deepEqual(
      [...types].sort(),
      [...EVENT_TYPES].sort(),
      'every type, parts and corrections included',
    );
  });

  test('read a chunk at a time, as capture reads a large document, the population’s events mean what they mean read whole', () => {
    const list = eventsOf(all) as EpcisEventFacts[];
    const context = { publicBaseUrl: ctx.publicBaseUrl, prefixes: documentPrefixes(ROBOTID_CONTEXT) };
    const whole = fromEpcisEvents(list, () => context);
    assert.deepEqual(whole.rejected, []);
    const joined = joinedToPrevious(list);
    const chunks = chunksReadAlone(joined, 1);
    assert.ok(joined.some(Boolean), 'some events are read together: parts with their event');
    assert.equal(
      chunks.length,
      joined.filter((j) => !j).length,
      'cut before every event not joined to the one before',
    );
    assert.deepEqual(
      chunks.map(([start]) => start),
      joined.flatMap((j, i) => (j ? [] : [i])),
    );
    const inChunks = chunks.flatMap(([start, end]) => {
      const reading = fromEpcisEvents(list.slice(start, end), () => context);
      assert.deepEqual(reading.rejected, [], `events ${start} to ${end}`);
      return reading.events.map(({ index, event }) => ({ index: start + index, event }));
    });
    assert.deepEqual(inChunks, whole.events);
  });

  test('a custodian’s export has no more than its native history: no lots, plants or usage', async () => {
    const robots = [...new Set(all.map((x) => x.robotId))];
    const custodian = await exportAll(ctx, robots, 'custodian');
    assert.ok(custodian.length < all.length, 'usage events (activations) are not the custodian’s');
    const text = JSON.stringify(eventsOf(custodian));
    for (const hidden of [
      '"lot"',
      'robotid:plant',
      'urn:robotid:lot:',
      'robotid:siteType',
      'urn:robotid:region:',
    ])
      assert.ok(!text.includes(hidden), `${hidden} leaked`);
    assert.ok(!custodian.some((x) => x.entry.type === 'activated'));
    const doc = epcisDocument(eventsOf(custodian), { creationDate: NOW.toISOString() });
    assert.deepEqual(epcisDocumentIssues(doc), [], 'what is left is still valid EPCIS');
    assert.ok(JSON.stringify(eventsOf(all)).includes('urn:robotid:lot:'), 'the regulator sees lots');
  });
});

const SERVICE_STEPS: Record<string, string> = {
  repair: 'repairing',
  maintenance: 'urn:robotid:bizstep:maintaining',
  inspection: 'inspecting',
  firmware_update: 'urn:robotid:bizstep:updating_software',
};
const hasReplaced = (e: VisibleEvent) => ((e.payload as { replaced?: unknown[] }).replaced?.length ?? 0) > 0;

// ---------------------------------------------------------------------------------------------------------------
// What each type is expected to export, written out from the payload (docs/epcis.md's table)

type P = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function expected(base: string, x: Exported, all: Exported[]): EpcisJson[] {
  const e = x.entry;
  const p = e.payload as P;
  const id = (ev: VisibleEvent) => `urn:robotid:event:${x.robotId}:${encodeURIComponent(ev.eventId)}`;
  const epc = `${base}/r/${x.printed}`;
  const org = (o: string) => `urn:robotid:org:${o}`;
  const times = (ev: VisibleEvent) => ({
    eventTime: ev.eventTime,
    eventTimeZoneOffset: '+00:00',
    recordTime: ev.recordTime,
  });
  const object = (ev: VisibleEvent, action: string, bizStep: string, rest: P = {}): EpcisJson => ({
    type: 'ObjectEvent',
    ...times(ev),
    eventID: id(ev),
    epcList: [epc],
    action,
    bizStep,
    ...rest,
    'robotid:reportedBy': org(ev.reportedBy),
  });
  const parties = (list: 'source' | 'destination', o: string, types: string[]) => ({
    [`${list}List`]: types.map((type) => ({ type, [list]: org(o) })),
  });
  const BOTH = ['owning_party', 'possessing_party'];
  const partId = (c: P) =>
    c.serial
      ? { epc: `urn:robotid:part:${c.partNumber}:${c.serial}` }
      : { cls: `urn:robotid:lot:${c.partNumber}:${c.lot}` };
  const association = (
    ev: VisibleEvent,
    change: string,
    action: string,
    bizStep: string,
    parts: P[],
  ): EpcisJson => {
    const epcs = parts.map(partId).flatMap((i) => ('epc' in i ? [i.epc] : []));
    const classes = new Map<string, number>();
    for (const i of parts.map(partId)) if ('cls' in i) classes.set(i.cls!, (classes.get(i.cls!) ?? 0) + 1);
    return {
      type: 'AssociationEvent',
      ...times(ev),
      eventID: `${id(ev)}:${change}`,
      parentID: epc,
      ...(epcs.length ? { childEPCs: epcs } : {}),
      ...(classes.size
        ? { childQuantityList: [...classes].map(([epcClass, quantity]) => ({ epcClass, quantity })) }
        : {}),
      action,
      bizStep,
      'robotid:components': parts,
      'robotid:partOf': id(ev),
      'robotid:reportedBy': org(ev.reportedBy),
    };
  };
  const note = p.note === undefined ? {} : { 'robotid:note': p.note };
  const byType: Record<EventType, () => EpcisJson[]> = {
    manufactured: () => [
      object(e, 'ADD', 'commissioning', {
        disposition: 'active',
        ilmd: {
          'robotid:productionDate': p.productionDate,
          'robotid:plant': p.plant,
          'robotid:software': p.software,
        },
      }),
      association(e, 'fitted', 'ADD', 'assembling', p.components),
    ],
    certified: () => [
      object(e, 'OBSERVE', 'inspecting', {
        disposition: p.result === 'pass' ? 'conformant' : 'non_conformant',
        certificationInfo: `urn:robotid:certificate:${encodeURIComponent(p.certificateNumber)}`,
        'robotid:standard': p.standard,
        ...(p.validUntil ? { 'robotid:validUntil': p.validUntil } : {}),
      }),
    ],
    shipped: () => [
      object(e, 'OBSERVE', 'shipping', {
        disposition: 'in_transit',
        ...parties('source', e.reportedBy, ['possessing_party']),
        ...parties('destination', p.toOrgId, ['possessing_party']),
      }),
    ],
    received: () => [
      object(e, 'OBSERVE', 'receiving', {
        disposition: 'in_progress',
        ...parties('destination', e.reportedBy, ['possessing_party']),
        ...note,
      }),
    ],
    sold: () => [
      object(e, 'OBSERVE', 'retail_selling', {
        disposition: 'retail_sold',
        ...parties('source', e.reportedBy, BOTH),
        ...parties('destination', p.toOrgId, BOTH),
      }),
    ],
    activated: () => [
      object(e, 'OBSERVE', 'installing', {
        disposition: 'active',
        bizLocation: { id: `urn:robotid:region:${p.region}` },
        'robotid:siteType': p.siteType,
      }),
    ],
    serviced: () => [
      object(e, 'OBSERVE', SERVICE_STEPS[p.kind]!, {
        disposition: 'active',
        ...(p.recall
          ? {
              bizTransactionList: [
                { type: 'urn:robotid:btt:recall', bizTransaction: `urn:robotid:recall:${p.recall}` },
              ],
            }
          : {}),
        ...(p.description ? { 'robotid:description': p.description } : {}),
        ...(p.software ? { 'robotid:software': p.software } : {}),
      }),
      ...(p.replaced
        ? [
            association(
              e,
              'removed',
              'DELETE',
              'replacing',
              p.replaced.map((r: P) => r.old),
            ),
            association(
              e,
              'fitted',
              'ADD',
              'replacing',
              p.replaced.map((r: P) => r.new),
            ),
          ]
        : []),
    ],
    incident_reported: () => [
      object(e, 'OBSERVE', 'urn:robotid:bizstep:incident_reporting', {
        ...(p.region ? { readPoint: { id: `urn:robotid:region:${p.region}` } } : {}),
        ...Object.fromEntries(
          ['category', 'severity', 'description', 'injuries', 'components', 'attachments', 'source']
            .filter((f) => p[f] !== undefined)
            .map((f) => [`robotid:${f}`, p[f]]),
        ),
      }),
    ],
    ownership_transferred: () => [
      object(e, 'OBSERVE', 'urn:robotid:bizstep:transferring_ownership', {
        ...parties('source', e.reportedBy, BOTH),
        ...parties('destination', p.toOrgId, BOTH),
      }),
    ],
    suspended: () => [
      object(e, 'OBSERVE', 'holding', {
        disposition: 'recalled',
        bizTransactionList: [
          {
            type: 'urn:robotid:btt:stop_use_order',
            bizTransaction: `urn:robotid:order:${encodeURIComponent(p.orderNumber)}`,
          },
        ],
        'robotid:reason': p.reason,
      }),
    ],
    reinstated: () => [
      object(e, 'OBSERVE', 'urn:robotid:bizstep:reinstating', {
        disposition: 'active',
        bizTransactionList: [
          {
            type: 'urn:robotid:btt:stop_use_order',
            bizTransaction: `urn:robotid:order:${encodeURIComponent(p.orderNumber)}`,
          },
        ],
        ...note,
      }),
    ],
    decommissioned: () => [object(e, 'OBSERVE', 'decommissioning', { disposition: 'inactive', ...note })],
    recycled: () => [
      object(e, 'DELETE', 'disassembling', {
        disposition: 'destroyed',
        ...(p.materialsKg ? { 'robotid:materialsKg': p.materialsKg } : {}),
      }),
      association(e, 'removed', 'DELETE', 'disassembling', p.components),
    ],
    exported: () => [
      object(e, 'OBSERVE', 'shipping', {
        disposition: 'in_transit',
        ...parties('source', e.reportedBy, ['possessing_party']),
        destinationList: [{ type: 'location', destination: `urn:robotid:country:${p.country}` }],
        ...(p.counterparty ? { 'robotid:counterparty': p.counterparty } : {}),
      }),
    ],
    imported: () => [
      object(e, 'OBSERVE', 'receiving', {
        disposition: 'in_progress',
        ...parties('destination', e.reportedBy, ['possessing_party']),
        sourceList: [{ type: 'location', source: `urn:robotid:country:${p.country}` }],
        ...(p.counterparty ? { 'robotid:counterparty': p.counterparty } : {}),
      }),
    ],
    reported_lost: () => [
      object(e, 'OBSERVE', 'urn:robotid:bizstep:reporting_loss', { disposition: 'unknown', ...note }),
    ],
    reported_stolen: () => [
      object(e, 'OBSERVE', 'urn:robotid:bizstep:reporting_theft', { disposition: 'stolen', ...note }),
    ],
    recovered: () => [
      object(e, 'OBSERVE', 'urn:robotid:bizstep:recovering', { disposition: 'active', ...note }),
    ],
    corrected: () => {
      // The demo's corrections declare a maintenance entry (no parts) that did not occur.
      const target = all.find((y) => y.robotId === x.robotId && y.entry.eventId === p.correctsEventId)!;
      assert.equal(target.entry.type, 'serviced');
      return [
        {
          ...expected(base, target, all)[0]!,
          errorDeclaration: {
            declarationTime: e.eventTime,
            reason: 'did_not_occur',
            'robotid:correctionID': id(e),
            'robotid:reportedBy': org(e.reportedBy),
            'robotid:explanation': p.explanation,
          },
        },
      ];
    },
  };
  return byType[e.type]();
}
