/**
 * The capture loop: the registry's clock moves a week at a time; at each week's end the organisations report that
 * week's events, reporter by reporter in flow order (makers, certifiers, sellers, operators, their service
 * authorisations, service providers, regulators, recyclers), round after round until every robot's week is in.
 * A robot's events thus reach the registry in time order even when one needs another reporter than the last.
 */
import { captureEvents, MAX_BATCH, type CaptureResult } from '../app/capture/index.js';
import type { Actor, AppContext } from '../app/context.js';
import { issueIds } from '../app/issuance.js';
import { registerModel } from '../app/models.js';
import { authoriseService } from '../app/service-authorisations.js';
import { DomainError } from '../domain/errors.js';
import type { EventType } from '../domain/lifecycle/events.js';
import { MODELS } from './catalogue.js';
import type { Step } from './lives.js';
import type { Plan } from './plan.js';
import { FLOW_ORDER, type OrgKind, type Population } from './population.js';
import { WINDOW_MS } from './world.js';

/** An organisation of the demo as admitted: its id, and its key. */
export interface Member {
  id: string;
  actor: Actor;
  token: string;
}

export interface DemoProgress {
  /** The week being reported. */
  week: string;
  robots: number;
  events: number;
  eventsPerSecond: number;
}

/** A rejected event: the generator broke a rule of the state machine. */
export class DemoGeneratorError extends Error {
  constructor(
    message: string,
    readonly details: string[],
  ) {
    super(message);
    this.name = 'DemoGeneratorError';
  }
}

interface Item {
  robot: number;
  index: number;
  step: Step;
}

