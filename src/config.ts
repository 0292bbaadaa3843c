import { join, resolve } from 'node:path';

export interface Config {
  host: string;
  port: number;
  /** Where the embedded store keeps its files. */
  dataDir: string;
  /** Base of the resolvable robot URLs printed in QR labels. */
  publicBaseUrl: string;
  /** ISO country of the registry operator. */
  operatorCountry: string;
  logLevel: string;
  /** JSON object of event type → reporting deadline in days, overriding the defaults. */
  deadlines: string | undefined;
}

export type ConfigOverrides = Partial<Pick<Config, 'host' | 'port' | 'dataDir' | 'publicBaseUrl'>>;

/** Settings from flags, then environment, then defaults that make `npm start` work on a fresh machine. */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const port = overrides.port ?? Number(env.ROBOTID_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`port must be 0..65535, got ${port}`);
  const host = overrides.host ?? env.ROBOTID_HOST ?? '127.0.0.1';
  const publicBaseUrl = (
    overrides.publicBaseUrl ??
    env.ROBOTID_PUBLIC_URL ??
    `http://localhost:${port}`
  ).replace(/\/+$/, '');
  return {
    host,
    port,
    dataDir: resolve(overrides.dataDir ?? env.ROBOTID_DATA_DIR ?? 'data'),
    publicBaseUrl,
    operatorCountry: (env.ROBOTID_COUNTRY ?? 'CN').toUpperCase(),
    logLevel: env.LOG_LEVEL ?? 'info',
    deadlines: env.ROBOTID_DEADLINES,
  };
}

export const sqliteFile = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'robotid.sqlite');
