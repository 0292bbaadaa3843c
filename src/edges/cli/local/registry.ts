/**
 * What the local commands need from the composition root: the registry on this machine, opened in this process.
 * src/main/local-registry.ts implements it and hands it to the program (src/main/cli.ts): an edge does not import
 * the composition. Each method loads what it needs when called, so that the API's client commands do not pay for
 * the server's modules.
 */
import type { AppContext } from '../../../app/context.js';
import type { CopyableStore } from '../../../app/migrate-store.js';
import type { KeyRingFile } from '../../../app/personal-data/rotation.js';
import type { StoreBackups } from '../../../store/backups.js';

/** Where a registry that starts (serve, demo) is reached, and its log's name when set explicitly. */
export interface PublicSettings {
  publicBaseUrl?: string;
  logOrigin?: string;
}

/** What `robotid serve` takes from its options; the rest of the configuration comes from the environment. */
export interface ServeSettings extends PublicSettings {
  port?: number;
  host?: string;
  dataDir?: string;
}

/** A registry's data as configured: `--data-dir`, else $ROBOTID_DATA_DIR, else ./data (and DATABASE_URL). */
export interface DataDirectory {
  readonly dataDir: string;
  /** The log signing key's file. */
  readonly logKeyFile: string;
  /** The personal-data key ring's file, read and replaced whole. */
  readonly keyRing: KeyRingFile & { readonly file: string };
  /** Backup and restore of its store, without opening the registry: a backup must not create anything. */
  backups(): Promise<StoreBackups>;
  /** The registry, opened as a server opens it (migrations, keys, platform organisation); close it after. */
  open(): Promise<AppContext>;
  /** The same, for a registry that starts here (the demo): its public URL must agree with its log's name. */
  start(): Promise<AppContext>;
}

export interface LocalRegistry {
  /** `settings`: for `start()`; the environment's otherwise. */
  dataDirectory(dataDir: string | undefined, settings?: PublicSettings): Promise<DataDirectory>;
  /** The stores `migrate-store` copies between, opened bare: no platform organisation, no key, no threads. */
  openSqliteStore(file: string): Promise<CopyableStore>;
  openPostgresStore(url: string, schema: string | undefined): Promise<CopyableStore>;
  /**
   * Runs the registry server until a signal stops it: one process, or with `workers` a cluster's primary (whose
   * workers run `serve` again, without `workers` mattering to them).
   */
  serve(settings: ServeSettings, workers: number | undefined): Promise<void>;
}
