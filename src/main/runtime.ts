/** The composition root: the one place that picks a store adapter and wires the use cases to it. */
import { ensurePlatformOrganisation } from '../app/organisations.js';
import type { AppContext } from '../app/context.js';
import { logSettings } from '../app/log/settings.js';
import { BufferedReadAudit } from '../app/read-audit.js';
import { personalDataKeysFile, sqliteFile, webhookKeyFile, type Config } from './config.js';
import { logKeyFor } from './log-origin.js';
import { loadOrCreateWebhookKey } from './keys/webhook-key.js';
import { DEFAULT_JITTER } from '../app/notifications/settings.js';
import { ensurePersonalDataKeys, keyRingSource } from './keys/personal-data-keys.js';
import { validateCountryCode } from '../domain/id/index.js';
import { deadlinesWith } from '../domain/lifecycle/deadlines.js';
import { exportPolicyWith } from '../domain/policy/export.js';
import { complianceRulesWith } from '../domain/safety/compliance.js';
import type { StoreBackups } from '../store/backups.js';
import type { Store } from '../store/store.js';
import { postgresBackups } from '../store/postgres/backup.js';
import { PostgresStore, type PostgresOptions } from '../store/postgres/index.js';
import { sqliteBackups } from '../store/sqlite/backup.js';
import { SqliteStore } from '../store/sqlite/index.js';
import { StorageState } from '../store/sqlite/storage-state.js';
import { httpWebhookSender } from '../edges/webhooks/sender.js';
import { RECOMMENDED_SCRYPT, type ScryptCost } from '../app/people/settings.js';
import { WriterThread } from './writer-thread/main.js';
import type { WriterSetup } from './writer-thread/protocol.js';

/**
 * `startThreads`: start the writer thread now rather than at the first capture (a server; not a one-off command).
 * `starts`: the registry starts here (serve, demo), so its log key must name the log its store holds and agree
 * with its public URL (src/main/log-origin.ts); maintenance commands (admin init, backup, audit) do not check.
 * `withoutLogForBenchmark`: events without log leaves, for the benchmark's comparison only (see SqliteOptions).
 * `passwordCostForTests`: a cheaper scrypt than the recommended one, so that tests sign in by the dozen; never set
 * by the server or the CLI.
 */
export async function openContext(
  config: Config,
  options: {
    startThreads?: boolean;
    starts?: boolean;
    withoutLogForBenchmark?: boolean;
    passwordCostForTests?: ScryptCost;
  } = {},
): Promise<AppContext> {
  const settings = {
    publicBaseUrl: config.publicBaseUrl,
    operatorCountry: validateCountryCode(config.operatorCountry, 'ROBOTID_COUNTRY'),
    deadlines: deadlinesWith(config.deadlines),
    exportPolicy: exportPolicyWith(config.exportPolicy),
  };
  const compliance = complianceRulesWith(config.complianceRules);
  // The store first: a registry that starts checks the log it holds before a key is created for it.
  const opened = openStore(config, options.withoutLogForBenchmark === true);
  let ctx: AppContext | undefined;
  try {
    const logKey = await logKeyFor(config, opened.store, options.starts === true);
    const keysFile = personalDataKeysFile(config);
    ensurePersonalDataKeys(keysFile, config.personalDataKeys !== undefined);
    const base = {
      now: () => new Date(),
      ...settings,
      compliance,
      log: logSettings(logKey, config.witnesses),
      personalDataKeys: keyRingSource(keysFile),
      notifications: {
        secretKey: loadOrCreateWebhookKey(webhookKeyFile(config)),
        timeoutMs: config.webhookTimeoutMs,
        retryDelaysMs: config.webhookRetryDelaysMs,
        jitter: DEFAULT_JITTER,
        concurrency: config.webhookConcurrency,
      },
      webhookSender: httpWebhookSender,
      people: {
        passwordCost: options.passwordCostForTests ?? RECOMMENDED_SCRYPT,
        sessionIdleMs: config.sessionIdleMs,
        sessionAbsoluteMs: config.sessionAbsoluteMs,
      },
    };
    const setup = { ...settings, logKey, witnesses: config.witnesses };
    ctx =
      opened.kind === 'postgres'
        ? onPostgres(opened, options, setup, base)
        : onSqlite(opened, options, setup, base);
    await ensurePlatformOrganisation(ctx);
    return ctx;
  } catch (error) {
    await (ctx === undefined ? opened.store.close() : ctx.close()).catch(() => undefined);
    throw error;
  }
}

type ContextBase = Omit<AppContext, 'store' | 'close' | 'applyCapture' | 'readAudit'>;
type ThreadSetup = Omit<WriterSetup, 'database'>;

