/**
 * The one storage interface every use case talks to, composed of one part per area (organisations/, events/,
 * recalls/ …: each folder holds its records, its part of the interface, and its queries, written once for both
 * databases). Adapters (sqlite/, postgres/) supply connections, transactions and the few queries whose SQL must
 * differ. It is asynchronous and transactional so that a client–server database fits without change: `write` runs a
 * unit of work that commits whole or not at all; `read` runs queries on committed data.
 */
import type { OrganisationReader, OrganisationWriter } from './organisations/interface.js';
import type { ApiKeyReader, ApiKeyWriter } from './api-keys/interface.js';
import type { ModelReader, ModelWriter } from './models/interface.js';
import type { RobotReader, RobotWriter } from './robots/interface.js';
import type { EventReader, EventWriter } from './events/interface.js';
import type { SearchReader, SearchWriter } from './search/interface.js';
import type {
  ServiceAuthorisationReader,
  ServiceAuthorisationWriter,
} from './service-authorisations/interface.js';
import type { LogReader, LogWriter } from './log/interface.js';
import type { PersonalDataReader, PersonalDataWriter } from './personal-data/interface.js';
import type { AuditReader, AuditWriter } from './audit/interface.js';
import type { ReadAuditReader, ReadAuditWriter } from './read-audit/interface.js';
import type { NoticeReader, NoticeWriter } from './notices/interface.js';
import type { WebhookReader, WebhookWriter } from './webhooks/interface.js';
import type { RecallReader, RecallWriter } from './recalls/interface.js';
import type { ComplianceReader, ComplianceWriter } from './compliance/interface.js';
import type { IncidentReader, IncidentWriter } from './incidents/interface.js';
import type { PeopleReader, PeopleWriter } from './people/interface.js';
import type { PasskeyReader, PasskeyWriter } from './passkeys/interface.js';
import type { TodoReader } from './todo/interface.js';
import type { RobotGs1KeyReader, RobotGs1KeyWriter } from './robot-gs1-keys/interface.js';
import type { CaptureJobReader, CaptureJobWriter } from './epcis-captures/interface.js';
import type { EpcisQueryReader, EpcisQueryWriter } from './epcis-queries/interface.js';

export type * from './page.js';
export * from './organisations/interface.js';
export * from './api-keys/interface.js';
export * from './models/interface.js';
export * from './robots/interface.js';
export * from './events/interface.js';
export * from './search/interface.js';
export * from './service-authorisations/interface.js';
export * from './log/interface.js';
export * from './personal-data/interface.js';
export * from './audit/interface.js';
export * from './read-audit/interface.js';
export * from './notices/interface.js';
export * from './webhooks/interface.js';
export * from './recalls/interface.js';
export * from './compliance/interface.js';
export * from './incidents/interface.js';
export * from './people/interface.js';
export * from './passkeys/interface.js';
export * from './todo/interface.js';
export * from './robot-gs1-keys/interface.js';
export * from './epcis-captures/interface.js';
export * from './epcis-queries/interface.js';

/** Queries that only read. */
export interface Reader
  extends
    OrganisationReader,
    ApiKeyReader,
    ModelReader,
    RobotReader,
    EventReader,
    SearchReader,
    ServiceAuthorisationReader,
    LogReader,
    PersonalDataReader,
    AuditReader,
    ReadAuditReader,
    NoticeReader,
    WebhookReader,
    RecallReader,
    ComplianceReader,
    IncidentReader,
    PeopleReader,
    PasskeyReader,
    TodoReader,
    RobotGs1KeyReader,
    CaptureJobReader,
    EpcisQueryReader {}

/** A unit of work: everything a use case writes, committed together. */
export interface Tx
  extends
    Reader,
    OrganisationWriter,
    ApiKeyWriter,
    ModelWriter,
    RobotWriter,
    EventWriter,
    SearchWriter,
    ServiceAuthorisationWriter,
    LogWriter,
    PersonalDataWriter,
    AuditWriter,
    ReadAuditWriter,
    NoticeWriter,
    WebhookWriter,
    RecallWriter,
    ComplianceWriter,
    IncidentWriter,
    PeopleWriter,
    PasskeyWriter,
    RobotGs1KeyWriter,
    CaptureJobWriter,
    EpcisQueryWriter {
  /** Runs `work` as a nested unit: if it throws, what it wrote is undone and the rest of the transaction stays. */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
}

/** Background work that one process of a deployment does for all of them. */
export type LeaderRole =
  | 'checkpoint-signer'
  | 'recall-worker'
  | 'notice-dispatcher'
  | 'notice-publisher'
  | 'compliance-checker'
  | 'epcis-capture';

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
