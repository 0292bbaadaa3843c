import { randomBytes } from 'node:crypto';
import type { EventType } from '../domain/lifecycle/events.js';
import type { ExportPolicy } from '../domain/policy/export.js';
import type { ComplianceRules } from '../domain/safety/compliance.js';
import type { Purpose } from '../domain/policy/purposes.js';
import type { Role } from '../domain/org/roles.js';
import type { UserRole } from '../domain/org/people.js';
import type { Store } from '../store/store.js';
import type { KeyRing } from './personal-data/key-ring.js';
import type { CaptureRequest, CaptureResult } from './capture/index.js';
import type { LogSettings } from './log/settings.js';
import type { ReadAuditSink } from './read-audit.js';
import type { NotificationSettings } from './notifications/settings.js';
import type { WebhookSender } from './notifications/ports.js';
import type { PeopleSettings } from './people/settings.js';

export interface AppContext {
  store: Store;
  now: () => Date;
  /** Where `/r/<ID>` resolves, e.g. `https://registry.example.cn`; no trailing slash. */
  publicBaseUrl: string;
  /** ISO country of the registry operator; the platform organisation's jurisdiction. */
  operatorCountry: string;
  /** Days from eventTime to recordTime before a report counts as late, by event type. */
  deadlines: Record<EventType, number>;
  /** What may leave the country, by destination. */
  exportPolicy: ExportPolicy;
  /** The compliance rules as this deployment runs them (ROBOTID_COMPLIANCE_RULES). */
  compliance: ComplianceRules;
  /** The transparency log's signing key and known witnesses. */
  log: LogSettings;
  /**
   * The personal-data key ring as it is now (re-read when rotation replaced it). Absent in the writer thread,
   * which only captures events.
   */
  personalDataKeys?: () => KeyRing;
  /**
   * Events of an EPCIS document read and recorded at a time (app/epcis/capture.ts READING_CHUNK unless given; tests
   * make it small, so that their documents are read in several chunks).
   */
  epcisReadingChunk?: number;
  /** Where the store part of a capture runs, when not in this thread (the embedded store's writer thread). */
  applyCapture?: (request: CaptureRequest) => Promise<CaptureResult>;
  /** Webhook delivery settings and the key sealing signing secrets. Absent in the writer thread. */
  notifications?: NotificationSettings;
  /** Where webhook attempts go out (src/edges/webhooks, wired by the composition). Absent in the writer thread. */
  webhookSender?: WebhookSender;
  /** Password hashing cost and session lifetimes (src/app/people/settings.ts); the defaults where absent. */
  people?: PeopleSettings;
  /** Records reads of non-public data (buffered; src/app/read-audit.ts). */
  readAudit: ReadAuditSink;
  /** Stops what the context started (threads), writes the read records still waiting and closes the store. */
  close(): Promise<void>;
}

/**
 * Who is calling: an organisation acting through one of its API keys, or through one of its people signed in.
 * Anonymous callers are `null`.
 */
export interface Actor {
  orgId: string;
  /** The credential: an API key's id, or `user:<user id>` for a person (what events and the audit record). */
  keyId: string;
  /** The person acting, signed in with a session; absent for an API key. */
  user?: ActingUser;
  roles: ReadonlySet<Role>;
  /** Why the caller reads (header RobotID-Purpose): required of regulators, recorded in the read audit. */
  purpose?: Purpose | null;
}

export type Caller = Actor | null;

/** A signed-in person: the role limits what the organisation's roles allow (app/people/permissions.ts). */
export interface ActingUser {
  id: string;
  role: UserRole;
  sessionId: string;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 16 random base32 characters (80 bits): unguessable identifiers that are safe in URLs and file names. */
export function randomId(prefix = ''): string {
  const bytes = randomBytes(16);
  let out = prefix;
  for (let i = 0; i < 16; i++) out += BASE32[bytes[i]! & 31];
  return out;
}

export const isoNow = (ctx: AppContext) => ctx.now().toISOString();
