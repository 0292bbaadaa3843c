/**
 * One robot's life as the events its organisations report, in time order, following the state machine
 * (docs/lifecycle.md): built, certified, distributed, sold, put to work, serviced, sometimes lost, stolen,
 * exported, suspended or transferred, and at last decommissioned and recycled. Each life stops at "now".
 */
import type { Component, EventType } from '../domain/lifecycle/events.js';
import type { LifecycleState } from '../domain/lifecycle/status.js';
import { DAY_MS, certificationStandard, firmwareAt, lotAt, type DemoModel, type Part } from './catalogue.js';
import { REGIONS, siteTypesOf } from './population.js';
import { drawCumulative } from './random.js';
import { documentNumber, reportable, type World } from './world.js';
import { recycledPayload, serviceText, incidentPayload, EXPORT_MARKETS } from './texts.js';

/** One thing an organisation reports: an event, or (`grant`) a service authorisation it gives. */
export interface Step {
  /** When it happened, ms since the epoch. */
  t: number;
  /** Who reports it: index into the population's organisations. */
  by: number;
  type: EventType | 'grant';
  /**
   * The event payload, with organisations as indices (`toOrgId`), serials with `#` for the robot's token and the
   * event a correction corrects as its step's index (`correctsStep`).
   */
  payload: Record<string, unknown>;
}

/** What a life is remembered for, to pick examples. */
export const TAG = {
  serviced: 1,
  repaired: 2,
  recalled: 4,
  stolen: 8,
  exported: 16,
  transferred: 32,
  incident: 64,
  recycled: 128,
  providerServiced: 256,
} as const;

export interface Life {
  steps: Step[];
  final: LifecycleState;
  tags: number;
}

/** The life ends here: the period is over, or the robot has reached its fate. */
class Stop {}
const STOP = new Stop();

type Fate = 'normal' | 'stock_manufactured' | 'stock_certified' | 'stock_distribution' | 'stock_sold';

const FATES: readonly (readonly [Fate, number])[] = [
  ['normal', 0.915],
  ['stock_manufactured', 0.01],
  ['stock_certified', 0.02],
  ['stock_distribution', 0.03],
  ['stock_sold', 0.025],
];

const INF = Number.POSITIVE_INFINITY;
const HOUR_MS = 3_600_000;
const PLANTS = ['北京亦庄工厂', '上海临港工厂', '深圳光明工厂', '杭州余杭工厂', 'Werk Augsburg', '浜松工場'];
const SHORT: Record<string, string> = { left: 'L', right: 'R', torso: 'T', head: 'H' };

/** `left_knee` → `LK`: the last part of a component's serial. */
const positionCode = (p: string | undefined) =>
  p === undefined
    ? 'U'
    : p
        .split('_')
        .map((w) => SHORT[w] ?? w.charAt(0).toUpperCase())
        .join('');

export class LifeBuilder {
  private t: number;
  private state: LifecycleState = 'issued';
  private custodian: number;
  private operator = -1;
  private cert: { pass: boolean; until: number } | null = null;
  private suspension: string | null = null;
  private components: Component[] = [];
  private parts: Part[] = [];
  private software: { target: string; version: string }[] = [];
  private spares = 0;
  private services = 0;
  /** Service contract: provider and its end; only while the granting operator holds the robot. */
  private grant: { provider: number; grantor: number; until: number } | null = null;
  readonly steps: Step[] = [];
  tags = 0;

  constructor(
    private readonly world: World,
    private readonly model: DemoModel,
    private readonly maker: number,
    t0: number,
  ) {
    this.t = t0;
    this.custodian = maker;
  }

  private get rng() {
    return this.world.rng;
  }

