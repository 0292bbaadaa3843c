/**
 * The one storage interface every use case talks to. Adapters (sqlite/, later postgres/) implement it with the
 * same file set. It is asynchronous and transactional so that a client–server database fits without change:
 * `write` runs a unit of work that commits whole or not at all; `read` runs queries on committed data.
 */
import type { Organisation } from '../domain/org/organisation.js';
import type { Role } from '../domain/org/roles.js';
import type { RobotModel } from '../domain/model/model.js';
import type { Component, EventType, SoftwareVersion } from '../domain/lifecycle/events.js';
import type { RobotStatus } from '../domain/lifecycle/status.js';
import type { TileKey } from '../log/tiles.js';
import type { DataClass } from '../domain/policy/table.js';
import type { Purpose } from '../domain/policy/purposes.js';
import type { Notice, NoticeTopic } from '../domain/safety/notices.js';
import type { RecallCriteria, RecallDraft, RecallRobotState } from '../domain/safety/recalls.js';
import type { CompliancePlan, RuleCode } from '../domain/safety/compliance.js';
import type { IncidentAttachment } from '../domain/lifecycle/events.js';
import type {
  IncidentCategory,
  IncidentPart,
  IncidentSeverity,
  IncidentSource,
  TrendDimension,
  TriageState,
} from '../domain/safety/incidents.js';

export interface Page<T, K = number> {
  items: T[];
  /** Position of the last item, to continue after; null on the last page. The edge makes it an opaque cursor. */
  next: K | null;
}

export interface PageRequest<K = number> {
  /** Position after which to continue (decoded cursor); 0 (or '') for the first page. */
  after: K;
  limit: number;
}

/** Robot search. Every field narrows; `scope*` are set by the access policy, never by the caller. */
export interface RobotFilter {
  /** Country + enterprise (+ model) code: the first 6 (or 12) characters of the ID. */
  idPrefix?: string;
  state?: string;
  region?: string;
  custodianId?: string;
  component?: { partNumber?: string; serial?: string; lot?: string; includeRemoved?: boolean };
  software?: { target?: string; version: string };
  /** Certification valid at `at`, or not. */
  certified?: { valid: boolean; at: string };
  producedFrom?: string;
  producedTo?: string;
  /** Only robots whose ID starts with one of these (a manufacturer's own). */
  scopeIdPrefixes?: string[];
  /** Only robots this organisation holds. */
  scopeCustodianId?: string;
  /** Only robots this organisation operates (owns); with scopeCustodianId, those it also holds (indexed). */
  scopeOperatorId?: string;
}

export interface RobotSummary {
  id: string;
  state: string;
  region: string | null;
  productionDate: string | null;
  certifiedUntil: string | null;
}

/** A robot's snapshot after a unit of work, with the seq of its last event then. */
export interface RobotStatusEntry {
  robotId: string;
  status: RobotStatus;
  lastSeq: number;
}

export interface SoftwareEntry {
  robotId: string;
  software: SoftwareVersion[];
}

export interface SerialisedPart {
  partNumber: string;
  serial: string;
}

/** How `findFittedComponents` keys its answer. */
export const serialisedPartKey = (p: SerialisedPart) => `${p.partNumber}\u0000${p.serial}`;

export interface ComponentChange {
  robotId: string;
  seq: number;
  fitted: Component[];
  removed: Component[];
}

