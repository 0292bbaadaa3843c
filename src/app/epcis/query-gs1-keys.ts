/**
 * A query may name robots by the GS1 keys their manufacturers registered (MATCH_epc=urn:epc:id:sgtin:…, a Digital
 * Link on any host), as capture does. Such a key is read as the robot's own name, but only for a caller that may see
 * the robot's key (the `supply` class: its manufacturer, operator, regulators): to anyone else the key names
 * nothing, so that a query never tells which robot a key belongs to.
 */
import { robotIdTextOf } from '../../domain/epcis/identifiers.js';
import type { EpcisQuery } from '../../domain/epcis/query.js';
import { POLICY } from '../../domain/policy/table.js';
import type { Reader } from '../../store/store.js';
import type { Actor } from '../context.js';
import { relationTo } from '../policy/relation.js';
import { resolveRobotEpcs } from './robot-epc.js';

const EPC_PARAMETERS = ['epcs', 'anyEpcs', 'parentIds'] as const;

/** The query with each GS1 key of a robot whose key the caller may see written `urn:robotid:robot:<ID>`. */
export async function withRobotKeysRead(
  r: Reader,
  caller: Actor,
  publicBaseUrl: string,
  q: EpcisQuery,
  at: string,
): Promise<EpcisQuery> {
  const keys = EPC_PARAMETERS.flatMap((p) => q[p] ?? []).filter(
    (uri) => robotIdTextOf(uri, publicBaseUrl) === undefined,
  );
  if (keys.length === 0) return q;
  const resolved = await resolveRobotEpcs(r, publicBaseUrl, keys);
  const names = new Map<string, string>();
  for (const [uri, answer] of resolved) {
    if ('robotId' in answer && (await mayReadKey(r, caller, answer.robotId, at)))
      names.set(uri, `urn:robotid:robot:${answer.robotId}`);
  }
  if (names.size === 0) return q;
  const out: EpcisQuery = { ...q };
  for (const p of EPC_PARAMETERS) {
    const values = q[p];
    if (values) out[p] = values.map((uri) => names.get(uri) ?? uri);
  }
  return out;
}

async function mayReadKey(r: Reader, caller: Actor, robotId: string, at: string): Promise<boolean> {
  const [robot, status] = await Promise.all([r.getRobot(robotId), r.getRobotStatus(robotId)]);
  if (!robot) return false;
  return POLICY[await relationTo(r, caller, robot, status, at)].includes('supply');
}
