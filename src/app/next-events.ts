/**
 * What the caller could report about a robot now, type by type, and why not: the state machine's `whyNot` (the
 * judgement POST /v1/events refuses with) on the robot's status as stored, after the person's role (the access
 * policy the capture applies first). What only the payload decides (a counterparty, a component fitted) is not
 * foreseen: "allowed" means the registry would look at the event, not that any payload passes.
 */
import { DomainError, notFound } from '../domain/errors.js';
import { parseRobotId } from '../domain/id/index.js';
import { correctableEvents } from '../domain/lifecycle/corrections.js';
import { EVENT_TYPES, type EventType } from '../domain/lifecycle/events.js';
import { initialStatus, whyNot, type MachineContext } from '../domain/lifecycle/machine.js';
import { needsServiceAuthorisation } from '../domain/lifecycle/rules.js';
import type { LifecycleState, RobotStatus } from '../domain/lifecycle/status.js';
import type { Reader } from '../store/store.js';
import { requireActor } from './access.js';
import type { Actor, AppContext, Caller } from './context.js';
import { assertUserMay } from './people/permissions.js';
import { relationTo } from './policy/relation.js';

export type NextEvent = { type: EventType; allowed: true } | NextEventRefused;
export interface NextEventRefused {
  type: EventType;
  allowed: false;
  /** The code POST /v1/events would refuse with (e.g. event-not-allowed, not-permitted, role-forbids). */
  code: string;
  reason: string;
}

export interface NextEvents {
  robotId: string;
  state: LifecycleState | 'issued';
  events: NextEvent[];
}

export async function nextEvents(ctx: AppContext, caller: Caller, input: string): Promise<NextEvents> {
  const actor = requireActor(caller);
  const id = parseRobotId(input, 'robotId');
  const now = ctx.now();
  const at = now.toISOString();
  const found = await ctx.store.read(async (r) => {
    const [robot, stored] = await Promise.all([r.getRobot(id.canonical), r.getRobotStatus(id.canonical)]);
    if (!robot) return null;
    const status = stored ?? initialStatus(robot.manufacturerId);
    const relation = await relationTo(r, caller, robot, stored, at);
    const authorised = await authorisedForService(r, id.canonical, status, actor, at);
    const correctable = stored ? await hasCorrectable(r, id.canonical, actor) : false;
    return { status, stored, relation, authorised, correctable };
  });
  if (!found) throw notFound('robot-not-found', `no robot ${id.display} has been issued`);
  const { status, relation, authorised, correctable } = found;
  const personal = roleRefusal(caller);
  const machine: MachineContext = {
    reporter: { orgId: actor.orgId, keyId: actor.keyId, roles: actor.roles },
    authorisedForService: authorised,
    now,
  };
  // Whom the robot is with is not told to a caller who may not see it.
  const nameParties = relation !== 'public';
  const events = EVENT_TYPES.map((type): NextEvent => {
    if (personal) return { type, allowed: false, ...personal };
    if (type === 'corrected') {
      return correctable
        ? { type, allowed: true }
        : {
            type,
            allowed: false,
            code: 'nothing-to-correct',
            reason: 'no event of this robot that you reported (or, as a regulator, any) is left to correct',
          };
    }
    const refusal = whyNot(type, status, machine, { nameParties });
    return refusal === null
      ? { type, allowed: true }
      : { type, allowed: false, code: refusal.code, reason: refusal.message };
  });
  return { robotId: id.canonical, state: status.state, events };
}

/** A signed-in person whose role may not report (a viewer): the capture's refusal, for every type. */
function roleRefusal(caller: Caller): { code: string; reason: string } | null {
  try {
    assertUserMay(caller, 'events.capture');
    return null;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: error.code, reason: error.message };
  }
}

/** As the capture asks it, for an event reported now: authorised by the custodian now. */
async function authorisedForService(
  r: Reader,
  robotId: string,
  status: RobotStatus,
  actor: Actor,
  at: string,
) {
  const asks = EVENT_TYPES.some((type) => needsServiceAuthorisation(type, status, actor.orgId));
  return asks && (await r.isAuthorisedForService(robotId, actor.orgId, status.custodianId, at));
}

async function hasCorrectable(r: Reader, robotId: string, actor: Actor): Promise<boolean> {
  return correctableEvents(await r.listEvents(robotId), actor).length > 0;
}
