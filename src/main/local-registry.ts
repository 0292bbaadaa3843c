/**
 * This machine's registry, for the CLI's local commands (src/edges/cli/local/registry.ts says what they need).
 * Every module of the server is loaded when a command asks for it, so that the API's client commands start
 * without them.
 */
import cluster from 'node:cluster';
import type { LocalRegistry } from '../edges/cli/local/registry.js';

export const localRegistry: LocalRegistry = {
  async dataDirectory(dataDir, settings = {}) {
    const [{ loadConfig, logKeyFile, personalDataKeysFile }, ring] = await Promise.all([
      import('./config.js'),
      import('./keys/personal-data-keys.js'),
    ]);
    const config = loadConfig({ ...settings, ...(dataDir === undefined ? {} : { dataDir }) });
    const file = personalDataKeysFile(config);
    return {
      dataDir: config.dataDir,
      logKeyFile: logKeyFile(config),
      keyRing: { file, read: () => ring.readKeyRing(file), write: (r) => ring.writeKeyRing(file, r) },
      backups: async () => (await import('./runtime.js')).storeBackups(config),
      open: async () => (await import('./runtime.js')).openContext(config),
      start: async () => (await import('./runtime.js')).openContext(config, { starts: true }),
    };
  },

  openSqliteStore: async (file) => (await import('./runtime.js')).openSqliteStore(file),
  openPostgresStore: async (url, schema) => (await import('./runtime.js')).openPostgresStore(url, schema),

  async serve(settings, workers) {
    try {
      if (workers === undefined || cluster.isWorker)
        return void (await (await import('./serve.js')).serve(settings));
      await (await import('./serve-cluster.js')).serveCluster(settings, workers);
    } catch (error) {
      // A worker that failed to start: its channel to the primary must not keep it alive once it has said why.
      if (cluster.isWorker) process.channel?.unref();
      throw error;
    }
  },
};