export interface ApiKeyRecord {
  id: string;
  orgId: string;
  name: string;
  secretHash: Buffer;
  createdAt: string;
  createdByKey: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

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

/** An accepted lifecycle event as stored. */
export interface StoredEvent {
  /** Its place in the one total order of accepted events; its transparency-log leaf index is seq − 1. */
  seq: number;
  robotId: string;
  eventId: string;
  type: EventType;
  eventTime: string;
  recordTime: string;
  orgId: string;
  keyId: string;
  payload: unknown;
  /** The payload as stored: RFC 8785 canonical JSON, the bytes the log commits to. */
  payloadJson: string;
  /** SHA-256 of the event's canonical content: tells a retry from a reused event id. */
  contentHash: Buffer;
  /** Reported after the deadline for its type. */
  late: boolean;
  /** Random salt of the log leaf's commitment to this record (see src/log/leaf.ts). */
  salt: Buffer;
}

export type NewEvent = Omit<StoredEvent, 'seq' | 'payloadJson'> & {
  /** The payload as canonical JSON text, when the caller has it already (else serialised here). */
  payloadJson?: string;
  /** Its log leaf's hash, when the caller computed it already (else computed here from the record and salt). */
  leafHash?: Buffer;
};

/** A checkpoint the registry signed: a C2SP signed note over a tlog-checkpoint body. */
export interface CheckpointRecord {
  size: number;
  rootHash: Buffer;
  /** The signed note, exactly as signed (body, blank line, the registry's signature line). */
  note: string;
  signedAt: string;
}

/** A witness's cosignature of one of the registry's checkpoints. */
export interface CosignatureRecord {
  size: number;
  /** The witness key's name. */
  witness: string;
  /** The signature line, ready to append to the checkpoint's note. */
  line: string;
  /** The witness's own timestamp in the cosignature (seconds since the epoch). */
  cosignedAt: number;
  receivedAt: string;
}

export interface ServiceAuthorisation {
  id: string;
  robotId: string;
  /** The service provider. */
  orgId: string;
  grantedBy: string;
  validFrom: string;
  validUntil: string;
  revokedAt: string | null;
}

export interface AuditEntry {
  at: string;
  orgId: string | null;
  keyId: string | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'failure';
  /** Error code on failure; a short note on success. */
  detail: string | null;
}

/**
 * One person's personal data, sealed (src/app/personal-data/envelope.ts): AES-256-GCM under a data key of its own,
 * which is stored only wrapped by the registry's key-encryption key of version `kekVersion`.
 */
export interface PersonalDataRecord {
  partyId: string;
  kekVersion: number;
  /** The data key, encrypted under the key-encryption key (nonce, ciphertext and tag together). */
  wrappedKey: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
  createdAt: string;
  updatedAt: string;
}

/** A data key's wrapping, as key rotation reads and rewrites it. */
export type WrappedKeyRecord = Pick<PersonalDataRecord, 'partyId' | 'kekVersion' | 'wrappedKey'>;

/** That a person's personal data was erased, when, by whom and on what basis (no personal data itself). */
export interface PersonalDataErasure {
  partyId: string;
  erasedAt: string;
  erasedBy: string | null;
  legalBasis: string;
  requestReference: string;
}

/** One read of non-public data (or an attempt at one), as the read audit records it. */
export interface ReadAuditRecord {
  at: string;
  orgId: string | null;
  keyId: string | null;
  /** The robot read; null for a query over many (a search, a bulk export). */
  robotId: string | null;
  /** What was asked, for a query: its canonical query string. */
  query: string | null;
  /** The data classes of the fields shown (or, when denied, asked for). */
  classes: DataClass[];
  purpose: Purpose | null;
  outcome: 'granted' | 'denied';
}

/** A stored read record: its id orders the records as they were written. */
export interface ReadAuditEntry extends ReadAuditRecord {
  id: number;
}

/** Read-audit search; every field narrows. `from` inclusive, `to` exclusive (ISO instants). */
export interface ReadAuditFilter {
  robotId?: string;
  orgId?: string;
  purpose?: Purpose;
  outcome?: 'granted' | 'denied';
  from?: string;
  to?: string;
}

/** A notice in the outbox (src/app/notifications/announce.ts); ids follow commit order. */
export interface NoticeRecord extends Notice {
  id: number;
  createdAt: string;
}

export type NewNotice = Omit<NoticeRecord, 'id'>;

/** An organisation's webhook: the notices of these topics that concern it are sent to `url`. */
export interface SubscriptionRecord {
  id: string;
  orgId: string;
  url: string;
  topics: NoticeTopic[];
  /** The signing secret, sealed under the webhook key (src/app/notifications/secrets.ts). */
  secretSealed: Buffer;
  createdAt: string;
  /** Removed: nothing more is sent; kept for its deliveries' history. */
  deletedAt: string | null;
}

export type DeliveryState = 'pending' | 'delivered' | 'dead';

/** One notice to one subscription: sent until the receiver answers 2xx, or dead after the last attempt. */
export interface DeliveryRecord {
  /** Stable across retries: the webhook-id header, the receiver's key for de-duplication. */
  id: string;
  /** Its place in the order deliveries were created (pages continue after it). */
  seq: number;
  subscriptionId: string;
  orgId: string;
  noticeId: number;
  state: DeliveryState;
  attempts: number;
  /** When pending: when it is due (or, while an attempt runs, when that attempt's claim lapses). */
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  lastStatus: number | null;
  lastError: string | null;
}

export type NewDelivery = Omit<DeliveryRecord, 'seq'>;

/** What a delivery becomes after an attempt or a redelivery. */
export type DeliveryUpdate = Pick<
  DeliveryRecord,
  'state' | 'attempts' | 'nextAttemptAt' | 'updatedAt' | 'lastStatus' | 'lastError'
>;

/** One attempt at a delivery, as the delivery log records it. */
export interface DeliveryAttempt {
  deliveryId: string;
  /** 1 for the first. */
  attempt: number;
  at: string;
  durationMs: number;
  /** The receiver's HTTP status, if it answered. */
  status: number | null;
  /** Why the attempt failed without a status (refused, timed out…). */
  error: string | null;
}

/** Delivery search; every field narrows. */
export interface DeliveryFilter {
  orgId?: string;
  subscriptionId?: string;
  state?: DeliveryState;
}

/** A recall campaign as stored (src/domain/safety/recalls.ts). */
export interface RecallRecord extends RecallDraft {
  /** RC-<year>-<6 digits>. */
  number: string;
  /** The manufacturer whose campaign it is; null for a regulator's campaign across manufacturers (a part's). */
  manufacturerId: string | null;
  /** Robot ID prefixes the campaign may touch (a manufacturer's own); null: every robot. */
  scope: string[] | null;
  openedBy: string;
  openedByKey: string;
  openedAt: string;
  status: 'open' | 'closed';
  closedAt: string | null;
  /** 'computing' until the affected set has been found once (resumed after a restart), 'ready' after. */
  affectedSet: 'computing' | 'ready';
  computedAt: string | null;
}

export type RecallChange = Partial<Pick<RecallRecord, 'status' | 'closedAt' | 'affectedSet' | 'computedAt'>>;

/** One affected robot's place in a campaign. */
export interface RecallRobot {
  recall: string;
  robotId: string;
  /** Who held the robot when it was found affected (whom the campaign notified). */
  custodianId: string;
  state: RecallRobotState;
  matchedAt: string;
  /** When its state last changed (remedied, exempt…). */
  changedAt: string;
  /** The service event that remedied it. */
  remedySeq: number | null;
  /** The stop-use order's `suspended` event, for a campaign with stop-use. */
  suspensionSeq: number | null;
  /** For a campaign with stop-use: 'ordered', or why the order was refused (e.g. another order is in force). */
  stopUse: string | null;
  note: string | null;
}

export interface RecallRobotFilter {
  state?: RecallRobotState;
  custodianId?: string;
  /** Only robots whose ID starts with one of these (a manufacturer's own). */
  idPrefixes?: string[];
  /** Only robots still to be given the campaign's stop-use order. */
  stopUsePending?: boolean;
}

export interface StopUseOutcome {
  robotId: string;
  seq: number | null;
  outcome: string;
}

export interface RecallStateChange {
  recall: string;
  robotId: string;
  state: RecallRobotState;
  at: string;
  remedySeq?: number;
  note?: string | null;
}

/** A campaign's completion: robots per state now, and day by day how many were affected and remedied by then. */
export interface RecallProgress {
  byState: Record<RecallRobotState, number>;
  series: { date: string; affected: number; remedied: number }[];
}

export interface RecallFilter {
  status?: 'open' | 'closed';
  manufacturerId?: string;
}

/** A compliance finding: one rule broken, for one organisation, about one robot (or event, by `key`). */
export interface ComplianceFinding {
  id: number;
  rule: RuleCode;
  orgId: string;
  robotId: string | null;
  /** What the finding is about, unique per rule and organisation among open findings (a robot ID, an event). */
  key: string;
  detail: Record<string, unknown>;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
}

/** Newly opened findings of one rule for one organisation in a run: what a notice announces. */
export interface OpenedFindings {
  rule: RuleCode;
  orgId: string;
  count: number;
  /** A few of the robots concerned (at most 20), in ID order. */
  robotIds: string[];
}

export interface ComplianceRunOutcome {
  opened: OpenedFindings[];
  /** Findings still found (kept, not duplicated) and findings no longer found (resolved now). */
  kept: number;
  resolved: number;
}

/** Findings of one organisation: open ones, or those resolved at or after `resolvedSince`. */
export interface FindingFilter {
  orgId: string;
  rule?: RuleCode;
  open: boolean;
  resolvedSince?: string;
}

/** An incident as derived from an accepted `incident_reported` event (src/app/incidents/record.ts). */
export interface IncidentRecord {
  /** The seq of the event that reported it. */
  id: number;
  robotId: string;
  eventId: string;
  /** The robot ID's first 12 characters: country, enterprise and model code. */
  model: string;
  manufacturerId: string;
  category: IncidentCategory;
  severity: IncidentSeverity;
  injuries: number | null;
  /** Where it happened: as reported, else the robot's site region then, else unknown. */
  region: string | null;
  /** When it happened, in UTC. */
  eventTime: string;
  /** YYYY-MM of eventTime (UTC). */
  month: string;
  recordTime: string;
  reportedBy: string;
  source: IncidentSource;
  /** The robot's operator when it happened: whose usage data the incident is. */
  operatorId: string | null;
  description: string | null;
  attachments: IncidentAttachment[];
  state: TriageState;
  rootCause: string | null;
  /** A correction of the report withdrew the incident. */
  withdrawn: { seq: number; at: string } | null;
}

/** An incident as recorded from its report: triage starts at `reported`. */
export type NewIncident = Omit<IncidentRecord, 'state' | 'rootCause' | 'withdrawn'> & {
  /** Parts named in the report. (Those fitted then are not copied: robot_components has them by seq.) */
  components: IncidentPart[];
  /** Firmware and software installed when it happened. */
  software: SoftwareVersion[];
};

/** One triage move, as kept in the incident's history. */
export interface TriageEntry {
  at: string;
  orgId: string;
  keyId: string | null;
  from: TriageState;
  to: TriageState;
  note: string | null;
  rootCause: string | null;
}

/** An incident with who holds and operates its robot now (what the access policy decides by). */
export interface IncidentSummary extends IncidentRecord {
  custodianId: string;
  currentOperatorId: string | null;
}

/** An incident with everything recorded with it. */
export interface IncidentDetail extends IncidentSummary {
  components: IncidentPart[];
  /** Parts fitted in the robot when it happened, in the order they were fitted. */
  fitted: IncidentPart[];
  software: SoftwareVersion[];
  triage: TriageEntry[];
}

/** Incident search and trends; every field narrows. `scope*` are set by the access policy, never by the caller. */
export interface IncidentFilter {
  manufacturerId?: string;
  model?: string;
  robotId?: string;
  state?: TriageState;
  category?: IncidentCategory;
  severity?: IncidentSeverity;
  /** Incidents of robots that carried the part then (fitted or named in the report). */
  partNumber?: string;
  lot?: string;
  software?: { target: string; version: string };
  /** eventTime from (inclusive) and to (exclusive), UTC instants. */
  from?: string;
  to?: string;
  includeWithdrawn?: boolean;
  /** Only the robots of this manufacturer. */
  scopeManufacturerId?: string;
  /** Only robots this organisation made, holds now or operates now. */
  scopeOrgId?: string;
}

/** One group of a trend: its key fields by name, the incidents in it by severity, and injuries in all. */
export interface IncidentTrend {
  group: Record<string, string>;
  count: number;
  bySeverity: Record<IncidentSeverity, number>;
  injuries: number;
}

export interface TrendRequest {
  by: TrendDimension;
  /** part and lot: count the parts fitted then (default) or only those the reports named. */
  parts: 'fitted' | 'involved';
  limit: number;
}

export interface TriageChange {
  incidentId: number;
  entry: TriageEntry;
}

export interface OrganisationFilter {
  role?: Role;
}

/** Queries that only read. */
export interface Reader {
  getOrganisation(id: string): Promise<Organisation | null>;
  findOrganisationByRegistration(
    jurisdiction: string,
    registrationNumber: string,
  ): Promise<Organisation | null>;
  findOrganisationByEnterpriseCode(enterpriseCode: string): Promise<Organisation | null>;
  listOrganisations(filter: OrganisationFilter, page: PageRequest): Promise<Page<Organisation>>;
  hasAdminKey(): Promise<boolean>;

