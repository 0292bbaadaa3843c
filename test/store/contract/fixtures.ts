/**
 * Records the contract suite writes through the public store interface, built to look like what the use cases
 * write (src/app), with every field set so that a round trip can be compared whole.
 */
import type { Organisation } from '../../../src/domain/org/organisation.js';
import type { RobotModel } from '../../../src/domain/model/model.js';
import type { Component, EventType } from '../../../src/domain/lifecycle/events.js';
import type { RobotStatus } from '../../../src/domain/lifecycle/status.js';
import { afterEach, beforeEach } from 'node:test';
import type { ApiKeyRecord, NewEvent, Page, Store, Tx } from '../../../src/store/store.js';
import type { AdapterUnderTest } from '../adapters.js';

export const org = (n: number, extra: Partial<Organisation> = {}): Organisation => ({
  id: `org_${n}`,
  kind: 'organisation',
  name: `Org ${n}`,
  roles: ['manufacturer'],
  jurisdiction: 'CN',
  registrationNumber: `REG${n}`,
  enterpriseCode: String(n).padStart(4, '0'),
  createdAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

export const model = (enterpriseCode: string, code: string): RobotModel => ({
  enterpriseCode,
  code,
  manufacturerId: `org_${Number(enterpriseCode)}`,
  name: code,
  category: 'industrial',
  capabilityLevel: 'L2',
  specs: { heightMm: 1700, standards: ['GB/T 12643'] },
  createdAt: '2026-01-01T00:00:00.000Z',
});

/** A manufacturer's robot's snapshot with these components fitted (and its firmware). */
export const manufactured = (components: Component[]): RobotStatus => ({
  state: 'manufactured',
  resumeState: null,
  suspension: null,
  manufacturerId: 'org_1',
  custodianId: 'org_1',
  inTransitTo: null,
  operatorId: null,
  certification: null,
  components,
  software: [{ target: 'motion_os', version: '3.2.1' }],
  productionDate: '2026-01-01',
  site: null,
  lastEventTime: '2026-01-01T00:00:00.000Z',
  eventCount: 2,
});

/** A snapshot without components (robot_components holds those), changed by `extra`. */
export const snapshot = (extra: Partial<RobotStatus> = {}): RobotStatus => ({
  ...manufactured([]),
  ...extra,
});

/** A canonical 29-character robot ID of model CN0001AAAAAA (or another 12-character model prefix). */
export const robotId = (n: number, modelPrefix = 'CN0001AAAAAA') =>
  `${modelPrefix}R${String(n).padStart(16, '0')}`;

export const part = (partNumber: string, extra: Partial<Component> = {}): Component => ({
  kind: 'actuator',
  manufacturer: 'Harmonic Joints',
  partNumber,
  ...extra,
});

/** An accepted event of `robot`, as the capture writes it. */
export const event = (robot: string, eventId: string, extra: Partial<NewEvent> = {}): NewEvent => ({
  robotId: robot,
  eventId,
  type: 'serviced' as EventType,
  eventTime: '2026-01-01T00:00:00.000Z',
  recordTime: '2026-01-02T00:00:00.000Z',
  orgId: 'org_1',
  keyId: 'key_1',
  payload: { kind: 'maintenance' },
  contentHash: bytes(32, eventId.length),
  late: false,
  salt: bytes(16, eventId.length + 1),
  ...extra,
});

export const apiKey = (id: string, orgId: string, extra: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  id,
  orgId,
  name: `key ${id}`,
  secretHash: bytes(32, id.length),
  createdAt: '2026-01-01T00:00:00.000Z',
  createdByKey: null,
  revokedAt: null,
  lastUsedAt: null,
  ...extra,
});

/**
 * `length` bytes that start with 0x00 and 0xff and cover the rest of the byte values from `seed`: a text column or
 * an encoding that trims, stops at a zero byte or re-encodes high bytes would not give them back unchanged.
 */
export function bytes(length: number, seed = 0): Buffer {
  const buffer = Buffer.alloc(length);
  for (let i = 0; i < length; i++) buffer[i] = i === 0 ? 0 : i === 1 ? 255 : (seed * 31 + i * 97) & 255;
  return buffer;
}

/** Manufacturer org_1 (enterprise code 0001) with model AAAAAA, and an issuance of these robot IDs. */
export async function issue(tx: Tx, ids: string[], issuanceId = 'iss_1'): Promise<void> {
  if (!(await tx.getOrganisation('org_1'))) {
    await tx.insertOrganisation(org(1));
    await tx.insertModel(model('0001', 'AAAAAA'));
  }
  await tx.insertIssuance({
    id: issuanceId,
    orgId: 'org_1',
    keyId: null,
    requestId: null,
    requestHash: 'h',
    enterpriseCode: '0001',
    modelCode: 'AAAAAA',
    serialSource: 'registry',
    count: ids.length,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  await tx.insertRobots(issuanceId, ids);
}

/** Every item of a paged list, following `next` from `first` until the last page. */
export async function allPages<T, K>(first: K, page: (after: K) => Promise<Page<T, K>>): Promise<T[]> {
  const items: T[] = [];
  let after = first;
  for (let pages = 1; pages <= 1000; pages++) {
    const { items: some, next } = await page(after);
    items.push(...some);
    if (next === null) return items;
    after = next;
  }
  throw new Error('a list that never ends: its pages do not move on');
}

/**
 * Options of a test that states the right behaviour where one store is known to answer differently: a todo on
 * that store (reported, not failing the run), a guard on the others.
 */
export const differsOn = (adapter: string, store: string, reason: string): { todo?: string } =>
  adapter === store ? { todo: `differs: ${reason}` } : {};

/**
 * A fresh, empty store of `adapter` for each test of the calling suite, closed and removed after it. What is
 * returned stands for the current test's store.
 */
export function storePerTest(adapter: AdapterUnderTest): Store {
  let current: ReturnType<AdapterUnderTest['create']> | undefined;
  beforeEach(() => {
    current = adapter.create();
  });
  afterEach(async () => {
    await current?.store.close();
    current?.dispose();
    current = undefined;
  });
  return new Proxy({} as Store, {
    get(_, name) {
      if (!current) throw new Error('the store is open only during a test');
      const value: unknown = Reflect.get(current.store, name);
      return typeof value === 'function' ? value.bind(current.store) : value;
    },
  });
}
