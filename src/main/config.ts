import { join, resolve } from 'node:path';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_RETRY_SECONDS,
  DEFAULT_TIMEOUT_MS,
  parseRetrySeconds,
} from '../app/notifications/settings.js';
import { DEFAULT_REQUEST_LIMITS, LARGEST_BODY, type RequestLimits } from '../edges/http/limits.js';
import { invalid } from '../domain/errors.js';
import { publicUrlSetting } from '../domain/settings.js';
import { isValidKeyName } from '../log/note.js';
import { logOriginAt } from '../log/tlog-tiles.js';

export interface Config extends RequestLimits {
  host: string;
  port: number;
  /** Where the embedded store keeps its files. */
  dataDir: string;
  /**
   * Where phones and verifiers reach the registry (no trailing slash): the base of the robot URLs in QR labels,
   * the passports' issuer, and the log's name (its origin is this URL's `<host><path>/tlog`).
   */
  publicBaseUrl: string;
  /** The setting that gave the public URL, for messages: `--public-url`, `ROBOTID_PUBLIC_URL`, or the default. */
  publicUrlFrom: '--public-url' | 'ROBOTID_PUBLIC_URL' | 'default';
  /** ISO country of the registry operator. */
  operatorCountry: string;
  logLevel: string;
  /** JSON object of event type → reporting deadline in days, overriding the defaults. */
  deadlines: string | undefined;
  /** JSON: destination country → data classes a record sent there may carry (docs/access.md). */
  exportPolicy: string | undefined;
  /** JSON: compliance rule code → its parameters or on/off (docs/compliance.md). */
  complianceRules: string | undefined;
  /** How often `serve` runs the compliance rules (the process that leads the 'compliance-checker' role). */
  complianceIntervalMs: number;
  /**
   * The transparency log's origin (its signing key's name) when set explicitly: a new log's name, or, for a log
   * whose name is not its public URL's (the registry moved), the acknowledgement that it keeps its name.
   */
  logOrigin: string | undefined;
  /** Verifier keys of the witnesses whose cosignatures the registry accepts. */
  witnesses: string[];
  /** How often `serve` signs a checkpoint while the log grows. */
  checkpointIntervalMs: number;
  /** How often `serve` resumes recall campaigns' background work (stop-use orders for robots that joined). */
  recallWorkIntervalMs: number;
  /** PostgreSQL instead of the embedded store, when set. */
  databaseUrl: string | undefined;
  /** The PostgreSQL schema to keep the registry in (created if missing); the server's search_path otherwise. */
  databaseSchema: string | undefined;
  /** A streaming standby of DATABASE_URL that serves reads. */
  databaseReadUrl: string | undefined;
  /** How far (ms) the standby may trail this process's commits before reads go to the primary. */
  databaseReadMaxLagMs: number | undefined;
  /** Connections per pool, and how long (ms) a query waits for one before answering 503. */
  databasePoolSize: number | undefined;
  databasePoolTimeoutMs: number | undefined;
  /** The personal-data key ring file, when not the data directory's own (ROBOTID_PERSONAL_DATA_KEYS). */
  personalDataKeys: string | undefined;
  /** Webhook delivery: per-attempt timeout, the waits before retries (ms), attempts in flight at once. */
  webhookTimeoutMs: number;
  webhookRetryDelaysMs: number[];
  webhookConcurrency: number;
  /** How often `serve` looks for notices to fan out, deliveries due, and notices to publish. */
  notifyIntervalMs: number;
  /** NATS with JetStream to publish every notice to, when set (off by default). */
  natsUrl: string | undefined;
  /** The JetStream stream (created if missing) and the subject prefix: `<prefix>.<topic>`. */
  natsStream: string;
  natsSubjectPrefix: string;
  /** The registry console's address, linked from the landing page; unset: the console this server serves (/console/). */
  consoleUrl: string | undefined;
  /**
   * Which reverse proxies' X-Forwarded-For to believe for the client address (ROBOTID_TRUST_PROXY: `true`, or
   * the proxies' addresses/CIDRs separated by commas); unset: none, the peer's address counts. Sign-in lock-out counts
   * failures per client address: behind a proxy not trusted, every client would share the proxy's.
   */
  trustProxy: boolean | string | undefined;
  /** A console session unused this long ends (ROBOTID_SESSION_IDLE_MINUTES, default 30). */
  sessionIdleMs: number;
  /** A console session ends this long after sign-in (ROBOTID_SESSION_ABSOLUTE_HOURS, default 12). */
  sessionAbsoluteMs: number;
}

