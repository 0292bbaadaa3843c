/**
 * A manufacturer registers, per robot it made, the GS1 key it serialises the robot with (an SGTIN), so that EPCIS
 * documents naming robots by GS1 key are understood (robot-epc.ts). Only the robot's manufacturer (or the
 * registry's administrators) may; every change and refusal is in the audit log.
 */
import { DomainError, notFound } from '../../domain/errors.js';
import { robotGs1Key } from '../../domain/epcis/gs1-keys.js';
import { parseRobotId } from '../../domain/id/index.js';
import type { RobotGs1Key, Tx } from '../../store/store.js';
import { actsFor, requireActor } from '../access.js';
import { audited } from '../audit.js';
import { isoNow, type AppContext, type Caller } from '../context.js';

/** The robot, if the caller may register its GS1 key; the same 404 otherwise, so as not to tell rivals it exists. */
async function madeBy(tx: Tx, caller: Caller, robotInput: string) {
  const actor = requireActor(caller);
  const id = parseRobotId(robotInput, 'robotId');
  const robot = await tx.getRobot(id.canonical);
  if (!robot || !actsFor(actor, robot.manufacturerId)) {
    throw notFound('robot-not-found', `no robot ${id.display} that you made`);
  }
  return { actor, id, robot };
}

/**
 * Registers (or replaces) the robot's GS1 key, given as an SGTIN EPC URN or a GS1 Digital Link URI; stored in
 * canonical Digital Link form. A key is one robot's: another robot's key is a 409 `gs1-key-taken`.
 */
export function setRobotGs1Key(
  ctx: AppContext,
  caller: Caller,
  robotInput: string,
  keyInput: string,
): Promise<RobotGs1Key> {
  return audited(
    ctx,
    caller,
    'robot.gs1-key.set',
    async (tx) => {
      const { actor, id, robot } = await madeBy(tx, caller, robotInput);
      const gs1Key = robotGs1Key(keyInput);
      const holder = (await tx.robotIdsByGs1Keys([gs1Key])).get(gs1Key);
      if (holder !== undefined && holder !== robot.id) {
        // Which robot holds it is said only to that robot's manufacturer.
        const theirs = await tx.getRobot(holder);
        const mine = theirs !== null && actsFor(actor, theirs.manufacturerId);
        throw new DomainError(
          'conflict',
          'gs1-key-taken',
          `${gs1Key} is already the GS1 key of another robot${mine ? ` (${holder})` : ''}; a key names one robot`,
          [{ field: '/gs1Key', message: 'is registered for another robot' }],
          mine ? { robotId: holder } : {},
        );
      }
      const key: RobotGs1Key = {
        robotId: id.canonical,
        gs1Key,
        registeredBy: actor.orgId,
        registeredAt: isoNow(ctx),
      };
      await tx.putRobotGs1Key(key);
      return key;
    },
    (key) => `${key.robotId} ${key.gs1Key}`,
    robotInput,
  );
}

/** Removes the robot's GS1 key; 404 `gs1-key-not-found` when it has none. */
export function removeRobotGs1Key(ctx: AppContext, caller: Caller, robotInput: string): Promise<string> {
  return audited(
    ctx,
    caller,
    'robot.gs1-key.remove',
    async (tx) => {
      const { id } = await madeBy(tx, caller, robotInput);
      if (!(await tx.deleteRobotGs1Key(id.canonical))) {
        throw notFound('gs1-key-not-found', `robot ${id.display} has no GS1 key registered`);
      }
      return id.canonical;
    },
    (robotId) => robotId,
    robotInput,
  );
}
