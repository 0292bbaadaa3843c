import { DomainError } from '../../domain/errors.js';
import { isLate } from '../../domain/lifecycle/deadlines.js';
import type { Component, CorrectedPayload, ReportedEvent, Reporter } from '../../domain/lifecycle/events.js';
import { applyEvent, initialStatus, replay, type MachineContext } from '../../domain/lifecycle/machine.js';
import type { Rejection, RobotStatus } from '../../domain/lifecycle/status.js';
import { saltSource } from '../../log/leaf.js';
import {
  serialisedPartKey,
  type NewEvent,
  type SerialisedPart,
  type StoredEvent,
  type Tx,
} from '../../store/store.js';
import { isoNow, type Actor, type AppContext } from '../context.js';
import { assertRecallAllowsReinstatement } from '../recalls/stop-use.js';
import { recordDerived } from './derived.js';
import type { Prepared, PreparedEvent } from './prepare.js';
import { rejectedBy, type EventResult } from './results.js';
import { stampOf, type LogStamp } from './stamp.js';

interface RobotState {
  robotId: string;
  status: RobotStatus;
  /** Events of this robot accepted earlier in this batch, in order (for corrections). */
  pending: NewEvent[];
  softwareChanged: boolean;
}

/** Components fitted or removed by the accepted event at `acceptedIndex` of the batch. */
interface PendingPartChange {
  acceptedIndex: number;
  robotId: string;
  fitted: Component[];
  removed: Component[];
}

const partKey = (p: Component) =>
  `${p.kind}\u0000${p.position}\u0000${p.partNumber}\u0000${p.serial}\u0000${p.lot}`;

/** What `after` has that `before` has not, and the reverse, counting duplicates. */
function diffParts(before: Component[], after: Component[]) {
  if (before.length === 0) return { fitted: after, removed: [] };
  const left = new Map<string, Component[]>();
  for (const p of before) {
    const key = partKey(p);
    const same = left.get(key);
    if (same) same.push(p);
    else left.set(key, [p]);
  }
  const fitted: Component[] = [];
  for (const p of after) {
    const same = left.get(partKey(p));
    if (same && same.length > 0) same.pop();
    else fitted.push(p);
  }
  return { fitted, removed: [...left.values()].flat() };
}

const nextSalt = saltSource();

/** The serialised parts an event fits: a manufactured robot's components, a service's replacements. */
function serialisedPartsFitted(event: ReportedEvent): SerialisedPart[] {
  const fitted =
    event.type === 'manufactured'
      ? event.payload.components
      : event.type === 'serviced'
        ? (event.payload.replaced ?? []).map((r) => r.new)
        : [];
  return fitted.flatMap((p) => (p.serial ? [{ partNumber: p.partNumber, serial: p.serial }] : []));
}

/** Events that name another organisation as the robot's next holder or operator. */
const hasCounterparty = (
  event: ReportedEvent,
): event is Extract<ReportedEvent, { type: 'shipped' | 'sold' | 'ownership_transferred' }> =>
  event.type === 'shipped' || event.type === 'sold' || event.type === 'ownership_transferred';

const eventIdReused = (eventId: string, at: string) =>
  new DomainError(
    'conflict',
    'event-id-reused',
    `event id ${eventId} was used before for different content`,
    [{ field: `${at}/eventId`, message: 'already used with other content' }],
  );

const keyOf = (p: Component) => serialisedPartKey({ partNumber: p.partNumber, serial: p.serial! });

/** The state of one capture: robots touched so far and the events waiting to be written. */
export class Batch {
  private readonly robots = new Map<string, RobotState | null>();
  private readonly accepted: NewEvent[] = [];
  /** The robot's status before and after each accepted event (same index as `accepted`). */
  private readonly transitions: { before: RobotStatus; after: RobotStatus }[] = [];
  private readonly partChanges: PendingPartChange[] = [];
  /** Serialised parts (`keyOf`) fitted in this batch → robot. */
  private readonly fittedInBatch = new Map<string, string>();
  private readonly removedInBatch = new Set<string>();
  /** Where the parts this batch fits were fitted when it began (null: nowhere), read by `prefetch`. */
  private readonly fittedBefore = new Map<string, string | null>();
  /** Each valid event as reported, its payload parsed once. */
  private readonly reported = new Map<PreparedEvent, ReportedEvent>();
  private readonly orgRoles = new Map<string, ReadonlySet<string> | null>();
  /** Results of events sent twice in this batch, and the accepted event each repeats. */
  private readonly duplicatesInBatch: { result: EventResult; of: NewEvent }[] = [];
  private readonly recordTime: string;