/** Weeks in order; in each, rounds over the reporters in flow order until every robot's week is reported. */
export class CaptureLoop {
  readonly robotIds: string[];
  readonly byType = new Map<EventType, number>();
  events = 0;
  grants = 0;
  /** captureEvents calls. */
  batches = 0;
  /** Events the registry flagged as reported after their deadline. */
  late = 0;
  seconds = 0;
  private readonly tokens: string[];
  private readonly next: Int32Array;
  private readonly waiting: number[][];
  /** Reporting channels in flow order: each organisation's events; after the operators, their grants. */
  private readonly captureChannel: number[];
  private readonly grantChannel: number[];
  private readonly channelOrg: number[] = [];
  private started = 0;
  private lastProgress = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly pop: Population,
    private readonly plan: Plan,
    private readonly members: Member[],
    private readonly start: number,
    private readonly windows: number,
    private readonly setClock: (t: number) => void,
    private readonly onProgress?: (p: DemoProgress) => void,
    /** Runs at the start of each window (with the clock there), before its reports. */
    private readonly beforeWindow?: (start: number) => Promise<void>,
  ) {
    const robots = plan.lives.length;
    this.robotIds = new Array<string>(robots).fill('');
    this.tokens = new Array<string>(robots).fill('');
    this.next = new Int32Array(robots);
    this.waiting = Array.from({ length: windows }, () => []);
    this.captureChannel = new Array<number>(pop.orgs.length).fill(-1);
    this.grantChannel = new Array<number>(pop.orgs.length).fill(-1);
    const kinds: (OrgKind | 'grants')[] = [...FLOW_ORDER];
    kinds.splice(kinds.indexOf('operator') + 1, 0, 'grants');
    for (const kind of kinds) {
      const grants = kind === 'grants';
      for (const org of pop.of[grants ? 'operator' : kind]) {
        (grants ? this.grantChannel : this.captureChannel)[org] = this.channelOrg.length;
        this.channelOrg.push(org);
      }
    }
    plan.lives.forEach((life, r) => {
      const first = life.steps[0];
      if (first) this.waiting[this.windowOf(first.t)]!.push(r);
    });
  }

  private windowOf(t: number) {
    return Math.floor((t - this.start) / WINDOW_MS);
  }

  private channelOf(step: Step) {
    return step.type === 'grant' ? this.grantChannel[step.by]! : this.captureChannel[step.by]!;
  }

  async run(): Promise<void> {
    const began = Date.now();
    for (let w = 0; w < this.windows; w++) {
      this.setClock(this.start + w * WINDOW_MS);
      await this.beforeWindow?.(this.start + w * WINDOW_MS);
      await this.issue(w);
      this.setClock(this.start + (w + 1) * WINDOW_MS);
      const queues: number[][] = this.channelOrg.map(() => []);
      for (const r of this.waiting[w]!)
        queues[this.channelOf(this.plan.lives[r]!.steps[this.next[r]!]!)]!.push(r);
      this.waiting[w] = [];
      for (let busy = true; busy;) {
        busy = false;
        for (let ch = 0; ch < queues.length; ch++) {
          const robots = queues[ch]!;
          if (robots.length === 0) continue;
          queues[ch] = [];
          busy = true;
          await this.report(ch, this.take(robots, ch, w));
          for (const r of robots) {
            const step = this.plan.lives[r]!.steps[this.next[r]!];
            if (!step) continue;
            const sw = this.windowOf(step.t);
            if (sw === w) queues[this.channelOf(step)]!.push(r);
            else this.waiting[sw]!.push(r);
          }
        }
      }
      this.progress(w, Date.now() - began);
    }
    this.seconds = (Date.now() - began) / 1000;
  }

  /** Each robot's next steps on this channel in this window, in order. */
  private take(robots: number[], ch: number, w: number): Item[] {
    const items: Item[] = [];
    for (const r of robots) {
      const steps = this.plan.lives[r]!.steps;
      for (let i = this.next[r]!; i < steps.length; i++) {
        const step = steps[i]!;
        if (this.channelOf(step) !== ch || this.windowOf(step.t) !== w) break;
        items.push({ robot: r, index: i, step });
        this.next[r] = i + 1;
      }
    }
    return items;
  }

  /** Registers the models and issues the ID blocks due at the start of this window. */
  private async issue(w: number): Promise<void> {
    for (const [m, model] of MODELS.entries()) {
      if (this.plan.modelWindow[m] !== w) continue;
      const maker = this.members[this.pop.of.manufacturer[model.maker]!]!;
      const exists = await this.ctx.store.read(async (r) => {
        const org = await r.getOrganisation(maker.id);
        return org?.enterpriseCode ? r.getModel(org.enterpriseCode, model.code) : null;
      });
      if (!exists) {
        const { maker: _m, code, name, category, capabilityLevel, specs } = model;
        await registerModel(this.ctx, maker.actor, { code, name, category, capabilityLevel, ...specs });
      }
    }
    for (const block of this.plan.blocks) {
      if (block.window !== w) continue;
      const model = MODELS[block.model]!;
      const maker = this.members[this.pop.of.manufacturer[model.maker]!]!;
      const { ids } = await issueIds(this.ctx, maker.actor, {
        model: model.code,
        count: block.robots.length,
      });
      block.robots.forEach((r, i) => {
        const id = ids[i]!.slice(0, 29);
        this.robotIds[r] = id;
        this.tokens[r] = `${model.code}${Number(id.slice(13)).toString(36).toUpperCase()}`;
      });
    }
  }

  private async report(ch: number, items: Item[]): Promise<void> {
    const org = this.channelOrg[ch]!;
    const member = this.members[org]!;
    if (ch === this.grantChannel[org]) {
      for (const { robot, step } of items) {
        const p = step.payload as { serviceProviderId: number; validUntil: number };
        const grant = {
          serviceProviderId: this.members[p.serviceProviderId]!.id,
          validFrom: new Date(step.t).toISOString(),
          validUntil: new Date(p.validUntil).toISOString(),
        };
        try {
          await authoriseService(this.ctx, member.actor, this.robotIds[robot]!, grant);
        } catch (error) {
          if (!(error instanceof DomainError) || error.kind === 'unavailable') throw error;
          throw new DemoGeneratorError(
            `the registry refused a service authorisation from ${this.pop.orgs[org]!.name}: the demo generator has a bug`,
            [`robot ${this.robotIds[robot]}: ${JSON.stringify(grant)}`, `${error.code}: ${error.message}`],
          );
        }
        this.grants++;
      }
      return;
    }
    for (let from = 0; from < items.length; from += MAX_BATCH) {
      const chunk = items.slice(from, from + MAX_BATCH);
      const events = chunk.map((item) => this.event(item));
      this.batches++;
      try {
        const result = await captureEvents(this.ctx, member.actor, events, 'rollback');
        for (const r of result.results) if (r.late) this.late++;
      } catch (error) {
        // A refused batch answers with every event's result; anything else (a busy database) is no generator bug.
        if (!(error instanceof DomainError) || error.extensions.results === undefined) throw error;
        throw this.rejected(error, chunk, events, org);
      }
      for (const { step } of chunk) {
        const type = step.type as EventType;
        this.byType.set(type, (this.byType.get(type) ?? 0) + 1);
        if (type === 'manufactured') this.started++;
      }
      this.events += chunk.length;
    }
  }

  /** The event as a reporter sends it: organisations by id, serials with the robot's own token. */
  private event({ robot, index, step }: Item) {
    const robotId = this.robotIds[robot]!;
    const token = this.tokens[robot]!;
    const serial = <T extends { serial?: string }>(c: T): T =>
      c.serial === undefined ? c : { ...c, serial: c.serial.replace('#', token) };
    const p = { ...step.payload };
    if (typeof p.toOrgId === 'number') p.toOrgId = this.members[p.toOrgId]!.id;
    if (typeof p.correctsStep === 'number') {
      p.correctsEventId = `dm-${robotId}-${p.correctsStep}`;
      delete p.correctsStep;
    }
    if (Array.isArray(p.components)) p.components = (p.components as { serial?: string }[]).map(serial);
    if (Array.isArray(p.replaced)) {
      p.replaced = (p.replaced as { old: { serial?: string }; new: { serial?: string } }[]).map((x) => ({
        old: serial(x.old),
        new: serial(x.new),
      }));
    }
    return {
      eventId: `dm-${robotId}-${index}`,
      type: step.type,
      robotId,
      eventTime: new Date(step.t).toISOString(),
      payload: p,
    };
  }

  private rejected(error: DomainError, chunk: Item[], events: unknown[], org: number): DemoGeneratorError {
    const results = (error.extensions.results as CaptureResult['results'] | undefined) ?? [];
    const details = results
      .filter((r) => r.outcome === 'rejected')
      .slice(0, 5)
      .flatMap((r) => {
        const item = chunk[r.index]!;
        const life = this.plan.lives[item.robot]!;
        return [
          `event ${r.index}: ${JSON.stringify(events[r.index])}`,
          `  rejected: ${r.problem?.code}: ${r.problem?.message}`,
          `  robot's planned life: ${life.steps.map((s) => `${s.type}@${new Date(s.t).toISOString().slice(0, 10)} by ${this.pop.orgs[s.by]!.kind}`).join(', ')}`,
        ];
      });
    if (details.length === 0) details.push(`${error.code}: ${error.message}`);
    return new DemoGeneratorError(
      `the registry rejected an event from ${this.pop.orgs[org]!.name}: the demo generator has a bug`,
      details,
    );
  }

  private progress(w: number, elapsedMs: number) {
    if (!this.onProgress) return;
    const now = Date.now();
    if (now - this.lastProgress < 2000 && w < this.windows - 1) return;
    this.lastProgress = now;
    this.onProgress({
      week: new Date(this.start + w * WINDOW_MS).toISOString().slice(0, 10),
      robots: this.started,
      events: this.events,
      eventsPerSecond: Math.round(this.events / Math.max(0.001, elapsedMs / 1000)),
    });
  }
}