/** The configured store, opened (migrated), with what its writer thread needs to open it too. */
type OpenedStore =
  | { kind: 'postgres'; store: PostgresStore; url: string; options: PostgresOptions }
  | { kind: 'sqlite'; store: SqliteStore; file: string; withoutLog: boolean; storage: Int32Array };

function openStore(config: Config, withoutLog: boolean): OpenedStore {
  if (config.databaseUrl) {
    const options = postgresOptions(config);
    const store = PostgresStore.open(config.databaseUrl, options);
    return { kind: 'postgres', store, url: config.databaseUrl, options };
  }
  const file = sqliteFile(config);
  const storage = StorageState.memory(); // one state for this thread's writer and the writer thread's
  return {
    kind: 'sqlite',
    store: SqliteStore.open(file, { withoutLog, storage }),
    file,
    withoutLog,
    storage,
  };
}

/** The PostgreSQL settings given; the adapter has defaults for the rest. */
function postgresOptions(config: Config): PostgresOptions {
  const options: PostgresOptions = {};
  if (config.databaseSchema !== undefined) options.schema = config.databaseSchema;
  if (config.databaseReadUrl !== undefined) options.readUrl = config.databaseReadUrl;
  if (config.databaseReadMaxLagMs !== undefined) options.readMaxLagMs = config.databaseReadMaxLagMs;
  if (config.databasePoolSize !== undefined) options.poolSize = config.databasePoolSize;
  if (config.databasePoolTimeoutMs !== undefined) options.poolTimeoutMs = config.databasePoolTimeoutMs;
  return options;
}

/**
 * PostgreSQL: captures do their state machine and SQL on a writer thread with connections of its own (the
 * database's lock orders it with every other writer), while this thread parses and prepares the next batch.
 */
function onPostgres(
  { store, url, options }: Extract<OpenedStore, { kind: 'postgres' }>,
  threads: { startThreads?: boolean },
  setup: ThreadSetup,
  base: ContextBase,
): AppContext {
  // The thread only writes: the standby is this thread's to read from.
  const writerOptions = { ...options };
  delete writerOptions.readUrl;
  const writer = new WriterThread(
    { take: (work) => work(), othersWaiting: () => false },
    {
      ...setup,
      database: { kind: 'postgres', url, options: writerOptions },
    },
  );
  if (threads.startThreads) writer.start();
  const readAudit = readAuditOn(store);
  return {
    ...base,
    store,
    readAudit,
    applyCapture: async (request) => {
      const result = await writer.applyCapture(request).catch((error: unknown) => {
        store.noteWriteFailure(error); // the thread's store is not this one: readiness is told here
        throw error;
      });
      // The capture is committed: a primary gone just now must not turn its answer into an error (a retry of
      // events without the client's own ids would record them twice). Its reads may then trail it briefly.
      await store.committedElsewhere().catch(() => undefined);
      return result;
    },
    close: async () => {
      await readAudit.close().catch(() => undefined); // reported by its warn line
      await writer.close();
      await store.close();
    },
  };
}

/** The embedded store: captures do their SQL on a writer thread while the HTTP thread prepares the next batch. */
function onSqlite(
  { store, file, withoutLog, storage }: Extract<OpenedStore, { kind: 'sqlite' }>,
  options: { startThreads?: boolean },
  setup: ThreadSetup,
  base: ContextBase,
): AppContext {
  const turn = {
    take: (work: () => Promise<void>) => store.exclusive(work),
    othersWaiting: () => store.othersWaiting(),
  };
  const writer = new WriterThread(turn, {
    ...setup,
    database: { kind: 'sqlite', file, withoutLog, storage },
  });
  if (options.startThreads) writer.start();
  const readAudit = readAuditOn(store);
  return {
    ...base,
    store,
    readAudit,
    applyCapture: (request) => writer.applyCapture(request),
    close: async () => {
      await readAudit.close().catch(() => undefined); // reported by its warn line
      await writer.close();
      await store.close();
    },
  };
}

/**
 * Each process has its own buffer of read records (`serve --workers`: one per worker). Its warnings go to stderr
 * as a JSON line, like the server's log (the store opens before the server's logger exists).
 */
function readAuditOn(store: Store): BufferedReadAudit {
  return new BufferedReadAudit(store, {
    warn: (msg) => process.stderr.write(`${JSON.stringify({ level: 40, time: Date.now(), msg })}\n`),
  });
}

/** Backup and restore for the store the configuration names (no context: a backup must not create anything). */
export const storeBackups = (config: Config): StoreBackups =>
  config.databaseUrl
    ? postgresBackups(config.databaseUrl, config.databaseSchema)
    : sqliteBackups(sqliteFile(config));

/** The stores `migrate-store` copies between, opened bare: no platform organisation, no key, no threads. */
export const openSqliteStore = (file: string) => SqliteStore.open(file);
export const openPostgresStore = (url: string, schema: string | undefined) =>
  PostgresStore.open(url, schema === undefined ? {} : { schema });
