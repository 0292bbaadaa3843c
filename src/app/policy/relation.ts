/**
 * The one gate every read of robot data passes: what the caller is to the robot (src/domain/policy), read from the
 * store. Grants are read only when nothing cheaper decides (most reads are by the maker, holder or a regulator).
 */
import { PURPOSE_HEADER, purposeRequired } from '../../domain/policy/purposes.js';
import type { RobotStatus } from '../../domain/lifecycle/status.js';
import { relationOf, seesFor, type RobotParties, type Sees } from '../../domain/policy/view.js';
import type { Relation } from '../../domain/policy/table.js';
import type { Reader, RobotRecord } from '../../store/store.js';
import type { Caller } from '../context.js';

export interface RobotAccess {
  robot: RobotRecord;
  status: RobotStatus | null;
  relation: Relation;
  sees: Sees;
}

export function partiesOf(robot: RobotRecord, status: RobotStatus | null): RobotParties {
  return {
    manufacturerId: robot.manufacturerId,
    custodianId: status?.custodianId ?? robot.manufacturerId,
    operatorId: status?.operatorId ?? null,
    grants: [],
  };
}

/** The caller's relation to a robot already read; grants are looked up only if it would otherwise be public. */
export async function relationTo(
  r: Reader,
  caller: Caller,
  robot: RobotRecord,
  status: RobotStatus | null,
  at: string,
): Promise<Relation> {
  const parties = partiesOf(robot, status);
  const relation = relationOf(caller, parties, at);
  if (relation !== 'public' || !caller) return relation;
  const grants = await r.listServiceAuthorisations(robot.id);
  return relationOf(caller, { ...parties, grants }, at);
}

/** The robot and the caller's view of it, or null when no such robot was issued. */
export async function robotAccess(
  r: Reader,
  caller: Caller,
  robotId: string,
  at: string,
): Promise<RobotAccess | null> {
  const [robot, status] = await Promise.all([r.getRobot(robotId), r.getRobotStatus(robotId)]);
  if (!robot) return null;
  const relation = await relationTo(r, caller, robot, status, at);
  return { robot, status, relation, sees: seesFor(relation) };
}

/** A regulator reads others' data only for a stated purpose (RobotID-Purpose), which the read audit keeps. */
export function requirePurpose(caller: Caller, relation: Relation) {
  if (relation === 'regulator' && !caller?.purpose) {
    throw purposeRequired(
      `regulators state why they read: send the ${PURPOSE_HEADER} header`,
      'required for regulators',
    );
  }
}

/** A bulk query (a search over many robots) states its purpose whoever asks: it is kept with the query. */
export function requireBulkPurpose(caller: Caller) {
  if (!caller?.purpose) {
    throw purposeRequired(
      `a search over many robots states why: send the ${PURPOSE_HEADER} header`,
      'required on bulk queries',
    );
  }
}
