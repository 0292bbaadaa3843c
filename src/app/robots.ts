import { notFound } from '../domain/errors.js';
import { parseRobotId, type RobotId } from '../domain/id/index.js';
import type { EventType } from '../domain/lifecycle/events.js';
import { hasValidCertification } from '../domain/lifecycle/machine.js';
import type { LifecycleState, RobotStatus } from '../domain/lifecycle/status.js';
import type { RobotRecord } from '../store/store.js';
import { actsFor, requireActor } from './access.js';
import type { AppContext, Caller } from './context.js';

export type CertificationStatus = 'valid' | 'expired' | 'failed' | 'none';

/** The public face of a robot: what a QR scan shows. Nothing about owners or operators. */
export interface RobotView {
  id: string;
  printed: string;
  display: string;
  url: string;
  state: LifecycleState | 'issued';
  issuedAt: string;
  productionDate: string | null;
  manufacturer: { id: string; name: string; country: string; enterpriseCode: string };
  model: { code: string; name: string; category: string; capabilityLevel: string };
  serial: string;
  certification: { status: CertificationStatus; standard?: string; validUntil?: string | null };
  /** An open stop-use order. */
  stopUse: { orderNumber: string; since: string } | null;
  /** Only for the manufacturer and the administrator. */
  issuanceId?: string;
}

export const robotUrl = (ctx: AppContext, id: RobotId) => `${ctx.publicBaseUrl}/r/${id.printed}`;

function certificationOf(status: RobotStatus | null, at: string): RobotView['certification'] {
  const cert = status?.certification;
  if (!status || !cert) return { status: 'none' };
  const state: CertificationStatus = hasValidCertification(status, at)
    ? 'valid'
    : cert.result === 'fail'
      ? 'failed'
      : 'expired';
  return { status: state, standard: cert.standard, validUntil: cert.validUntil };
}

/** Any of the three forms of an ID; what the public may see, plus the issuance for its manufacturer. */
export async function getRobot(ctx: AppContext, caller: Caller, input: string): Promise<RobotView> {
  const id = parseRobotId(input, 'robotId');
  const found = await ctx.store.read(async (r) => {
    const robot = await r.getRobot(id.canonical);
    if (!robot) return null;
    const [org, model, status] = await Promise.all([
      r.getOrganisation(robot.manufacturerId),
      r.getModel(id.enterprise, id.model),
      r.getRobotStatus(id.canonical),
    ]);
    return org && model ? { robot, org, model, status } : null;
  });
  if (!found) throw notFound('robot-not-found', `no robot ${id.display} has been issued`);
  const { robot, org, model, status } = found;
  return {
    id: id.canonical,
    printed: id.printed,
    display: id.display,
    url: robotUrl(ctx, id),
    state: status?.state ?? 'issued',
    issuedAt: robot.issuedAt,
    productionDate: status?.productionDate ?? null,
    manufacturer: { id: org.id, name: org.name, country: org.jurisdiction, enterpriseCode: id.enterprise },
    model: {
      code: model.code,
      name: model.name,
      category: model.category,
      capabilityLevel: model.capabilityLevel,
    },
    serial: id.serial,
    certification: certificationOf(status, ctx.now().toISOString()),
    stopUse: status?.suspension ?? null,
    ...(actsFor(caller, org.id) ? { issuanceId: robot.issuanceId } : {}),
  };
}

export interface HistoryEntry {
  seq: number;
  eventId: string;
  type: EventType;
  eventTime: string;
  recordTime: string;
  reportedBy: string;
  late: boolean;
  payload: unknown;
  /** The correction that declared this event erroneous. */
  correctedBy: string | null;
}

/** Who may read a robot's full history now: its manufacturer, its holder, its operator, regulators. */
function mayReadHistory(caller: Caller, robot: RobotRecord | null, status: RobotStatus | null) {
  if (!caller || !robot) return false;
  if (caller.roles.has('regulator') || caller.roles.has('admin')) return true;
  return [robot.manufacturerId, status?.custodianId, status?.operatorId].includes(caller.orgId);
}

/**
 * The robot's status and stored events, for a caller who may read its history; else not found (not "forbidden").
 * The three reads go out together (a database server answers them at once); the events of a robot the caller may
 * not see are read and dropped.
 */
export async function readHistory(ctx: AppContext, caller: Caller, input: string) {
  requireActor(caller);
  const id = parseRobotId(input, 'robotId');
  const found = await ctx.store.read(async (r) => {
    const [robot, status, events] = await Promise.all([
      r.getRobot(id.canonical),
      r.getRobotStatus(id.canonical),
      r.listEvents(id.canonical),
    ]);
    return mayReadHistory(caller, robot, status) ? { status, events } : null;
  });
  if (!found) throw notFound('robot-not-found', `no robot ${id.display} that you may see`);
  return { id, ...found };
}

/** A robot's accepted events in the order the registry accepted them, corrections marked. */
export async function getHistory(ctx: AppContext, caller: Caller, input: string) {
  const { id, ...found } = await readHistory(ctx, caller, input);
  const correctedBy = new Map<string, string>();
  for (const e of found.events) {
    if (e.type === 'corrected')
      correctedBy.set((e.payload as { correctsEventId: string }).correctsEventId, e.eventId);
  }
  const events: HistoryEntry[] = found.events.map((e) => ({
    seq: e.seq,
    eventId: e.eventId,
    type: e.type,
    eventTime: e.eventTime,
    recordTime: e.recordTime,
    reportedBy: e.orgId,
    late: e.late,
    payload: e.payload,
    correctedBy: correctedBy.get(e.eventId) ?? null,
  }));
  return { robotId: id.canonical, state: found.status?.state ?? 'issued', status: found.status, events };
}