export type ConfigOverrides = Partial<
  Pick<
    Config,
    | 'host'
    | 'port'
    | 'dataDir'
    | 'publicBaseUrl'
    | 'logOrigin'
    | 'databaseUrl'
    | 'databaseSchema'
    | 'databaseReadUrl'
    | 'databaseReadMaxLagMs'
    | 'databasePoolSize'
    | 'databasePoolTimeoutMs'
  >
>;

/** Settings from flags, then environment, then defaults that make `npm start` work on a fresh machine. */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const port = overrides.port ?? Number(env.ROBOTID_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`port must be 0..65535, got ${port}`);
  const host = overrides.host ?? env.ROBOTID_HOST ?? '127.0.0.1';
  const publicUrl = publicUrlOf(overrides, env, port);
  const databaseUrl = overrides.databaseUrl ?? (env.DATABASE_URL || undefined);
  const databaseReadUrl = overrides.databaseReadUrl ?? (env.ROBOTID_DATABASE_READ_URL || undefined);
  // A standby without a primary would silently be ignored: the embedded store has no replicas.
  if (databaseReadUrl !== undefined && databaseUrl === undefined)
    throw new Error('ROBOTID_DATABASE_READ_URL (a standby) needs DATABASE_URL (its primary)');
  return {
    host,
    port,
    dataDir: resolve(overrides.dataDir ?? env.ROBOTID_DATA_DIR ?? 'data'),
    ...publicUrl,
    operatorCountry: (env.ROBOTID_COUNTRY ?? 'CN').toUpperCase(),
    logLevel: env.LOG_LEVEL ?? 'info',
    deadlines: env.ROBOTID_DEADLINES,
    exportPolicy: env.ROBOTID_EXPORT_POLICY,
    complianceRules: env.ROBOTID_COMPLIANCE_RULES,
    complianceIntervalMs: complianceInterval(env.ROBOTID_COMPLIANCE_MINUTES),
    logOrigin: logOriginOf(overrides, env),
    witnesses: (env.ROBOTID_WITNESSES ?? '').split(/[\s,]+/).filter((k) => k.length > 0),
    checkpointIntervalMs: checkpointInterval(env.ROBOTID_CHECKPOINT_SECONDS),
    recallWorkIntervalMs:
      1000 * (whole(env.ROBOTID_RECALL_WORK_SECONDS, 'ROBOTID_RECALL_WORK_SECONDS', 1) ?? 30),
    databaseUrl,
    databaseSchema: overrides.databaseSchema ?? (env.ROBOTID_DATABASE_SCHEMA || undefined),
    databaseReadUrl,
    databaseReadMaxLagMs:
      overrides.databaseReadMaxLagMs ??
      whole(env.ROBOTID_DATABASE_READ_MAX_LAG_MS, 'ROBOTID_DATABASE_READ_MAX_LAG_MS', 0),
    databasePoolSize:
      overrides.databasePoolSize ?? whole(env.ROBOTID_DATABASE_POOL_SIZE, 'ROBOTID_DATABASE_POOL_SIZE', 1),
    databasePoolTimeoutMs:
      overrides.databasePoolTimeoutMs ??
      whole(env.ROBOTID_DATABASE_POOL_TIMEOUT_MS, 'ROBOTID_DATABASE_POOL_TIMEOUT_MS', 1),
    personalDataKeys: env.ROBOTID_PERSONAL_DATA_KEYS ? resolve(env.ROBOTID_PERSONAL_DATA_KEYS) : undefined,
    webhookTimeoutMs:
      whole(env.ROBOTID_WEBHOOK_TIMEOUT_MS, 'ROBOTID_WEBHOOK_TIMEOUT_MS', 1) ?? DEFAULT_TIMEOUT_MS,
    webhookRetryDelaysMs: env.ROBOTID_WEBHOOK_RETRY_SECONDS
      ? parseRetrySeconds(env.ROBOTID_WEBHOOK_RETRY_SECONDS, 'ROBOTID_WEBHOOK_RETRY_SECONDS')
      : DEFAULT_RETRY_SECONDS.map((s) => s * 1000),
    webhookConcurrency:
      whole(env.ROBOTID_WEBHOOK_CONCURRENCY, 'ROBOTID_WEBHOOK_CONCURRENCY', 1) ?? DEFAULT_CONCURRENCY,
    notifyIntervalMs: whole(env.ROBOTID_NOTIFY_INTERVAL_MS, 'ROBOTID_NOTIFY_INTERVAL_MS', 10) ?? 1000,
    ...requestLimits(env),
    natsUrl: env.ROBOTID_NATS_URL || undefined,
    consoleUrl: env.ROBOTID_CONSOLE_URL || undefined,
    trustProxy: trustProxyOf(env.ROBOTID_TRUST_PROXY),
    sessionIdleMs:
      60_000 * (whole(env.ROBOTID_SESSION_IDLE_MINUTES, 'ROBOTID_SESSION_IDLE_MINUTES', 1) ?? 30),
    sessionAbsoluteMs:
      3_600_000 * (whole(env.ROBOTID_SESSION_ABSOLUTE_HOURS, 'ROBOTID_SESSION_ABSOLUTE_HOURS', 1) ?? 12),
    natsStream: natsName(
      env.ROBOTID_NATS_STREAM ?? 'ROBOTID_NOTICES',
      'ROBOTID_NATS_STREAM',
      /^[A-Za-z0-9_-]{1,64}$/,
    ),
    natsSubjectPrefix: natsName(
      env.ROBOTID_NATS_SUBJECT_PREFIX ?? 'robotid.notices',
      'ROBOTID_NATS_SUBJECT_PREFIX',
      /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/,
    ),
  };
}