  constructor(
    private readonly ctx: AppContext,
    private readonly tx: Tx,
    private readonly actor: Actor,
    private readonly stamp: LogStamp | undefined,
  ) {
    this.recordTime = stamp?.recordTime ?? isoNow(ctx);
  }

  /**
   * Reads at once what the batch's events will ask for: the robots' snapshots (or, for robots without events yet,
   * their issuance) and where the serialised parts they fit are now. On a database server a round trip per robot
   * and per part would be most of a batch's time.
   */
  async prefetch(items: Prepared[]): Promise<void> {
    const ids = new Set<string>();
    const parts: SerialisedPart[] = [];
    for (const item of items) {
      if (!item.ok) continue;
      ids.add(item.prepared.robotId);
      parts.push(...serialisedPartsFitted(this.reportedEvent(item.prepared)));
    }
    const unseen = [...ids].filter((id) => !this.robots.has(id));
    const statuses = await this.tx.getRobotStatuses(unseen);
    const fresh = unseen.filter((id) => !statuses.has(id));
    const issued = fresh.length > 0 ? await this.tx.getRobots(fresh) : new Map();
    for (const robotId of unseen) {
      const manufacturerId = issued.get(robotId)?.manufacturerId;
      const status = statuses.get(robotId) ?? (manufacturerId ? initialStatus(manufacturerId) : null);
      this.robots.set(robotId, status ? { robotId, status, pending: [], softwareChanged: false } : null);
    }
    const holders = await this.tx.findFittedComponents(parts);
    for (const part of parts) {
      const key = serialisedPartKey(part);
      this.fittedBefore.set(key, holders.get(key) ?? null);
    }
  }

