/** The composition root: the one place that picks a store adapter and wires the use cases to it. */
import { ensurePlatformOrganisation } from './app/organisations.js';
import type { AppContext } from './app/context.js';
import { logSettings } from './app/log/settings.js';
import { defaultLogOrigin, logKeyFile, sqliteFile, type Config } from './config.js';
import { loadOrCreateLogKey } from './log-key.js';
import { validateCountryCode } from './domain/id/index.js';
import { deadlinesWith } from './domain/lifecycle/deadlines.js';
import { SqliteStore } from './store/sqlite/index.js';
import { WriterThread } from './writer-thread/main.js';

/**
 * `startThreads`: start the writer thread now rather than at the first capture (a server; not a one-off command).
 * `withoutLogForBenchmark`: events without log leaves, for the benchmark's comparison only (see SqliteOptions).
 */
export async function openContext(
  config: Config,
  options: { startThreads?: boolean; withoutLogForBenchmark?: boolean } = {},
): Promise<AppContext> {
  const file = sqliteFile(config);
  const withoutLog = options.withoutLogForBenchmark === true;
  const store = SqliteStore.open(file, { withoutLog });
  const settings = {
    publicBaseUrl: config.publicBaseUrl,
    operatorCountry: validateCountryCode(config.operatorCountry, 'ROBOTID_COUNTRY'),
    deadlines: deadlinesWith(config.deadlines),
  };
  const logKey = loadOrCreateLogKey(logKeyFile(config), config.logOrigin, defaultLogOrigin(config));
  // Captures do their SQL on a writer thread: the HTTP thread prepares the next batch meanwhile.
  const writer = new WriterThread(store, {
    file,
    ...settings,
    logKey,
    witnesses: config.witnesses,
    withoutLog,
  });
  if (options.startThreads) writer.start();
  const ctx: AppContext = {
    store,
    now: () => new Date(),
    ...settings,
    log: logSettings(logKey, config.witnesses),
    applyCapture: (caller, prepared, mode) => writer.applyCapture(caller, prepared, mode),
    close: async () => {
      await writer.close();
      await store.close();
    },
  };
  await ensurePlatformOrganisation(ctx);
  return ctx;
}
