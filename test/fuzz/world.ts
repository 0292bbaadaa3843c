/**
 * What the fuzzer calls with and about: callers of every kind, and real robots, models, events, incidents,
 * recalls, subscriptions, persons and keys, so that ids in paths are sometimes real (set up through the API).
 */
import { PURPOSE, admit } from '../support/fixtures.js';
import type { Api } from '../support/harness.js';
import { event, intoUse, manufactured, report, supplyChain } from '../support/lifecycle.js';
import { pick, type Rng } from './generate.js';

export interface Caller {
  kind: string;
  /** The Authorization header, if any. */
  authorization?: string;
  /** A key the registry refuses (401). */
  badKey?: boolean;
}

export interface World {
  callers: Caller[];
  /** Real values by pool name (see poolFor). */
  pools: Record<string, string[]>;
  /** Valid request bodies to start from, by operation id (`POST /v1/events`). */
  examples: Record<string, (rng: Rng) => unknown>;
}

const ids = (list: unknown) => (Array.isArray(list) ? list.map((x) => String(x)) : []);

export async function buildWorld(h: Api): Promise<World> {
  const c = await supplyChain(h, 4);
  const [r0, r1, r2] = c.robots as [string, string, string];
  await intoUse(h, c, r0);
  await intoUse(h, c, r1);
  await report(h, c.maker.key, [manufactured(r2)]);
  await report(h, c.operator.key, [
    event('incident_reported', r0, { category: 'fall', severity: 'serious', description: 'fell over' }),
  ]);
  const other = await admit(h, ['manufacturer']);
  const spare = await h.call('POST', `/v1/organisations/${c.maker.org.id}/keys`, {
    key: c.maker.key,
    body: { name: 'spare' },
  });
  const recall = await h.call('POST', '/v1/recalls', {
    key: c.regulator.key,
    body: {
      component: 'Knee joint actuator HJ-40',
      summary: 'The brake may fail.',
      consequence: 'The robot may fall.',
      remedy: { description: 'Replace the actuator.', overTheAir: false },
      stopUse: false,
      criteria: { components: [{ partNumber: 'HJ-40', lots: ['LOT-2026-01'] }] },
    },
  });
  const subscription = await h.call('POST', '/v1/subscriptions', {
    key: c.operator.key,
    body: { url: 'https://hooks.example.test/robotid', topics: ['robot.suspended'] },
  });
  const person = await h.call('POST', '/v1/persons', {
    key: c.seller.key,
    body: { name: 'Li Wei', email: 'li.wei@mail.test' },
  });
  const authorisation = await h.call('POST', `/v1/robots/${r0}/service-authorisations`, {
    key: c.operator.key,
    body: {
      serviceProviderId: c.serviceCo.org.id,
      validFrom: new Date(Date.now() - 86_400_000).toISOString(),
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  const incidents = await h.call('GET', '/v1/incidents', { key: c.regulator.key, headers: PURPOSE });
  const history = await h.call('GET', `/v1/robots/${r0}/events`, { key: c.maker.key });
  const deliveries = await h.call('GET', '/v1/deliveries', { key: c.operator.key });

  const orgs = [
    c.maker,
    c.certifier,
    c.seller,
    c.operator,
    c.operator2,
    c.serviceCo,
    c.recycler,
    c.regulator,
    other,
  ];
  const printed = ids(
    (await h.call('POST', '/v1/ids', { key: c.maker.key, body: { model: c.maker.model.code, count: 1 } }))
      .body.ids,
  );
  const robotForms = [...c.robots, ...printed, ...printed.map((p) => p.slice(0, 29))];
  const bearer = (key: string) => `Bearer ${key}`;
  return {
    callers: [
      { kind: 'anonymous' },
      { kind: 'administrator', authorization: bearer(h.adminKey) },
      { kind: 'manufacturer', authorization: bearer(c.maker.key) },
      { kind: 'other organisation', authorization: bearer(other.key) },
      { kind: 'regulator', authorization: bearer(c.regulator.key) },
      { kind: 'operator', authorization: bearer(c.operator.key) },
      { kind: 'malformed key', authorization: bearer('rid_nonsense'), badKey: true },
      // The manufacturer's key id with a wrong secret.
      {
        kind: 'wrong secret',
        authorization: bearer(`${c.maker.key.slice(0, 21)}${'x'.repeat(43)}`),
        badKey: true,
      },
    ],
    pools: {
      robot: robotForms,
      org: orgs.map((o) => o.org.id),
      key: [String(spare.body?.id), c.maker.keyId, other.keyId],
      enterpriseCode: [String(c.maker.model.enterpriseCode)],
      modelCode: [String(c.maker.model.code)],
      modelPrefix: [c.robots[0]!.slice(0, 12)],
      incident: ids((incidents.body?.items ?? []).map((i: { id: number }) => i.id)),
      recall: ids([recall.body?.number]),
      subscription: ids([subscription.body?.id]),
      person: ids([person.body?.id]),
      authorisation: ids([authorisation.body?.id]),
      event: ids((history.body?.events ?? []).map((e: { eventId: string }) => e.eventId)),
      delivery: ids((deliveries.body?.items ?? []).map((d: { id: string }) => d.id)),
    },
    examples: {
      'POST /v1/events': (rng) => ({
        events: [
          pick(rng, [
            () => event('serviced', r0, { kind: 'maintenance', description: 'joint lubrication' }),
            () => event('incident_reported', r1, { category: 'fault', severity: 'minor' }),
            () => event('suspended', r1, { reason: 'inspection' }),
            () => event('reinstated', r1),
            () => manufactured(pick(rng, c.robots)),
            () =>
              event('certified', r2, { standard: 'GB/T 12643', certificateNumber: 'C-1', result: 'pass' }),
          ])(),
        ],
      }),
      'POST /v1/ids': () => ({ model: c.maker.model.code, count: 1 }),
      'POST /v1/incidents/{id}/triage': () => ({ state: 'under_investigation', note: 'looking' }),
    },
  };
}

/** Which pool a parameter or property takes real values from, by its name and the operation's path. */
export function poolFor(path: string, name: string): string | undefined {
  switch (name) {
    case 'id':
      if (path.startsWith('/v1/incidents')) return 'incident';
      if (path.startsWith('/v1/subscriptions')) return 'subscription';
      if (path.startsWith('/v1/persons')) return 'person';
      if (path.startsWith('/v1/deliveries')) return 'delivery';
      return 'robot';
    case 'robotId':
    case 'robot':
      return 'robot';
    case 'orgId':
    case 'manufacturerId':
    case 'manufacturer':
    case 'serviceProviderId':
    case 'toOrgId':
      return 'org';
    case 'keyId':
      return 'key';
    case 'enterpriseCode':
      return 'enterpriseCode';
    case 'modelCode':
      return 'modelCode';
    case 'model':
      return path === '/v1/ids' || path === '/v1/models' ? 'modelCode' : 'modelPrefix';
    case 'number':
      return 'recall';
    case 'eventId':
      return 'event';
    case 'authorisationId':
      return 'authorisation';
    default:
      return undefined;
  }
}