  async take(item: Prepared): Promise<EventResult> {
    if (!item.ok) return item.result;
    const { index, eventId } = item.prepared;
    try {
      return await this.takeValid(item.prepared, `/events/${index}`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return rejectedBy(error, index, eventId);
    }
  }

  private async takeValid(prepared: PreparedEvent, at: string): Promise<EventResult> {
    const { index, robotId, payloadJson } = prepared;
    const event = this.reportedEvent(prepared);
    const contentHash = Buffer.from(prepared.contentHash, 'hex');
    // An id the registry made up now cannot have been used before; only a client's own id needs the lookup.
    const earlier = prepared.clientEventId ? await this.findEarlier(robotId, event.eventId) : null;
    if (earlier && earlier.orgId === this.actor.orgId)
      return this.duplicateOf(earlier, contentHash, index, at);

    const robot = this.robots.has(robotId) ? this.robots.get(robotId)! : await this.robot(robotId);
    if (!robot)
      throw new DomainError('not_found', 'robot-not-found', `no robot ${robotId} has been issued`, [
        { field: `${at}/robotId`, message: 'not issued' },
      ]);
    // Most events need neither lookup: the checks below are asked for only when they apply (no promise to await).
    if (hasCounterparty(event)) await this.checkCounterparty(event, at);
    const reporter: Reporter = { orgId: this.actor.orgId, keyId: this.actor.keyId, roles: this.actor.roles };
    const authorisedForService = this.reportsForCustodian(robot, event)
      ? await this.authorisedForService(robotId, robot, event)
      : false;
    const machine: MachineContext = { reporter, authorisedForService, now: this.ctx.now() };
    const outcome =
      event.type === 'corrected'
        ? await this.correct(robotId, robot, event, machine, at)
        : applyEvent(robot.status, event, machine);
    if (!outcome.ok) throw fromRejection(outcome.rejection, at);
    // Another organisation's event id is named only to a caller who may write this robot (and so read its
    // history): one who may not hears what an unused id would get, so that ids cannot be probed.
    if (earlier) throw eventIdReused(earlier.eventId, at);
    if (event.type === 'reinstated')
      await assertRecallAllowsReinstatement(
        this.tx,
        robotId,
        event.payload.orderNumber,
        `${at}/payload/orderNumber`,
      );

    const stored: NewEvent = {
      robotId,
      eventId: event.eventId,
      type: event.type,
      eventTime: event.eventTime,
      recordTime: this.recordTime,
      orgId: this.actor.orgId,
      keyId: this.actor.keyId,
      payload: event.payload,
      payloadJson,
      contentHash,
      ...(this.stamp
        ? stampOf(this.stamp, index)
        : {
            late: isLate(this.ctx.deadlines[event.type], event.eventTime, this.recordTime),
            salt: nextSalt(),
          }),
    };
    const parts = this.trackParts(robot, outcome.status, at);
    if (parts) await parts;
    this.accepted.push(stored);
    this.transitions.push({ before: robot.status, after: outcome.status });
    robot.pending.push(stored);
    robot.status = outcome.status;
    return {
      index,
      eventId: event.eventId,
      outcome: 'accepted',
      recordTime: this.recordTime,
      late: stored.late,
    };
  }

  private reportedEvent(prepared: PreparedEvent): ReportedEvent {
    let event = this.reported.get(prepared);
    if (!event) {
      event = {
        eventId: prepared.eventId,
        type: prepared.type,
        robotId: prepared.robotId,
        eventTime: prepared.eventTime,
        payload: JSON.parse(prepared.payloadJson) as unknown,
      } as ReportedEvent;
      this.reported.set(prepared, event);
    }
    return event;
  }

  /**
   * Writes the accepted events (in order), each touched robot's new status and what is derived from the events
   * (src/app/capture/derived.ts); fills in their seq.
   */
  async commit(results: EventResult[]): Promise<void> {
    if (this.accepted.length === 0) return;
    const seqs = await this.tx.insertEvents(this.accepted);
    const lastSeq = new Map<string, number>();
    this.accepted.forEach((e, i) => lastSeq.set(e.robotId, seqs[i]!));
    let next = 0;
    for (const result of results) if (result.outcome === 'accepted') result.seq = seqs[next++];
    for (const { result, of } of this.duplicatesInBatch) result.seq = seqs[this.accepted.indexOf(of)];
    const touched = [...lastSeq].map(([robotId, seq]) => ({ robot: this.robots.get(robotId)!, seq }));
    await this.tx.putRobotStatuses(
      touched.map(({ robot, seq }) => ({ robotId: robot.robotId, status: robot.status, lastSeq: seq })),
    );
    await this.tx.putSoftware(
      touched
        .filter(({ robot }) => robot.softwareChanged)
        .map(({ robot }) => ({ robotId: robot.robotId, software: robot.status.software })),
    );
    await this.tx.recordComponentChanges(
      this.partChanges.map((c) => ({
        robotId: c.robotId,
        seq: seqs[c.acceptedIndex]!,
        fitted: c.fitted,
        removed: c.removed,
      })),
    );
    await recordDerived(
      this.tx,
      this.ctx,
      this.accepted.map((event, i) => ({ event, seq: seqs[i]!, ...this.transitions[i]! })),
    );
  }

  /**
   * Notes the parts an event fits or removes; a serialised part may be fitted in one robot at a time. Synchronous
   * unless a part's holder must be looked up (one a correction refits, say): then a promise to await.
   */
  private trackParts(robot: RobotState, after: RobotStatus, at: string): Promise<void> | undefined {
    const before = robot.status;
    if (after.software !== before.software) robot.softwareChanged = true;
    if (after.components === before.components) return undefined;
    const { fitted, removed } = diffParts(before.components, after.components);
    const unknown = fitted.filter((p) => p.serial && this.holderBefore(p) === undefined);
    if (unknown.length === 0) return this.noteParts(robot, fitted, removed, at);
    return Promise.all(
      unknown.map(async (p) =>
        this.fittedBefore.set(keyOf(p), await this.tx.findFittedComponent(p.partNumber, p.serial!)),
      ),
    ).then(() => this.noteParts(robot, fitted, removed, at));
  }

  private noteParts(robot: RobotState, fitted: Component[], removed: Component[], at: string): undefined {
    for (const p of fitted) if (p.serial) this.assertNotFittedElsewhere(robot.robotId, p, at);
    for (const p of removed) {
      if (!p.serial) continue;
      this.fittedInBatch.delete(keyOf(p));
      this.removedInBatch.add(keyOf(p));
    }
    for (const p of fitted) if (p.serial) this.fittedInBatch.set(keyOf(p), robot.robotId);
    this.partChanges.push({ acceptedIndex: this.accepted.length, robotId: robot.robotId, fitted, removed });
    return undefined;
  }

  private assertNotFittedElsewhere(robotId: string, part: Component, at: string) {
    const holder = this.holderBefore(part);
    if (holder && holder !== robotId) {
      throw new DomainError(
        'conflict',
        'component-fitted-elsewhere',
        `${part.partNumber} serial ${part.serial} is fitted in robot ${holder}`,
        [{ field: `${at}/payload`, message: `part ${part.partNumber} ${part.serial} is in another robot` }],
      );
    }
  }

  /**
   * The robot a serialised part is fitted in before this event: as this batch left it, else as the batch found it
   * (read by `prefetch`, or since); undefined when not known yet.
   */
  private holderBefore(part: Component): string | null | undefined {
    const key = keyOf(part);
    return this.fittedInBatch.get(key) ?? (this.removedInBatch.has(key) ? null : this.fittedBefore.get(key));
  }

  /** Whether the event is service or an incident reported by someone other than the robot's custodian. */
  private reportsForCustodian(robot: RobotState, event: ReportedEvent): boolean {
    if (event.type !== 'serviced' && event.type !== 'incident_reported') return false;
    return robot.status.custodianId !== this.actor.orgId;
  }

  /** Whether the reporter (see reportsForCustodian) was authorised by the custodian then and now. */
  private async authorisedForService(
    robotId: string,
    robot: RobotState,
    event: ReportedEvent,
  ): Promise<boolean> {
    const custodian = robot.status.custodianId;
    const at = (t: string) => this.tx.isAuthorisedForService(robotId, this.actor.orgId, custodian, t);
    return (await at(event.eventTime)) && (await at(this.recordTime));
  }

  private async findEarlier(robotId: string, eventId: string): Promise<NewEvent | StoredEvent | null> {
    const inBatch = this.robots.get(robotId)?.pending.find((e) => e.eventId === eventId);
    return inBatch ?? (await this.tx.findEvent(robotId, eventId));
  }

  /** The same event sent again answers as the first time; the same id with other content is a conflict. */
  private duplicateOf(
    earlier: NewEvent | StoredEvent,
    contentHash: Buffer,
    index: number,
    at: string,
  ): EventResult {
    if (!earlier.contentHash.equals(contentHash)) throw eventIdReused(earlier.eventId, at);
    const result: EventResult = {
      index,
      eventId: earlier.eventId,
      outcome: 'duplicate',
      recordTime: earlier.recordTime,
      late: earlier.late,
    };
    if ('seq' in earlier) result.seq = earlier.seq;
    else this.duplicatesInBatch.push({ result, of: earlier }); // its seq is known at commit
    return result;
  }

  private async robot(robotId: string): Promise<RobotState | null> {
    if (this.robots.has(robotId)) return this.robots.get(robotId)!;
    const status = await this.tx.getRobotStatus(robotId);
    const issued = status ? null : await this.tx.getRobot(robotId);
    const initial = status ?? (issued ? initialStatus(issued.manufacturerId) : null);
    const state: RobotState | null = initial
      ? { robotId, status: initial, pending: [], softwareChanged: false }
      : null;
    this.robots.set(robotId, state);
    return state;
  }

  private async roles(orgId: string): Promise<ReadonlySet<string> | null> {
    if (!this.orgRoles.has(orgId)) {
      const org = await this.tx.getOrganisation(orgId);
      this.orgRoles.set(orgId, org ? new Set(org.roles) : null);
    }
    return this.orgRoles.get(orgId)!;
  }

  /** A transfer names an organisation that exists; a sale, one that operates robots. */
  private async checkCounterparty(event: ReportedEvent, at: string): Promise<void> {
    if (!hasCounterparty(event)) return;
    const field = `${at}/payload/toOrgId`;
    const roles = await this.roles(event.payload.toOrgId);
    if (!roles)
      throw new DomainError('invalid', 'unknown-organisation', `no organisation ${event.payload.toOrgId}`, [
        { field, message: 'not a registered organisation' },
      ]);
    if (event.type !== 'shipped' && !roles.has('operator')) {
      throw new DomainError(
        'invalid',
        'not-an-operator',
        `${event.payload.toOrgId} is not registered as an operator`,
        [{ field, message: 'must have the operator role' }],
      );
    }
  }

  /**
   * A correction declares an earlier event erroneous (EPCIS errorDeclaration). The robot's status is rebuilt by
   * replaying its history without that event; if the rest no longer holds together, the correction is refused.
   */
  private async correct(
    robotId: string,
    robot: RobotState,
    event: ReportedEvent,
    machine: MachineContext,
    at: string,
  ) {
    const { correctsEventId } = event.payload as CorrectedPayload;
    const field = `${at}/payload/correctsEventId`;
    const history = [...(await this.tx.listEvents(robotId)), ...robot.pending];
    const target = history.find((e) => e.eventId === correctsEventId);
    if (!target || target.type === 'corrected') {
      throw new DomainError(
        'invalid',
        'unknown-event',
        `robot ${robotId} has no event ${correctsEventId} to correct`,
        [{ field, message: 'no such event of this robot' }],
      );
    }
    if (target.orgId !== this.actor.orgId && !this.actor.roles.has('regulator')) {
      throw new DomainError(
        'forbidden',
        'not-permitted',
        'only the organisation that reported an event, or a regulator, may correct it',
        [{ field, message: 'not yours to correct' }],
      );
    }
    const voided = new Set(
      history
        .filter((e) => e.type === 'corrected')
        .map((e) => (e.payload as CorrectedPayload).correctsEventId),
    );
    if (voided.has(correctsEventId))
      throw new DomainError(
        'conflict',
        'already-corrected',
        `event ${correctsEventId} was corrected already`,
        [{ field, message: 'corrected already' }],
      );
    voided.add(correctsEventId);
    const replayInput = [];
    for (const e of history) {
      if (e.type === 'corrected' || voided.has(e.eventId)) continue;
      const roles = (await this.roles(e.orgId)) ?? new Set<string>();
      const ctx: MachineContext = {
        reporter: { orgId: e.orgId, keyId: e.keyId, roles },
        authorisedForService: true,
        now: machine.now,
      };
      replayInput.push({
        event: {
          eventId: e.eventId,
          type: e.type,
          robotId,
          eventTime: e.eventTime,
          payload: e.payload,
        } as ReportedEvent,
        ctx,
      });
    }
    const outcome = replay(robot.status.manufacturerId, replayInput);
    if (!outcome.ok) {
      const broken = replayInput[outcome.index ?? 0]?.event.eventId;
      return {
        ok: false as const,
        rejection: {
          ...outcome.rejection,
          code: 'correction-breaks-history',
          message: `without ${correctsEventId}, event ${broken} no longer holds: ${outcome.rejection.message}; correct it first or in the same batch`,
        },
      };
    }
    const lastEventTime = robot.status.lastEventTime;
    return {
      ok: true as const,
      status: { ...outcome.status, lastEventTime, eventCount: robot.status.eventCount + 1 },
    };
  }
}

function fromRejection(r: Rejection, at: string): DomainError {
  const field = r.field ? `${at}${r.field}` : at;
  return new DomainError(r.kind, r.code, r.message, [{ field, message: r.message }], {
    state: r.state,
    allowed: r.allowed,
  });
}
