import cluster from 'node:cluster';
import type { Command } from 'commander';
import { CliError, ExitCode, usageError } from '../exit-codes.js';
import { portNumber, positiveInteger } from '../parsers.js';
import type { ConfigOverrides } from '../../../main/config.js';

interface ServeOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  publicUrl?: string;
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

/** Starts the registry: one process, or a cluster's primary with `--workers` (each worker runs `serve` too). */
async function start(overrides: ConfigOverrides, workers: number | undefined) {
  const { serve } = await import('../../../main/serve.js');
  if (workers === undefined || cluster.isWorker) return void (await serve(overrides));
  const { serveCluster } = await import('../../../main/serve-cluster.js');
  await serveCluster(overrides, workers);
}

export function registerServe(program: Command) {
  program
    .command('serve')
    .description('run the registry server (API docs at /docs); stops cleanly on Ctrl-C')
    .option('--port <n>', 'port to listen on (default: $ROBOTID_PORT, else 8080)', portNumber)
    .option('--host <host>', 'address to listen on (default: $ROBOTID_HOST, else 127.0.0.1)')
    .option('--data-dir <dir>', 'where the database is kept (default: $ROBOTID_DATA_DIR, else ./data)')
    .option(
      '--public-url <url>',
      'base of the robot URLs in QR labels (default: $ROBOTID_PUBLIC_URL, else http://localhost:<port>)',
    )
    .option(
      '--workers <n>',
      'run n server processes sharing the port, restarted if they die (n > 1 needs DATABASE_URL)',
      positiveInteger,
    )
    .action(async (opts: ServeOptions) => {
      if (opts.workers !== undefined) checkWorkers(opts.workers);
      try {
        // Loaded in `start` so that the client commands do not pay for the server's start-up.
        await start(
          {
            ...(opts.port === undefined ? {} : { port: opts.port }),
            ...(opts.host === undefined ? {} : { host: opts.host }),
            ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
            ...(opts.publicUrl === undefined ? {} : { publicBaseUrl: opts.publicUrl }),
          },
          opts.workers,
        );
      } catch (error) {
        // A worker that failed to start: its channel to the primary must not keep it alive once it has said why.
        if (cluster.isWorker) process.channel?.unref();
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
