import { invalid, notFound } from '../domain/errors.js';
import { isCountryCode } from '../domain/id/countries.js';
import { exportableTo } from '../domain/policy/export.js';
import { parseRobotId, type RobotId } from '../domain/id/index.js';
import type { Component, EventType, SoftwareVersion } from '../domain/lifecycle/events.js';
import { hasValidCertification } from '../domain/lifecycle/machine.js';
import type { LifecycleState, RobotStatus } from '../domain/lifecycle/status.js';
import { ROBOT_FIELDS, type DataClass, type Relation } from '../domain/policy/table.js';
import { redact, seesFor, type Sees } from '../domain/policy/view.js';
import { recallNotesOf, type RobotRecallNote } from './recalls/queries.js';
import type { Organisation } from '../domain/org/organisation.js';
import type { RobotModel } from '../domain/model/model.js';
import type { RobotRecord } from '../store/store.js';
import { requireActor } from './access.js';
import type { AppContext, Caller } from './context.js';
import { historyView } from './policy/history.js';
import { noteRead } from './policy/reads.js';
import { relationTo, requirePurpose } from './policy/relation.js';

export type CertificationStatus = 'valid' | 'expired' | 'failed' | 'none';

/**
 * A robot as one caller may see it. The public part (what a QR scan shows; nothing about owners) is always there;
 * the rest only as far as the access policy (src/domain/policy/table.ts) lets the caller's relation see.
 */
export interface RobotView {
  id: string;
  printed: string;
  display: string;
  url: string;
  /** Where the record is held: the registry's country. */
  jurisdiction: string;
  state: LifecycleState | 'issued';
  issuedAt: string;
  productionMonth: string | null;
  manufacturer: { id: string; name: string; country: string; enterpriseCode: string };
  model: { code: string; name: string; category: string; capabilityLevel: string };
  serial: string;
  certification: {
    status: CertificationStatus;
    standard?: string;
    validUntil?: string | null;
    certificateNumber?: string;
    certifierId?: string;
  };
  /** An open stop-use order. */
  stopUse: { orderNumber: string; since: string } | null;
  /** The recall campaigns it is in and its remedy state in each (public: owners must be able to look it up). */
  recalls: RobotRecallNote[];
  productionDate?: string | null;
  components?: Component[];
  software?: SoftwareVersion[];
  eventCount?: number;
  lastEventTime?: string | null;
  issuanceId?: string;
  custodianId?: string;
  operatorId?: string | null;
  inTransitTo?: string | null;
  site?: { siteType: string; region: string } | null;
  /** The GS1 key its manufacturer serialises it with, canonical GS1 Digital Link (app/epcis/robot-gs1-keys.ts). */
  gs1Key?: string | null;
  /** Why this view: the caller's relation to the robot and the data classes it shows. */
  access: { relation: Relation; classes: DataClass[] };
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
  return {
    status: state,
    standard: cert.standard,
    validUntil: cert.validUntil,
    certificateNumber: cert.certificateNumber,
    certifierId: cert.certifierId,
  };
}

interface RobotFacts {
  id: RobotId;
  robot: RobotRecord;
  org: Organisation;
  model: RobotModel;
  status: RobotStatus | null;
  recalls: RobotRecallNote[];
  gs1Key: string | null;
}

/** Every field the registry holds about a robot, before the policy cuts it down. */
function fullRecord(ctx: AppContext, f: RobotFacts): Omit<RobotView, 'access'> {
  const { id, robot, org, model, status } = f;
  return {
    id: id.canonical,
    printed: id.printed,
    display: id.display,
    url: robotUrl(ctx, id),
    jurisdiction: ctx.operatorCountry,
    state: status?.state ?? 'issued',
    issuedAt: robot.issuedAt,
    productionMonth: status?.productionDate?.slice(0, 7) ?? null,
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
    recalls: f.recalls,
    productionDate: status?.productionDate ?? null,
    components: status?.components ?? [],
    software: status?.software ?? [],
    eventCount: status?.eventCount ?? 0,
    lastEventTime: status?.lastEventTime ?? null,
    issuanceId: robot.issuanceId,
    custodianId: status?.custodianId ?? robot.manufacturerId,
    operatorId: status?.operatorId ?? null,
    inTransitTo: status?.inTransitTo ?? null,
    site: status?.site ?? null,
    gs1Key: f.gs1Key,
  };
}

/** The record cut down to what `relation` sees (and `also` allows), and the classes it kept. */
function robotViewFor(ctx: AppContext, facts: RobotFacts, relation: Relation, also: Sees = () => true) {
  const seen = new Set<DataClass>();
  const sees = seesFor(relation);
  const kept = redact(fullRecord(ctx, facts), ROBOT_FIELDS, (c) => sees(c) && also(c), seen) as RobotView;
  return { ...kept, access: { relation, classes: [...seen].sort() } };
}

