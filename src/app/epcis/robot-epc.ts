/**
 * Which robot an EPC in an EPCIS document names: the registry's own forms (the QR label's address
 * `<public-url>/r/<ID>`, `urn:robotid:robot:<ID>`; domain/epcis/identifiers.ts) or a GS1 key a manufacturer
 * registered for the robot (SGTIN EPC URN or GS1 Digital Link on any host; robot-gs1-keys.ts). Used by capture and
 * query. One read for a whole batch: a document holds up to 10,000 events.
 */
import { DomainError } from '../../domain/errors.js';
import { canonicalGs1Uri } from '../../domain/epcis/gs1-keys.js';
import { robotIdTextOf } from '../../domain/epcis/identifiers.js';
import { parseRobotId } from '../../domain/id/index.js';
import type { Reader } from '../../store/store.js';

export type RobotEpcResolution =
  | { robotId: string }
  | {
      /** `invalid-robot-id` (a registry form with a malformed ID), `robot-not-found` (well formed, not issued),
       *  `gs1-key-not-registered` (a GS1 key no robot has), `not-a-robot-epc` (neither). */
      code: 'invalid-robot-id' | 'robot-not-found' | 'gs1-key-not-registered' | 'not-a-robot-epc';
      reason: string;
    };

const SGTIN = /^https:\/\/id\.gs1\.org\/01\/\d{14}\/21\//;

type EpcReader = Pick<Reader, 'existingRobotIds' | 'robotIdsByGs1Keys'>;

/** Each URI's robot, or the precise reason it names none (in a Map keyed by the URI as given). */
export async function resolveRobotEpcs(
  reader: EpcReader,
  publicBaseUrl: string,
  uris: readonly string[],
): Promise<Map<string, RobotEpcResolution>> {
  const answers = new Map<string, RobotEpcResolution>();
  const byId = new Map<string, string[]>(); // canonical robot ID → URIs naming it
  const byKey = new Map<string, string[]>(); // canonical GS1 key → URIs naming it
  const add = (map: Map<string, string[]>, key: string, uri: string) => {
    const named = map.get(key);
    if (named === undefined) map.set(key, [uri]);
    else named.push(uri);
  };
  for (const uri of new Set(uris)) {
    const idText = robotIdTextOf(uri, publicBaseUrl);
    if (idText !== undefined) {
      try {
        add(byId, parseRobotId(idText, 'epc').canonical, uri);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        answers.set(uri, {
          code: 'invalid-robot-id',
          reason: `${uri} names no valid robot ID: ${error.message}`,
        });
      }
      continue;
    }
    const gs1Key = canonicalGs1Uri(uri);
    if (gs1Key !== undefined) add(byKey, gs1Key, uri);
    else {
      answers.set(uri, {
        code: 'not-a-robot-epc',
        reason:
          `${uri} is neither a robot's address (${publicBaseUrl.replace(/\/+$/, '')}/r/<ID>), ` +
          'urn:robotid:robot:<ID>, nor a GS1 key',
      });
    }
  }
  // Whether each robot was issued is all a name needs (not the robot's issuance: a join per robot).
  const [issued, keyed] = await Promise.all([
    byId.size > 0 ? reader.existingRobotIds([...byId.keys()]).then((ids) => new Set(ids)) : new Set<string>(),
    byKey.size > 0 ? reader.robotIdsByGs1Keys([...byKey.keys()]) : new Map<string, string>(),
  ]);
  for (const [robotId, named] of byId) {
    for (const uri of named) {
      answers.set(
        uri,
        issued.has(robotId)
          ? { robotId }
          : { code: 'robot-not-found', reason: `no robot ${robotId} has been issued` },
      );
    }
  }
  for (const [gs1Key, named] of byKey) {
    const robotId = keyed.get(gs1Key);
    for (const uri of named) {
      answers.set(
        uri,
        robotId !== undefined
          ? { robotId }
          : {
              code: 'gs1-key-not-registered',
              reason: SGTIN.test(gs1Key)
                ? `${uri} is a GS1 key (${gs1Key}) that no manufacturer has registered for a robot here`
                : `${uri} is a GS1 key (${gs1Key}) of no serialised item: robots are named by SGTIN (GTIN and serial)`,
            },
      );
    }
  }
  return answers;
}

/** One URI's robot, or the precise reason it names none. */
export async function resolveRobotEpc(
  reader: EpcReader,
  publicBaseUrl: string,
  uri: string,
): Promise<RobotEpcResolution> {
  return (await resolveRobotEpcs(reader, publicBaseUrl, [uri])).get(uri)!;
}
