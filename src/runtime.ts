/** The composition root: the one place that picks a store adapter and wires the use cases to it. */
import { ensurePlatformOrganisation } from './app/organisations.js';
import type { AppContext } from './app/context.js';
import { sqliteFile, type Config } from './config.js';
import { validateCountryCode } from './domain/id/index.js';
import { deadlinesWith } from './domain/lifecycle/deadlines.js';
import { SqliteStore } from './store/sqlite/index.js';

export async function openContext(config: Config): Promise<AppContext> {
  const ctx: AppContext = {
    store: SqliteStore.open(sqliteFile(config)),
    now: () => new Date(),
    publicBaseUrl: config.publicBaseUrl,
    operatorCountry: validateCountryCode(config.operatorCountry, 'ROBOTID_COUNTRY'),
    deadlines: deadlinesWith(config.deadlines),
  };
  await ensurePlatformOrganisation(ctx);
  return ctx;
}