/** The public URL from `--public-url`, else ROBOTID_PUBLIC_URL, else this machine at the port (development). */
function publicUrlOf(overrides: ConfigOverrides, env: NodeJS.ProcessEnv, port: number) {
  if (overrides.publicBaseUrl !== undefined)
    return {
      publicBaseUrl: publicUrlSetting(overrides.publicBaseUrl, '--public-url'),
      publicUrlFrom: '--public-url' as const,
    };
  if (env.ROBOTID_PUBLIC_URL)
    return {
      publicBaseUrl: publicUrlSetting(env.ROBOTID_PUBLIC_URL, 'ROBOTID_PUBLIC_URL'),
      publicUrlFrom: 'ROBOTID_PUBLIC_URL' as const,
    };
  return { publicBaseUrl: `http://localhost:${port}`, publicUrlFrom: 'default' as const };
}

/** An explicit log origin (`--log-origin`, else ROBOTID_LOG_ORIGIN): a note key name, so no '+' nor spaces. */
function logOriginOf(overrides: ConfigOverrides, env: NodeJS.ProcessEnv): string | undefined {
  const [origin, field] =
    overrides.logOrigin !== undefined
      ? [overrides.logOrigin, '--log-origin']
      : [env.ROBOTID_LOG_ORIGIN || undefined, 'ROBOTID_LOG_ORIGIN'];
  if (origin === undefined || isValidKeyName(origin)) return origin;
  const why = 'must be a log origin such as registry.example.cn/tlog: not empty, no "+", no spaces';
  throw invalid('log-origin-invalid', `${field} ${why}, got "${origin}"`, [{ field, message: why }]);
}

const MiB = 1024 * 1024;

