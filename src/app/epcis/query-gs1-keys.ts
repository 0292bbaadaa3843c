/**
 * A query may name robots by the GS1 keys their manufacturers registered (MATCH_epc=urn:epc:id:sgtin:…, a Digital
 * Link on any host), as capture does, or by an EPC pattern of them (urn:epc:idpat:sgtin:<company>.<item>.*: every
 * robot serialised under one GTIN). Such a key is read as the robot's own name, but only for a caller that may see
 * the robot's key (the `supply` class: its manufacturer, operator, regulators): to anyone else the key names
 * nothing, so that a query never tells which robot a key belongs to.
 */
import { canonicalGs1Uri } from '../../domain/epcis/gs1-keys.js';
import { robotIdTextOf } from '../../domain/epcis/identifiers.js';
import type { EpcisQuery } from '../../domain/epcis/query.js';
import { POLICY } from '../../domain/policy/table.js';
import type { Reader } from '../../store/store.js';
import type { Actor } from '../context.js';
import { relationTo } from '../policy/relation.js';
import { resolveRobotEpcs } from './robot-epc.js';

const EPC_PARAMETERS = ['epcs', 'anyEpcs', 'parentIds'] as const;
/** The robots one pattern may name in a query (as many as a query names in all: app/epcis/query.ts). */
const PATTERN_ROBOTS = 1_000;

/** The query with each GS1 key or SGTIN pattern of robots whose keys the caller may see as `urn:robotid:robot:<ID>`. */
export async function withRobotKeysRead(
  r: Reader,
  caller: Actor,
  publicBaseUrl: string,
  q: EpcisQuery,
  at: string,
): Promise<EpcisQuery> {
  const uris = EPC_PARAMETERS.flatMap((p) => q[p] ?? []).filter(
    (uri) => robotIdTextOf(uri, publicBaseUrl) === undefined,
  );
  if (uris.length === 0) return q;
  const names = new Map<string, string[]>();
  const mayRead = keyReaders(r, caller, at);
  const patterns = uris.filter((uri) => uri.startsWith('urn:epc:idpat:sgtin:'));
  const keys = uris.filter((uri) => !patterns.includes(uri));
  for (const [uri, answer] of await resolveRobotEpcs(r, publicBaseUrl, keys)) {
    if ('robotId' in answer && (await mayRead(answer.robotId)))
      names.set(uri, [`urn:robotid:robot:${answer.robotId}`]);
  }
  for (const pattern of patterns) {
    const gtin = canonicalGs1Uri(pattern); // https://id.gs1.org/01/<GTIN>
    if (gtin === undefined) continue;
    const robots = await r.robotIdsByGs1KeyPrefix(`${gtin}/21/`, PATTERN_ROBOTS);
    const readable = [];
    for (const robotId of robots) if (await mayRead(robotId)) readable.push(`urn:robotid:robot:${robotId}`);
    if (readable.length > 0) names.set(pattern, readable);
  }
  if (names.size === 0) return q;
  const out: EpcisQuery = { ...q };
  for (const p of EPC_PARAMETERS) {
    const values = q[p];
    if (values) out[p] = values.flatMap((uri) => names.get(uri) ?? [uri]);
  }
  return out;
}

/** Whether the caller may see a robot's key, asked once per robot. */
function keyReaders(r: Reader, caller: Actor, at: string): (robotId: string) => Promise<boolean> {
  const known = new Map<string, Promise<boolean>>();
  return (robotId) => {
    let answer = known.get(robotId);
    if (!answer) {
      answer = (async () => {
        const [robot, status] = await Promise.all([r.getRobot(robotId), r.getRobotStatus(robotId)]);
        if (!robot) return false;
        return POLICY[await relationTo(r, caller, robot, status, at)].includes('supply');
      })();
      known.set(robotId, answer);
    }
    return answer;
  };
}
