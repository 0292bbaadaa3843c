import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { usageError } from './exit-codes.js';

/** What `robotid login` and `admin init --save` remember: `{ "url": ..., "key": ... }`. */
export interface ConfigFile {
  url?: string;
  key?: string;
}

/** `--config`, else `$ROBOTID_CONFIG`, else `$XDG_CONFIG_HOME/robotid/config.json`, else `~/.config/robotid/config.json`. */
export function configPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = flag ?? env.ROBOTID_CONFIG;
  if (explicit) return resolve(explicit);
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'robotid', 'config.json');
}

/** The config file's settings; a missing file is an empty one, a malformed file a usage error. */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw usageError(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw usageError(`the config file ${path} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw usageError(`the config file ${path} must hold a JSON object like {"url": "...", "key": "..."}`);
  }
  const { url, key } = parsed as Record<string, unknown>;
  return {
    ...(typeof url === 'string' && url !== '' ? { url } : {}),
    ...(typeof key === 'string' && key !== '' ? { key } : {}),
  };
}

/** Merges `changes` into the file, readable by the owner only (0600): it holds an API key. */
export function writeConfigFile(path: string, changes: ConfigFile): ConfigFile {
  const merged = { ...readConfigFile(path), ...changes };
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(merged, null, 2) + '\n', { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } catch (error) {
    throw usageError(`cannot write the config file ${path}: ${(error as Error).message}`);
  }
  return merged;
}
