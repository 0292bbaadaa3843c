import { loadConfig, type ConfigOverrides } from './config.js';
import { buildServer } from './edges/http/server.js';
import { signCheckpoint, startCheckpointing } from './app/log/checkpoints.js';
import { openContext } from './runtime.js';

/** Starts the registry and stops it cleanly on SIGINT/SIGTERM (in-flight requests finish, the store closes). */
export async function serve(overrides: ConfigOverrides = {}) {
  const config = loadConfig(overrides);
  const ctx = await openContext(config, { startThreads: true });
  const app = await buildServer(ctx, {
    docsUi: true,
    logger: { level: config.logLevel, redact: ['req.headers.authorization'] },
  });
  await app.listen({ host: config.host, port: config.port });
  // A checkpoint now (so there is one to fetch), then every few seconds while the log grows.
  await signCheckpoint(ctx);
  const stopSigning = startCheckpointing(ctx, config.checkpointIntervalMs, (error) =>
    app.log.error({ err: error }, 'could not sign a checkpoint'),
  );
  app.log.info(
    { dataDir: config.dataDir, publicBaseUrl: config.publicBaseUrl, logKey: ctx.log.verifierKey },
    'robotid registry ready; API docs at /docs',
  );
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    stopSigning();
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return app;
}
