/**
 * Robots' GS1 keys: a manufacturer's own serialisation of a robot it made (an SGTIN), registered so that EPCIS
 * documents naming robots by GS1 key are understood. Records, and this area's part of the store interface
 * (composed in ../store.ts).
 */

export interface RobotGs1Key {
  robotId: string;
  /** Canonical GS1 Digital Link URI (src/domain/epcis/gs1-keys.ts): one robot per key, one key per robot. */
  gs1Key: string;
  /** The organisation that registered it. */
  registeredBy: string;
  registeredAt: string;
}

export interface RobotGs1KeyReader {
  getRobotGs1Key(robotId: string): Promise<RobotGs1Key | null>;
  /** The robots these canonical keys name, by key (one query for a batch: capture resolves a document at once). */
  robotIdsByGs1Keys(gs1Keys: string[]): Promise<Map<string, string>>;
  /** The robots whose keys begin with `prefix` (an EPC pattern's class: every serial of one GTIN), at most `limit`. */
  robotIdsByGs1KeyPrefix(prefix: string, limit: number): Promise<string[]>;
}

export interface RobotGs1KeyWriter {
  /** Registers the robot's key, replacing the one it had. The key must not be another robot's (a unique index). */
  putRobotGs1Key(key: RobotGs1Key): Promise<void>;
  /** Removes the robot's key; false when it had none. */
  deleteRobotGs1Key(robotId: string): Promise<boolean>;
}
