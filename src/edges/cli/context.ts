import type { Command } from 'commander';
import { ApiClient } from './client.js';
import { configPath, readConfigFile, type ConfigFile } from './config-file.js';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

export interface GlobalOptions {
  url?: string;
  key?: string;
  json?: boolean;
  config?: string;
  why?: string;
}

/** What every command needs: the global options resolved against the environment and the config file. */
export class CliContext {
  private file: ConfigFile | undefined;

  constructor(
    readonly globals: GlobalOptions,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  static of(command: Command): CliContext {
    return new CliContext(command.optsWithGlobals<GlobalOptions>());
  }

  get json(): boolean {
    return this.globals.json === true;
  }

  get configPath(): string {
    return configPath(this.globals.config, this.env);
  }

  get configFile(): ConfigFile {
    this.file ??= readConfigFile(this.configPath);
    return this.file;
  }

  /** `--url`, else `$ROBOTID_URL`, else the config file, else the local default. */
  get url(): string {
    return this.globals.url ?? nonEmpty(this.env.ROBOTID_URL) ?? this.configFile.url ?? DEFAULT_URL;
  }

  /** Whether the URL was chosen explicitly (flag or environment) rather than taken from the file or default. */
  get explicitUrl(): string | undefined {
    return this.globals.url ?? nonEmpty(this.env.ROBOTID_URL);
  }

  /** `--key`, else `$ROBOTID_API_KEY`, else the config file. */
  get key(): string | undefined {
    return this.explicitKey ?? this.configFile.key;
  }

  get explicitKey(): string | undefined {
    return nonEmpty(this.globals.key?.trim()) ?? nonEmpty(this.env.ROBOTID_API_KEY?.trim());
  }

  /** `--why`, else `$ROBOTID_PURPOSE`: why the caller reads (sent as RobotID-Purpose; regulators and searches must say). */
  get purpose(): string | undefined {
    return nonEmpty(this.globals.why) ?? nonEmpty(this.env.ROBOTID_PURPOSE);
  }

  client(): ApiClient {
    return new ApiClient(this.url, this.key, this.purpose);
  }
}

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
