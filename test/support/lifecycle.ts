import { admit, manufacturerWithModel } from './fixtures.js';
import type { Api } from './harness.js';

/** The organisations a robot meets in its life, each with a key, and `count` freshly issued robot IDs. */
export async function supplyChain(h: Api, count = 3) {
  const maker = await manufacturerWithModel(h);
  const [certifier, seller, operator, operator2, serviceCo, recycler, regulator] = await Promise.all([
    admit(h, ['certifier']),
    admit(h, ['seller']),
    admit(h, ['operator']),
    admit(h, ['operator']),
    admit(h, ['service_provider']),
    admit(h, ['recycler']),
    admit(h, ['regulator']),
  ]);
  const issued = await h.call('POST', '/v1/ids', {
    key: maker.key,
    body: { model: maker.model.code, count },
  });
  const robots = (issued.body.ids as string[]).map((printed) => printed.slice(0, 29));
  return { maker, certifier, seller, operator, operator2, serviceCo, recycler, regulator, robots };
}

export type SupplyChain = Awaited<ReturnType<typeof supplyChain>>;

let clock = Date.now() - 12 * 3_600_000;
/** Event times that always move forward a minute, in the recent past (within every reporting deadline). */
export const nextTime = () => new Date((clock += 60_000)).toISOString();

export const ACTUATOR = {
  kind: 'actuator',
  position: 'left_knee',
  manufacturer: 'Harmonic Joints Co',
  partNumber: 'HJ-40',
  lot: 'LOT-2026-01',
  serial: 'HJ40-0001',
};

/** The serial of the knee actuator fitted at manufacture: unique per robot, as real serials are. */
export const actuatorSerial = (robotId: string) => `HJ40-${robotId.slice(2, 6)}-${robotId.slice(-6)}`;

export const manufactured = (robotId: string, extra: Record<string, unknown> = {}) => ({
  type: 'manufactured',
  robotId,
  eventTime: nextTime(),
  payload: {
    productionDate: '2026-01-04',
    components: [
      { ...ACTUATOR, serial: actuatorSerial(robotId) },
      { kind: 'battery_pack', manufacturer: 'Volt Cells', partNumber: 'VC-2k', lot: 'B7' },
    ],
    software: [{ target: 'motion_os', version: '3.2.1' }],
  },
  ...extra,
});

export const certified = (robotId: string, validUntil = '2030-01-01T00:00:00Z') => ({
  type: 'certified',
  robotId,
  eventTime: nextTime(),
  payload: {
    standard: 'GB/T 12643',
    certificateNumber: `C-${robotId.slice(-6)}`,
    result: 'pass',
    validUntil,
  },
});

export const event = (type: string, robotId: string, payload: Record<string, unknown> = {}) => ({
  type,
  robotId,
  eventTime: nextTime(),
  payload,
});

/** Posts events with one key; `mode` sets GS1-Capture-Error-Behaviour. */
export const report = (h: Api, key: string, events: unknown[], mode?: 'rollback' | 'proceed') =>
  h.call('POST', '/v1/events', {
    key,
    body: { events },
    headers: mode ? { 'gs1-capture-error-behaviour': mode } : {},
  });

/** Brings a robot from issued to in use with its operator. */
export async function intoUse(h: Api, c: SupplyChain, robotId: string) {
  const steps: [string, unknown][] = [
    [c.maker.key, manufactured(robotId)],
    [c.certifier.key, certified(robotId)],
    [c.maker.key, event('shipped', robotId, { toOrgId: c.seller.org.id })],
    [c.seller.key, event('received', robotId)],
    [c.seller.key, event('sold', robotId, { toOrgId: c.operator.org.id })],
    [c.operator.key, event('activated', robotId, { siteType: 'factory', region: '310115' })],
  ];
  for (const [key, e] of steps) {
    const res = await report(h, key, [e]);
    if (res.status !== 201) throw new Error(`${(e as { type: string }).type}: ${JSON.stringify(res.body)}`);
  }
}