  getApiKey(id: string): Promise<ApiKeyRecord | null>;
  listApiKeys(orgId: string): Promise<ApiKeyRecord[]>;

  getModel(enterpriseCode: string, code: string): Promise<RobotModel | null>;
  listModels(enterpriseCode: string | null, page: PageRequest): Promise<Page<RobotModel>>;

  getRobot(id: string): Promise<RobotRecord | null>;
  /** Which of these canonical IDs exist already. */
  existingRobotIds(ids: string[]): Promise<string[]>;
  findIssuanceByRequest(orgId: string, requestId: string): Promise<IssuanceRecord | null>;
  listIssuedIds(issuanceId: string): Promise<string[]>;

  getRobotStatus(robotId: string): Promise<RobotStatus | null>;
  /** The issued robots among `ids`, by ID (one query for a batch: a round trip each is a database server's cost). */
  getRobots(ids: string[]): Promise<Map<string, RobotRecord>>;
  /** The snapshots of those robots among `ids` that have events, by ID. */
  getRobotStatuses(ids: string[]): Promise<Map<string, RobotStatus>>;
  /** The robot in which a component with this part number and serial is fitted now, if any. */
  findFittedComponent(partNumber: string, serial: string): Promise<string | null>;
  /** The robot each of these parts is fitted in now, by `serialisedPartKey`; parts fitted nowhere are absent. */
  findFittedComponents(parts: SerialisedPart[]): Promise<Map<string, string>>;
  findRobots(filter: RobotFilter, page: PageRequest<string>): Promise<Page<RobotSummary, string>>;
  findEvent(robotId: string, eventId: string): Promise<StoredEvent | null>;
  /** A robot's accepted events in acceptance order. */
  listEvents(robotId: string): Promise<StoredEvent[]>;
  /** An organisation's events reported after their deadline, in acceptance order. */
  listLateEvents(orgId: string, page: PageRequest): Promise<Page<StoredEvent>>;
  listServiceAuthorisations(robotId: string): Promise<ServiceAuthorisation[]>;
  /** Whether the organisation holds an unrevoked authorisation for the robot, granted by `grantedBy` (the robot's
   *  custodian: a grant ends with the custody of whoever gave it), that covers the instant `at`. */
  isAuthorisedForService(robotId: string, orgId: string, grantedBy: string, at: string): Promise<boolean>;

