/**
 * Issued robot IDs and the issuances that made them. Records, and this area's part of the store interface
 * (composed in ../store.ts).
 */

/** An issued robot ID. Country, enterprise, model and serial are parts of the ID itself, so not stored apart. */
export interface RobotRecord {
  /** Canonical 29-character ID. */
  id: string;
  issuanceId: string;
  manufacturerId: string;
  issuedAt: string;
}

export interface IssuanceRecord {
  id: string;
  orgId: string;
  keyId: string | null;
  /** The caller's own idempotency key, unique per organisation. */
  requestId: string | null;
  /** SHA-256 of the request's content, to tell a true retry from a reused request id. */
  requestHash: string;
  enterpriseCode: string;
  modelCode: string;
  serialSource: 'registry' | 'manufacturer';
  count: number;
  createdAt: string;
}

export interface RobotReader {
  getRobot(id: string): Promise<RobotRecord | null>;
  /** The issued robots among `ids`, by ID (one query for a batch: a round trip each is a database server's cost). */
  getRobots(ids: string[]): Promise<Map<string, RobotRecord>>;
  /** Which of these canonical IDs exist already. */
  existingRobotIds(ids: string[]): Promise<string[]>;
  findIssuanceByRequest(orgId: string, requestId: string): Promise<IssuanceRecord | null>;
  listIssuedIds(issuanceId: string): Promise<string[]>;
}

export interface RobotWriter {
  /** Records the IDs (canonical) issued by an issuance inserted before in the same unit of work. */
  insertRobots(issuanceId: string, ids: string[]): Promise<void>;
  insertIssuance(issuance: IssuanceRecord): Promise<void>;
}