/** The robot and what the caller is to it; a regulator must have said why it reads. */
async function readRobot(ctx: AppContext, caller: Caller, id: RobotId) {
  const at = ctx.now().toISOString();
  const found = await ctx.store.read(async (r) => {
    const robot = await r.getRobot(id.canonical);
    if (!robot) return null;
    const [org, model, status, recalls, gs1Key] = await Promise.all([
      r.getOrganisation(robot.manufacturerId),
      r.getModel(id.enterprise, id.model),
      r.getRobotStatus(id.canonical),
      recallNotesOf(r, id.canonical),
      r.getRobotGs1Key(id.canonical),
    ]);
    const relation = await relationTo(r, caller, robot, status, at);
    requirePurpose(caller, relation);
    return org && model
      ? { facts: { id, robot, org, model, status, recalls, gs1Key: gs1Key?.gs1Key ?? null }, relation }
      : null;
  });
  if (!found) throw notFound('robot-not-found', `no robot ${id.display} has been issued`);
  return found;
}

/** A robot by any of the three forms of its ID, as far as the caller may see it; anyone sees the public part. */
export async function getRobot(ctx: AppContext, caller: Caller, input: string): Promise<RobotView> {
  const id = parseRobotId(input, 'robotId');
  const found = await readRobot(ctx, caller, id);
  const view = robotViewFor(ctx, found.facts, found.relation);
  noteRead(ctx, caller, { robotId: id.canonical, classes: view.access.classes, outcome: 'granted' });
  return view;
}

/**
 * The record as it may be sent to `destination` (another country's registry, an inspector abroad): what the caller
 * may see and the export policy lets leave for that country — by default the public tier only.
 */
export async function exportRobot(ctx: AppContext, caller: Caller, input: string, destination: string) {
  const id = parseRobotId(input, 'robotId');
  const country = destination.toUpperCase();
  if (!isCountryCode(country))
    throw invalid('invalid-destination', `${destination} is not an ISO 3166-1 country code`, [
      { field: 'query:/destination', message: 'an ISO 3166-1 alpha-2 code, e.g. DE' },
    ]);
  const allowed = exportableTo(ctx.exportPolicy, country);
  const found = await readRobot(ctx, caller, id);
  const robot = robotViewFor(ctx, found.facts, found.relation, (c) => allowed.includes(c));
  noteRead(ctx, caller, {
    robotId: id.canonical,
    query: `export:${country}`,
    classes: robot.access.classes,
    outcome: 'granted',
  });
  return { destination: country, from: ctx.operatorCountry, allowed: [...allowed], robot };
}

/** The public view whoever asks (the QR page, labels, passports): never more, so never audited. */
export const getPublicRobot = (ctx: AppContext, input: string) => getRobot(ctx, null, input);

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

/**
 * The robot's status and its stored events as far as the caller may see them, for a caller who sees more than the
 * public part; else not found (not "forbidden"), and the attempt recorded. The reads go out together.
 */
export async function readHistory(ctx: AppContext, caller: Caller, input: string) {
  requireActor(caller);
  const id = parseRobotId(input, 'robotId');
  const at = ctx.now().toISOString();
  const found = await ctx.store.read(async (r) => {
    const [robot, status, events] = await Promise.all([
      r.getRobot(id.canonical),
      r.getRobotStatus(id.canonical),
      r.listEvents(id.canonical),
    ]);
    if (!robot) return null;
    const relation = await relationTo(r, caller, robot, status, at);
    requirePurpose(caller, relation);
    return relation === 'public'
      ? null
      : { status, relation, events, ...historyView(events, relation, caller!.orgId) };
  });
  if (!found) {
    noteRead(ctx, caller, { robotId: id.canonical, classes: ['technical'], outcome: 'denied' });
    throw notFound('robot-not-found', `no robot ${id.display} that you may see`);
  }
  noteRead(ctx, caller, { robotId: id.canonical, classes: found.classes, outcome: 'granted' });
  return { id, ...found };
}

/** A robot's events the caller may see, in the order the registry accepted them, corrections marked. */
export async function getHistory(ctx: AppContext, caller: Caller, input: string) {
  const { id, status, relation, entries, classes } = await readHistory(ctx, caller, input);
  return {
    robotId: id.canonical,
    jurisdiction: ctx.operatorCountry,
    state: status?.state ?? 'issued',
    access: { relation, classes },
    events: entries,
  };
}
