import type { Command } from 'commander';
import { CliError, ExitCode } from '../exit-codes.js';
import { portNumber } from '../parsers.js';

interface ServeOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  publicUrl?: string;
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
    .action(async (opts: ServeOptions) => {
      // Loaded here so that the client commands do not pay for the server's start-up.
      const { serve } = await import('../../../serve.js');
      try {
        await serve({
          ...(opts.port === undefined ? {} : { port: opts.port }),
          ...(opts.host === undefined ? {} : { host: opts.host }),
          ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
          ...(opts.publicUrl === undefined ? {} : { publicBaseUrl: opts.publicUrl }),
        });
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