/** Request bodies in flight (MiB) and their receive timeout (seconds): docs/operations.md, "Request limits". */
function requestLimits(env: NodeJS.ProcessEnv): RequestLimits {
  const perCaller = whole(env.ROBOTID_IN_FLIGHT_MIB_PER_CALLER, 'ROBOTID_IN_FLIGHT_MIB_PER_CALLER', 1);
  const total = whole(env.ROBOTID_IN_FLIGHT_MIB, 'ROBOTID_IN_FLIGHT_MIB', 1);
  const timeout = whole(env.ROBOTID_BODY_TIMEOUT_SECONDS, 'ROBOTID_BODY_TIMEOUT_SECONDS', 1);
  const limits: RequestLimits = {
    inFlightBytesPerCaller:
      perCaller === undefined ? DEFAULT_REQUEST_LIMITS.inFlightBytesPerCaller : perCaller * MiB,
    inFlightBytesTotal: total === undefined ? DEFAULT_REQUEST_LIMITS.inFlightBytesTotal : total * MiB,
    bodyTimeoutMs: timeout === undefined ? DEFAULT_REQUEST_LIMITS.bodyTimeoutMs : timeout * 1000,
  };
  // Below the largest body (a capture batch), such a batch would be refused however idle the server.
  if (limits.inFlightBytesPerCaller < LARGEST_BODY)
    throw new Error(
      `ROBOTID_IN_FLIGHT_MIB_PER_CALLER must be at least ${LARGEST_BODY / MiB}, got ${perCaller}`,
    );
  if (limits.inFlightBytesTotal < limits.inFlightBytesPerCaller)
    throw new Error(
      `ROBOTID_IN_FLIGHT_MIB (${limits.inFlightBytesTotal / MiB}) must be at least ROBOTID_IN_FLIGHT_MIB_PER_CALLER ` +
        `(${limits.inFlightBytesPerCaller / MiB})`,
    );
  return limits;
}

/** A stream name or subject prefix: NATS refuses white space, wildcards and (in stream names) dots. */
function natsName(value: string, name: string, pattern: RegExp): string {
  if (!pattern.test(value)) throw new Error(`${name} must match ${pattern.source}, got "${value}"`);
  return value;
}

/** An optional whole-number setting, at least `min`; unset or empty means the adapter's default. */
function whole(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min)
    throw new Error(`${name} must be a whole number of at least ${min}, got ${text}`);
  return value;
}

function checkpointInterval(seconds: string | undefined): number {
  const value = Number(seconds ?? 2);
  if (!(value > 0 && value <= 3600))
    throw new Error(`ROBOTID_CHECKPOINT_SECONDS must be above 0 and at most 3600, got ${seconds}`);
  return Math.round(value * 1000);
}

function complianceInterval(minutes: string | undefined): number {
  const value = Number(minutes ?? 60);
  if (!(value >= 1 && value <= 10_080))
    throw new Error(`ROBOTID_COMPLIANCE_MINUTES must be from 1 to 10080 (a week), got ${minutes}`);
  return Math.round(value * 60_000);
}

function trustProxyOf(value: string | undefined): boolean | string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  return trimmed === 'true' ? true : trimmed;
}

export const sqliteFile = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'robotid.sqlite');

/** A new log's origin when none is set: the schema-less URL prefix of its tiles, `<host><path>/tlog`. */
export const defaultLogOrigin = (config: Pick<Config, 'publicBaseUrl'>) => logOriginAt(config.publicBaseUrl);

/** The log's signing key: secret, kept beside the database and created with it. */
export const logKeyFile = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'log-signer.key');

/** The key that seals webhook signing secrets in the database (src/main/keys/webhook-key.ts). */
export const webhookKeyFile = (config: Pick<Config, 'dataDir'>) =>
  join(config.dataDir, 'webhook-secrets.key');

/** The key-encryption keys of personal data: ROBOTID_PERSONAL_DATA_KEYS, else created beside the database. */
export const personalDataKeysFile = (config: Pick<Config, 'dataDir' | 'personalDataKeys'>) =>
  config.personalDataKeys ?? join(config.dataDir, 'personal-data-keys.json');
