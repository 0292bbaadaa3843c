/** `robotid serve`: runs the registry in this process (local: the server is the composition's, handed in). */
import type { Command } from 'commander';
import { CliError, ExitCode, usageError } from '../exit-codes.js';
import { portNumber, positiveInteger } from '../parsers.js';
import type { LocalRegistry, PublicSettings } from './registry.js';

export const PUBLIC_URL_HELP =
  'where phones and verifiers reach the registry: the QR labels, passports and the log origin ' +
  '(<host><path>/tlog) use it (default: $ROBOTID_PUBLIC_URL, else http://localhost:<port>)';
export const LOG_ORIGIN_HELP =
  "the log's name when it is not the public URL's: a new log's, or a moved registry's old one that witnesses " +
  'pin (default: $ROBOTID_LOG_ORIGIN; docs/operations.md, "Moving a registry")';

/** The flags that say where a starting registry is reached (serve, demo). */
export const publicSettings = (opts: { publicUrl?: string; logOrigin?: string }): PublicSettings => ({
  ...(opts.publicUrl === undefined ? {} : { publicBaseUrl: opts.publicUrl }),
  ...(opts.logOrigin === undefined ? {} : { logOrigin: opts.logOrigin }),
});

interface ServeOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  publicUrl?: string;
  logOrigin?: string;
  workers?: number;
}

/** Most worker processes `--workers` starts: more than the cores gains nothing but database connections. */
const MAX_WORKERS = 64;

/** Several processes need a database server: SQLite's one file allows one writing process at a time. */
function checkWorkers(workers: number) {
  if (workers > MAX_WORKERS) throw usageError(`--workers: at most ${MAX_WORKERS}`);
  if (workers > 1 && !process.env.DATABASE_URL)
    throw usageError(
      `--workers ${workers} needs PostgreSQL: several server processes cannot share the embedded SQLite store`,
      ['set DATABASE_URL (and ROBOTID_DATABASE_SCHEMA if wanted) to run several processes on one database'],
    );
}

export function registerServe(program: Command, local: LocalRegistry) {
  program
    .command('serve')
    .description('run the registry server (API docs at /docs); stops cleanly on Ctrl-C')
    .option('--port <n>', 'port to listen on (default: $ROBOTID_PORT, else 8080)', portNumber)
    .option('--host <host>', 'address to listen on (default: $ROBOTID_HOST, else 127.0.0.1)')
    .option('--data-dir <dir>', 'where the database is kept (default: $ROBOTID_DATA_DIR, else ./data)')
    .option('--public-url <url>', PUBLIC_URL_HELP)
    .option('--log-origin <origin>', LOG_ORIGIN_HELP)
    .option(
      '--workers <n>',
      'run n server processes sharing the port, restarted if they die (n > 1 needs DATABASE_URL)',
      positiveInteger,
    )
    .action(async (opts: ServeOptions) => {
      if (opts.workers !== undefined) checkWorkers(opts.workers);
      try {
        await local.serve(
          {
            ...(opts.port === undefined ? {} : { port: opts.port }),
            ...(opts.host === undefined ? {} : { host: opts.host }),
            ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
            ...publicSettings(opts),
          },
          opts.workers,
        );
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE')
          throw new CliError(ExitCode.unavailable, `the port is in use: ${(error as Error).message}`);
        if (code === 'EACCES' || code === 'EADDRNOTAVAIL') {
          throw new CliError(ExitCode.unavailable, `cannot listen: ${(error as Error).message}`);
        }
        throw error;
      }
    });
}