  live(): Life {
    try {
      const fate = this.rng.weighted(FATES);
      this.after(0, 0); // into business hours
      this.factory(fate);
      this.distribute(fate);
      this.use();
    } catch (e) {
      if (e !== STOP) throw e;
    }
    return { steps: this.steps, final: this.state, tags: this.tags };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Time and reporting

  /** Moves time on by `min`–`max` days, to business hours in China (01:00–11:00 UTC); stops at the end. */
  private after(min: number, max: number, business = true): void {
    let t = this.t + this.rng.between(min, max) * DAY_MS;
    if (business) {
      const day = Math.floor(t / DAY_MS) * DAY_MS;
      const hour = (t - day) / HOUR_MS;
      if (hour < 1 || hour > 11) t = day + (hour > 11 ? DAY_MS : 0) + this.rng.between(1, 11) * HOUR_MS;
    }
    this.at(t);
  }

  private at(t: number): void {
    if (t >= this.world.end - HOUR_MS) throw STOP;
    this.t = Math.max(this.t, t);
  }

  private emit(type: EventType | 'grant', by: number, payload: object = {}): void {
    if (type !== 'grant') this.at(reportable(this.world, type, this.t));
    this.steps.push({ t: this.t, by, type, payload: payload as Record<string, unknown> });
  }

  private day(t = this.t): number {
    return (t - this.world.start) / DAY_MS;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Factory: manufacture and certification

  private factory(fate: Fate): void {
    this.manufacture();
    if (fate === 'stock_manufactured' && this.rng.chance(0.6)) throw STOP;
    this.after(0.5, 8);
    if (this.rng.chance(0.03) || fate === 'stock_manufactured') {
      this.certify(false);
      const r = this.rng.next();
      if (r < 0.2 || fate === 'stock_manufactured') throw STOP;
      if (r < 0.32) {
        this.after(10, 60);
        this.decommission(this.maker);
        this.recycle();
      }
      this.after(7, 40);
      this.certify(true);
    } else this.certify(true);
    if (fate === 'stock_certified') throw STOP;
  }

  private manufacture(): void {
    const { rng } = this;
    const made = this.day() - rng.int(3, 20);
    for (const fitting of this.model.bom) {
      for (const position of fitting.positions) {
        const p = fitting.part;
        this.parts.push(p);
        this.components.push({
          kind: p.kind,
          ...(position === undefined ? {} : { position }),
          manufacturer: p.manufacturer,
          partNumber: p.partNumber,
          ...(p.serialised ? { serial: `${p.partNumber}-#-${positionCode(position)}` } : {}),
          lot: lotAt(p, made, this.world.start),
        });
      }
    }
    this.software = firmwareAt(this.model.maker, this.day());
    const produced = new Date(this.t - rng.int(0, 2) * DAY_MS).toISOString().slice(0, 10);
    this.emit('manufactured', this.maker, {
      productionDate: produced,
      plant: PLANTS[this.model.maker],
      components: this.components.map((c) => ({ ...c })),
      software: this.software.map((s) => ({ ...s })),
    });
    this.state = 'manufactured';
  }

  /** A certification by one of the certifiers; a pass is valid 3 years (a few provisional ones: 1 year). */
  private certify(pass: boolean): void {
    const certifier = this.rng.weighted(
      this.world.pop.of.certifier.map((c, i) => [c, i === 0 ? 3 : 2] as const),
    );
    const years = this.rng.chance(0.04) ? 1 : 3;
    const until = this.t + years * 365 * DAY_MS;
    this.emit('certified', certifier, {
      standard: certificationStandard(this.model),
      certificateNumber: documentNumber(this.world, certifier, this.t),
      result: pass ? 'pass' : 'fail',
      ...(pass ? { validUntil: new Date(until).toISOString() } : {}),
    });
    this.cert = { pass, until };
    if (pass && this.state === 'manufactured') this.state = 'certified';
  }

  /** No code, no market access: re-certified first when the certificate has run out. */
  private certified(): void {
    if (this.cert?.pass && this.cert.until > this.t + DAY_MS) return;
    this.certify(true);
    this.after(1, 5);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Distribution and sale

  private distribute(fate: Fate): void {
    const { rng } = this;
    const { of } = this.world.pop;
    const route = rng.next();
    if (route < 0.012) {
      this.after(5, 40);
      const [country, counterparty] = rng.pick(EXPORT_MARKETS);
      this.emit('exported', this.custodian, { country, counterparty });
      this.state = 'exported';
      this.tags |= TAG.exported;
      throw STOP;
    }
    if (route < 0.13) {
      this.after(2, 30);
      this.certified();
      this.sell(this.buyer());
    } else {
      const twoTier = route < 0.23;
      const first = twoTier ? rng.pick(of.distributor) : rng.pick([...of.distributor, ...of.seller]);
      this.after(2, 25);
      this.ship(first);
      this.after(1, 4);
      this.receive();
      if (twoTier) {
        this.after(3, 20);
        this.ship(rng.pick(of.seller));
        this.after(1, 3);
        this.receive();
      }
      if (rng.chance(0.004)) this.goMissing(false);
      if (fate === 'stock_distribution') throw STOP;
      this.after(5, 20 + rng.next() * 100);
      this.certified();
      this.sell(this.buyer());
      if (rng.chance(0.01)) this.returnToSeller();
    }
    if (fate === 'stock_sold') throw STOP;
  }

  private buyer(exclude = -1): number {
    const operators = this.world.pop.of.operator;
    for (;;) {
      const o = operators[drawCumulative(this.rng, this.world.buyers[this.model.category])]!;
      if (o !== exclude || operators.length === 1) return o;
    }
  }

  private ship(to: number): void {
    this.emit('shipped', this.custodian, { toOrgId: to });
    if (this.state !== 'decommissioned') this.state = 'in_distribution';
    this.custodian = to; // who reports next: the recipient, on receipt
  }

  private receive(): void {
    this.emit('received', this.custodian);
  }

  private sell(operator: number): void {
    this.emit('sold', this.custodian, { toOrgId: operator });
    this.state = 'sold';
    this.custodian = operator;
    this.operator = operator;
  }

  /** Sent back before it was put to work, and sold to someone else. */
  private returnToSeller(): void {
    const seller = this.rng.pick(this.world.pop.of.seller);
    this.after(3, 20);
    this.ship(seller);
    this.after(1, 4);
    this.receive();
    this.after(10, 60);
    this.certified();
    this.sell(this.buyer(this.operator));
  }

  // ---------------------------------------------------------------------------------------------------------
  // In use

  private use(): void {
    const { rng, world } = this;
    this.after(1, 30);
    let carriesRecalled = this.components.some(
      (c) => c.partNumber === world.recall.part.partNumber && c.lot === world.recall.lot,
    );
    if (carriesRecalled && this.t > world.recall.at) {
      // Recalled while in stock: the battery is swapped before the robot goes to work.
      this.service('repair', world.recall.part);
      this.after(0.5, 3);
      carriesRecalled = false;
    }
    this.certified();
    const op = world.pop.orgs[this.operator]!;
    const region = rng.chance(0.8) ? op.region : rng.pick(REGIONS).code;
    this.emit('activated', this.custodian, { siteType: rng.pick(siteTypesOf(op.sector!)), region });
    this.state = 'in_use';
    const contractor = world.contractor.get(this.operator);
    if (contractor !== undefined && rng.chance(0.12)) {
      this.after(0, 5);
      const until = this.t + 730 * DAY_MS;
      this.emit('grant', this.custodian, { serviceProviderId: contractor, validUntil: until });
      this.grant = { provider: contractor, grantor: this.custodian, until };
    }
    const next = {
      service: this.t + rng.between(60, 200) * DAY_MS,
      incident: rng.chance(0.045) ? this.t + rng.between(5, 600) * DAY_MS : INF,
      transfer: rng.chance(0.03) ? this.t + rng.between(60, 700) * DAY_MS : INF,
      missing: rng.chance(0.016) ? this.t + rng.between(20, 700) * DAY_MS : INF,
      export: rng.chance(0.03) ? this.t + rng.between(30, 600) * DAY_MS : INF,
      recall: carriesRecalled && world.recall.at > this.t ? world.recall.at : INF,
      recertify: this.cert ? this.cert.until - rng.between(20, 40) * DAY_MS : INF,
      end: rng.chance(0.3) ? this.t + rng.between(150, 1000) * DAY_MS : INF,
    };
    const maxServices = rng.weighted([
      [0, 0.15],
      [1, 0.25],
      [2, 0.25],
      [3, 0.2],
      [4, 0.15],
    ] as const);
    for (;;) {
      const [what, when] = Object.entries(next).reduce((a, b) => (b[1] < a[1] ? b : a));
      if (when === INF) throw STOP;
      this.at(when);
      const key = what as keyof typeof next;
      next[key] = INF;
      const blocked =
        this.suspension !== null && (key === 'transfer' || key === 'missing' || key === 'export');
      if (blocked) {
        next[key] = this.t + rng.between(30, 90) * DAY_MS;
        continue;
      }
      switch (key) {
        case 'service':
          if (this.services >= maxServices) break;
          this.service(
            rng.weighted([
              ['maintenance', 45],
              ['inspection', 20],
              ['repair', 17],
              ['firmware_update', 18],
            ] as const),
          );
          next.service = this.t + rng.between(90, 240) * DAY_MS;
          break;
        case 'incident':
          this.incident();
          break;
        case 'transfer':
          this.transfer();
          break;
        case 'missing':
          this.goMissing(true);
          break;
        case 'export':
          this.exportAndMaybeReturn();
          break;
        case 'recall':
          this.recall();
          break;
        case 'recertify':
          if (rng.chance(0.85)) {
            this.certify(true);
            next.recertify = this.cert!.until - rng.between(20, 40) * DAY_MS;
          }
          break;
        case 'end':
          this.decommission(rng.chance(0.95) ? this.custodian : rng.pick(world.pop.of.regulator));
          if (rng.chance(0.7)) this.recycle();
          throw STOP;
      }
    }
  }

  /** Who reports service: the contracted provider while its authorisation holds, else the custodian. */
  private servicer(): number {
    const g = this.grant;
    const weekMargin = 7 * DAY_MS;
    if (g && g.grantor === this.custodian && this.t + weekMargin < g.until) {
      this.tags |= TAG.providerServiced;
      return g.provider;
    }
    return this.custodian;
  }

  private service(kind: 'maintenance' | 'inspection' | 'repair' | 'firmware_update', part?: Part): void {
    const { rng } = this;
    const payload: Record<string, unknown> = { kind };
    if (kind === 'repair') {
      const candidates = this.components
        .map((c, i) => i)
        .filter((i) => (part ? this.parts[i] === part : this.components[i]!.serial !== undefined));
      const count = part || rng.chance(0.7) ? 1 : 2;
      const replaced = [];
      for (let k = 0; k < count && candidates.length > 0; k++) {
        const i = candidates.splice(rng.int(0, candidates.length - 1), 1)[0]!;
        const old = this.components[i]!;
        const p = this.parts[i]!;
        const fitted: Component = {
          ...old,
          ...(p.serialised ? { serial: `${p.partNumber}-#-S${++this.spares}` } : {}),
          lot: lotAt(p, this.day() - rng.int(5, 30), this.world.start),
        };
        if (!p.serialised) delete fitted.serial;
        this.components[i] = fitted;
        replaced.push({ old: { ...old }, new: { ...fitted } });
      }
      payload.replaced = replaced;
      this.tags |= TAG.repaired;
    }
    const latest = firmwareAt(this.model.maker, this.day());
    const newer = latest.filter(
      (s) => !this.software.some((c) => c.target === s.target && c.version === s.version),
    );
    if (kind === 'firmware_update' && newer.length === 0) payload.kind = kind = 'inspection';
    if (newer.length > 0 && (kind === 'firmware_update' || rng.chance(0.35))) {
      payload.software = newer;
      this.software = latest;
    }
    const first = (payload.replaced as { new: Component }[] | undefined)?.[0]?.new.kind;
    payload.description = serviceText(rng, kind, first, part !== undefined);
    this.services++;
    this.tags |= TAG.serviced;
    const by = this.servicer();
    this.emit('serviced', by, payload);
    if (kind === 'maintenance' && !payload.software && this.entryMistaken()) {
      // Entered against the wrong robot: its reporter declares it did not occur (a correction, at once).
      this.emit('corrected', by, {
        correctsStep: this.steps.length - 1,
        reason: 'did_not_occur',
        explanation: '录入错误：保养记录录入了错误的机器人 (entered against the wrong robot)',
      });
    }
  }

  /**
   * About one maintenance entry in 25 is a mistake. Decided by the time, not drawn from the generator: a draw would
   * change every life after it, and the population a seed gives.
   */
  private entryMistaken(): boolean {
    return Math.floor(this.t / 60_000) % 25 === 0;
  }

  private incident(): void {
    const { rng } = this;
    const payload = incidentPayload(rng);
    const by = this.grant && rng.chance(0.3) ? this.servicer() : this.custodian;
    this.tags |= TAG.incident;
    this.emit('incident_reported', by, payload);
    const serious = payload.severity === 'serious' || payload.severity === 'critical';
    if (serious && this.suspension === null && rng.chance(0.4)) {
      this.after(0, 1, false);
      const regulator = rng.pick(this.world.pop.of.regulator);
      const order = documentNumber(this.world, regulator, this.t, 4);
      this.suspend(regulator, order, '事故调查期间停止使用 (stop use pending incident investigation)');
      if (rng.chance(0.3)) {
        this.after(5, 60);
        this.decommission(regulator);
        if (rng.chance(0.6)) this.recycle();
        throw STOP;
      }
      this.after(3, 30);
      this.service('repair');
      this.after(2, 20);
      this.reinstate(regulator, order);
    } else if (rng.chance(0.6)) {
      this.after(1, 14);
      this.service('repair');
    }
  }

  private suspend(regulator: number, orderNumber: string, reason: string): void {
    this.emit('suspended', regulator, { orderNumber, reason });
    this.suspension = orderNumber;
  }

  private reinstate(regulator: number, orderNumber: string): void {
    this.emit('reinstated', regulator, {
      orderNumber,
      note: '整改完成，恢复使用 (corrective action completed)',
    });
    this.suspension = null;
  }

  /** The recalled battery lot: stop-use order, battery swap, reinstatement (most of them, so far). */
  private recall(): void {
    const { recall } = this.world;
    if (this.state !== 'in_use' || this.suspension !== null) return;
    this.at(recall.at + this.rng.between(0, 6) * HOUR_MS);
    this.suspend(
      recall.regulator,
      recall.orderNumber,
      `电池组批次 ${recall.lot} 存在热失控风险 (battery lot ${recall.lot}: thermal runaway risk)`,
    );
    this.tags |= TAG.recalled;
    if (this.rng.chance(0.15)) return;
    this.after(3, 40);
    this.service('repair', recall.part);
    this.after(1, 10);
    this.reinstate(recall.regulator, recall.orderNumber);
  }

  private transfer(): void {
    const to = this.buyer(this.custodian);
    this.emit('ownership_transferred', this.custodian, { toOrgId: to });
    this.custodian = to;
    this.operator = to;
    this.tags |= TAG.transferred;
  }

  /** Lost or stolen; some come back, some are written off, the rest stay missing. */
  private goMissing(inUse: boolean): void {
    const { rng } = this;
    const stolen = rng.chance(0.5);
    const before = this.state;
    const reporter = () => (rng.chance(0.85) ? this.custodian : rng.pick(this.world.pop.of.regulator));
    this.after(0, 2, false);
    this.emit(stolen ? 'reported_stolen' : 'reported_lost', reporter());
    this.state = stolen ? 'stolen' : 'lost';
    if (stolen) this.tags |= TAG.stolen;
    const r = rng.next();
    if (r < 0.45) {
      this.after(3, 60, false);
      this.emit('recovered', reporter());
      this.state = before;
      return;
    }
    if (inUse && r < 0.65) {
      this.after(30, 180);
      this.decommission(this.custodian);
    }
    throw STOP;
  }

  private exportAndMaybeReturn(): void {
    const { rng } = this;
    const [country, counterparty] = rng.pick(EXPORT_MARKETS);
    this.emit('exported', this.custodian, { country, counterparty });
    this.state = 'exported';
    this.tags |= TAG.exported;
    if (!rng.chance(0.35)) throw STOP;
    this.after(30, 400);
    this.emit('imported', this.operator, { country, counterparty });
    this.state = 'in_use';
    this.custodian = this.operator;
  }

  // ---------------------------------------------------------------------------------------------------------
  // End of life

  private decommission(by: number): void {
    this.emit('decommissioned', by, {
      note: by === this.custodian ? '退役 (end of service)' : '监管机构责令退役 (ordered by the regulator)',
    });
    this.state = 'decommissioned';
  }

  /** Shipped to a recycler, received, taken apart. */
  private recycle(): void {
    const recycler = this.rng.pick(this.world.pop.of.recycler);
    this.after(5, 90);
    this.ship(recycler);
    this.after(1, 5);
    this.receive();
    this.after(5, 60);
    this.emit('recycled', recycler, recycledPayload(this.rng, this.components, this.model));
    this.state = 'recycled';
    this.tags |= TAG.recycled;
    throw STOP;
  }
}

/** A robot that is never built: its ID was issued; a few get a stop-use order (licence under review). */
export function issuedLife(world: World, suspendAt: number | null): Life {
  if (suspendAt === null) return { steps: [], final: 'issued', tags: 0 };
  const regulator = world.pop.of.regulator[0]!;
  const orderNumber = `${world.pop.orgs[regulator]!.prefix}-${new Date(suspendAt).getUTCFullYear()}-0077`;
  const reason = '生产许可复核期间冻结未生产编号 (unbuilt IDs frozen during a production licence review)';
  return {
    steps: [{ t: suspendAt, by: regulator, type: 'suspended', payload: { orderNumber, reason } }],
    final: 'issued',
    tags: 0,
  };
}
