/** The composition root: the one place that picks a store adapter and wires the use cases to it. */
import { ensurePlatformOrganisation } from './app/organisations.js';
import type { AppContext } from './app/context.js';
import { logSettings } from './app/log/settings.js';
import { defaultLogOrigin, logKeyFile, sqliteFile, type Config } from './config.js';
import { loadOrCreateLogKey } from './log-key.js';
import { validateCountryCode } from './domain/id/index.js';
import { deadlinesWith } from './domain/lifecycle/deadlines.js';
import type { StoreBackups } from './store/backups.js';
import { postgresBackups } from './store/postgres/backup.js';
import { PostgresStore, type PostgresOptions } from './store/postgres/index.js';
import { sqliteBackups } from './store/sqlite/backup.js';
import { SqliteStore } from './store/sqlite/index.js';
import { WriterThread } from './writer-thread/main.js';
import type { WriterSetup } from './writer-thread/protocol.js';

/**
 * `startThreads`: start the writer thread now rather than at the first capture (a server; not a one-off command).
 * `withoutLogForBenchmark`: events without log leaves, for the benchmark's comparison only (see SqliteOptions).
 */
export async function openContext(
  config: Config,
  options: { startThreads?: boolean; withoutLogForBenchmark?: boolean } = {},
): Promise<AppContext> {
  const settings = {
    publicBaseUrl: config.publicBaseUrl,
    operatorCountry: validateCountryCode(config.operatorCountry, 'ROBOTID_COUNTRY'),
    deadlines: deadlinesWith(config.deadlines),
  };
  const logKey = loadOrCreateLogKey(logKeyFile(config), config.logOrigin, defaultLogOrigin(config));
  const base = { now: () => new Date(), ...settings, log: logSettings(logKey, config.witnesses) };
  const ctx: AppContext = config.databaseUrl
    ? onPostgres(config.databaseUrl, postgresOptions(config), base)
    : onSqlite(config, options, { ...settings, logKey, witnesses: config.witnesses }, base);
  await ensurePlatformOrganisation(ctx);
  return ctx;
}

type ContextBase = Omit<AppContext, 'store' | 'close' | 'applyCapture'>;

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

/** PostgreSQL: captures run in the calling thread (the database server is the other core's work). */
function onPostgres(url: string, options: PostgresOptions, base: ContextBase): AppContext {
  const store = PostgresStore.open(url, options);
  return { ...base, store, close: () => store.close() };
}

/** The embedded store: captures do their SQL on a writer thread while the HTTP thread prepares the next batch. */
function onSqlite(
  config: Config,
  options: { startThreads?: boolean; withoutLogForBenchmark?: boolean },
  setup: Omit<WriterSetup, 'file' | 'withoutLog'>,
  base: ContextBase,
): AppContext {
  const file = sqliteFile(config);
  const withoutLog = options.withoutLogForBenchmark === true;
  const store = SqliteStore.open(file, { withoutLog });
  const writer = new WriterThread(store, { file, ...setup, withoutLog });
  if (options.startThreads) writer.start();
  return {
    ...base,
    store,
    applyCapture: (caller, prepared, mode) => writer.applyCapture(caller, prepared, mode),
    close: async () => {
      await writer.close();
      await store.close();
    },
  };
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