  getPersonalData(partyId: string): Promise<PersonalDataRecord | null>;
  getPersonalDataErasure(partyId: string): Promise<PersonalDataErasure | null>;
  /** Data keys not wrapped under `kekVersion`, in party order after `afterPartyId` ('' for the first). */
  listKeysWrappedOtherThan(
    kekVersion: number,
    afterPartyId: string,
    limit: number,
  ): Promise<WrappedKeyRecord[]>;
  /** How many data keys each key-encryption key version wraps. */
  countWrappedKeysByVersion(): Promise<Map<number, number>>;

  countAudit(filter: { action?: string; outcome?: 'success' | 'failure' }): Promise<number>;
  /** Read records, newest first; `page.after` is the id to continue below (0: from the newest). */
  listReadAudit(filter: ReadAuditFilter, page: PageRequest): Promise<Page<ReadAuditEntry>>;
  getIncident(id: number): Promise<IncidentDetail | null>;
  /** Incidents newest first; `page.after` is the id to continue below (0: from the newest). */
  findIncidents(filter: IncidentFilter, page: PageRequest): Promise<Page<IncidentSummary>>;
  /** Incidents counted per group, most first (withdrawn ones never count). */
  incidentTrends(filter: IncidentFilter, request: TrendRequest): Promise<IncidentTrend[]>;
  /** Notices with id after `afterId`, in id order: what delivery has not handled yet. */
  listNoticesAfter(afterId: number, limit: number): Promise<NoticeRecord[]>;
  /** The notices among `ids`, by id. */
  getNotices(ids: number[]): Promise<Map<number, NoticeRecord>>;
  /** How far the named consumer of the outbox has read (0: nothing yet). */
  noticeWatermark(name: string): Promise<number>;
  getSubscription(id: string): Promise<SubscriptionRecord | null>;
  /** Subscriptions not removed, of one organisation (or all: null), oldest first. */
  listSubscriptions(orgId: string | null): Promise<SubscriptionRecord[]>;
  getDelivery(id: string): Promise<DeliveryRecord | null>;
  /** Deliveries in creation order, after `page.after` (a seq). */
  listDeliveries(filter: DeliveryFilter, page: PageRequest): Promise<Page<DeliveryRecord>>;
  /** A delivery's attempts, first first. */
  listDeliveryAttempts(deliveryId: string): Promise<DeliveryAttempt[]>;
  getRecall(number: string): Promise<RecallRecord | null>;
  /** Campaigns newest first; `page.after` is a campaign's place in that order (0: from the newest). */
  listRecalls(filter: RecallFilter, page: PageRequest): Promise<Page<RecallRecord>>;
  /** Open campaigns, for matching robots as their components and software change. */
  listOpenRecalls(): Promise<RecallRecord[]>;
  /** IDs of the robots that may match (within `scope`), in ID order: a superset read from the index that narrows
   *  most; `addRecallCandidates` decides. */
  findRecallCandidates(criteria: RecallCriteria, scope: string[] | null): Promise<string[]>;
  /** Every campaign entry of these robots (any state). */
  listRecallEntries(robotIds: string[]): Promise<RecallRobot[]>;
  /** A campaign's robots in ID order after `page.after`. */
  listRecallRobots(
    number: string,
    filter: RecallRobotFilter,
    page: PageRequest<string>,
  ): Promise<Page<RecallRobot, string>>;
  recallProgress(number: string): Promise<RecallProgress>;
  /** Robots per state now (RecallProgress without the series: cheap, from the state index). */
  recallCounts(number: string): Promise<RecallProgress['byState']>;
  /** Findings in id order after `page.after`. */
  listComplianceFindings(filter: FindingFilter, page: PageRequest): Promise<Page<ComplianceFinding>>;
  /** How many findings match, by rule. */
  countComplianceFindings(filter: Omit<FindingFilter, 'rule'>): Promise<Map<RuleCode, number>>;
  /** Leaves in the transparency log: always the number of events stored. */
  logSize(): Promise<number>;
  /** Stored tiles of the log's tree (src/log/tiles.ts), by `tileKeyString`; absent keys are not in the map. */
  readLogTiles(keys: TileKey[]): Promise<Map<string, Buffer>>;
  /** Events with seq in [from, to), in order: the log's leaves from index from − 1. */
  listEventsBySeq(from: number, to: number): Promise<StoredEvent[]>;
  latestCheckpoint(): Promise<CheckpointRecord | null>;
  getCheckpoint(size: number): Promise<CheckpointRecord | null>;
  /** Checkpoints in size order, after `page.after` (a size). */
  listCheckpoints(page: PageRequest): Promise<Page<CheckpointRecord>>;
  listCosignatures(size: number): Promise<CosignatureRecord[]>;
}

/** A unit of work: everything a use case writes, committed together. */
export interface Tx extends Reader {
  /** Runs `work` as a nested unit: if it throws, what it wrote is undone and the rest of the transaction stays. */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
  /** Next value of a named counter (starting at 1); never hands the same value out twice. */
  nextCounter(name: string): Promise<number>;
  insertOrganisation(org: Organisation): Promise<void>;
  insertApiKey(key: ApiKeyRecord): Promise<void>;
  revokeApiKey(id: string, at: string): Promise<void>;
  /**
   * The key, read so that a revocation cannot commit between this read and the end of the unit of work (it waits
   * for it): a write checked against a live key is never committed after that key's revocation.
   */
  holdApiKey(id: string): Promise<ApiKeyRecord | null>;
  touchApiKey(id: string, at: string): Promise<void>;
  insertModel(model: RobotModel): Promise<void>;
  /** Reserves `count` registry serial numbers for a model and returns the first. */
  reserveSerials(enterpriseCode: string, modelCode: string, count: number): Promise<number>;
  insertIssuance(issuance: IssuanceRecord): Promise<void>;
  /** Records the IDs (canonical) issued by an issuance inserted before in the same unit of work. */
  insertRobots(issuanceId: string, ids: string[]): Promise<void>;
  insertAudit(entry: AuditEntry): Promise<void>;
  insertRecall(recall: RecallRecord, seq: number): Promise<void>;
  updateRecall(number: string, change: RecallChange): Promise<void>;
  /**
   * Adds to a campaign those of `candidates` that its criteria still match now (checked again in this unit of work,
   * so a part replaced meanwhile is not counted) and that it does not hold yet, as notified at `at`. Returns them
   * with their custodians.
   */
  addRecallCandidates(
    recall: RecallRecord,
    candidates: string[],
    at: string,
  ): Promise<{ robotId: string; custodianId: string }[]>;
  /** Adds robots matched already (by a capture, in memory), as notified at `at`; ones held already are skipped. */
  addRecallRobots(
    entries: { recall: string; robotId: string; custodianId: string }[],
    at: string,
  ): Promise<void>;
  putRecallStates(changes: RecallStateChange[]): Promise<void>;
  /** Records the stop-use order each robot got under a campaign (its event's seq), or why it was refused. */
  setRecallStopUse(number: string, entries: StopUseOutcome[]): Promise<void>;
  /** Appends notices to the outbox in the order given. */
  insertNotices(notices: NewNotice[]): Promise<void>;
  putNoticeWatermark(name: string, lastId: number): Promise<void>;
  insertSubscription(subscription: SubscriptionRecord): Promise<void>;
  /** Marks it removed; false if there was no such subscription not removed yet. */
  deleteSubscription(id: string, at: string): Promise<boolean>;
  /** Appends deliveries, each given the next seq; one already there for the same subscription and notice is kept. */
  insertDeliveries(deliveries: NewDelivery[]): Promise<void>;
  /**
   * Pending deliveries due at `now` (at most `limit`, the longest due first), their due time moved to `leaseUntil`:
   * no other claim takes them while an attempt runs, and a crash mid-attempt leaves them due again then.
   */
  claimDueDeliveries(now: string, leaseUntil: string, limit: number): Promise<DeliveryRecord[]>;
  updateDelivery(id: string, update: DeliveryUpdate): Promise<void>;
  insertDeliveryAttempt(attempt: DeliveryAttempt): Promise<void>;
  /** Ends a removed subscription's pending deliveries as dead, with `error` as the reason. */
  endPendingDeliveries(subscriptionId: string, at: string, error: string): Promise<void>;
  insertIncidents(incidents: NewIncident[]): Promise<void>;
  /** Marks the incidents these corrections void as withdrawn; returns the ids of those it withdrew. */
  withdrawIncidents(
    corrections: { robotId: string; eventId: string; seq: number; at: string }[],
  ): Promise<number[]>;
  /** Moves an incident to `entry.to` (a root cause found sets it) and appends the move to its history. */
  triageIncident(change: TriageChange): Promise<void>;
  /** Appends read records in the order given (one statement on a database server). */
  insertReadAudit(entries: ReadAuditRecord[]): Promise<void>;
  /**
   * Appends events in the given order and, in the same unit of work, their leaves to the transparency log: the
   * store never holds an event that is not in the log, or the reverse. Returns the seq each was given.
   */
  insertEvents(events: NewEvent[]): Promise<number[]>;
  /** Replaces each robot's snapshot. */
  putRobotStatuses(entries: RobotStatusEntry[]): Promise<void>;
  recordComponentChanges(changes: ComponentChange[]): Promise<void>;
  insertServiceAuthorisation(authorisation: ServiceAuthorisation): Promise<void>;
  revokeServiceAuthorisation(id: string, at: string): Promise<void>;
  /** Replaces each robot's recorded software versions. */
  putSoftware(entries: SoftwareEntry[]): Promise<void>;
  /** Stores a person's sealed personal data, replacing what was there. */
  putPersonalData(record: PersonalDataRecord): Promise<void>;
  /** Replaces a data key's wrapping if it is still `previous` (a correction meanwhile wins); true if replaced. */
  rewrapPersonalDataKey(previous: WrappedKeyRecord, kekVersion: number, wrappedKey: Buffer): Promise<boolean>;
  /** Deletes a person's sealed data and wrapped key (crypto-shredding); true if there was any. */
  deletePersonalData(partyId: string): Promise<boolean>;
  insertPersonalDataErasure(erasure: PersonalDataErasure): Promise<void>;
  /** Refused if a checkpoint of that size exists: the registry signs one tree head per size. */
  insertCheckpoint(checkpoint: CheckpointRecord): Promise<void>;
  /** Replaces the witness's earlier cosignature of the same checkpoint, if any. */
  putCosignature(cosignature: CosignatureRecord): Promise<void>;
  /**
   * Runs the plan's rules over the whole registry in SQL and reconciles the stored findings: a finding found now and
   * not open opens, one still found is kept (its detail and lastSeen refreshed), an open one not found now (or of a
   * rule not in the plan) is resolved at `plan.at`.
   */
  checkCompliance(plan: CompliancePlan): Promise<ComplianceRunOutcome>;
}

/** Background work that one process of a deployment does for all of them. */
export type LeaderRole =
  'checkpoint-signer' | 'recall-worker' | 'notice-dispatcher' | 'notice-publisher' | 'compliance-checker';

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  write<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  read<T>(work: (reader: Reader) => Promise<T>): Promise<T>;
  /**
   * True when the database answers; for readiness probes. Rejects with an `unavailable` DomainError when it cannot
   * serve and the store can tell why (unreachable; storage full since a write failed for want of room).
   */
  ping(): Promise<boolean>;
  /**
   * Whether this process leads `role` among all the processes that share the database: at most one does at a time.
   * Asked again before each round of the role's work; once won, held until the process (or, on PostgreSQL, its
   * session) ends, when another process wins it at its next ask. Leadership only spares duplicate work: what the
   * role writes must still be safe under the writers' lock, since a leader can lose its session mid-round.
   */
  leads(role: LeaderRole): Promise<boolean>;
  close(): Promise<void>;
}
