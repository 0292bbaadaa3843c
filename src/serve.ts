import { loadConfig, type ConfigOverrides } from './config.js';
import { buildServer } from './edges/http/server.js';
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
  app.log.info(
    { dataDir: config.dataDir, publicBaseUrl: config.publicBaseUrl },
    'robotid registry ready; API docs at /docs',
  );
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return app;
}
