/** What every `robotid` invocation shares: global options, help, and turning errors into exit codes. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { PURPOSES } from '../../domain/policy/purposes.js';
import { DomainError } from '../../domain/errors.js';
import { withAdvice } from './advice.js';
import { ApiError } from './client.js';
import type { GlobalOptions } from './context.js';
import { CliError, EXIT_CODES_HELP, ExitCode, exitCodeForKind } from './exit-codes.js';
import { err, printError, printJson } from './output.js';

/** Mutable result of one run: commands whose outcome is not an error but still not success (id check) set it. */
export interface RunState {
  exitCode: number;
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The `robotid` command with its global options, before any subcommand is added. */
export function baseProgram(): Command {
  return (
    new Command('robotid')
      .description('Digital IDs for humanoid robots: the registry server and its command-line client.')
      .version(version(), '-V, --version', 'print the version')
      .helpOption('-h, --help', 'show help for a command')
      .option(
        '--url <url>',
        'registry URL (default: $ROBOTID_URL, then the config file, then http://127.0.0.1:8080)',
      )
      .option('--key <key>', 'API key (default: $ROBOTID_API_KEY, then the config file)')
      .option('--json', 'machine-readable output: the API response as JSON on stdout')
      .addOption(
        new Option(
          '--why <purpose>',
          'why you read, sent as RobotID-Purpose (default: $ROBOTID_PURPOSE): required of regulators, and of everyone for searches (robot find, incident list, incident trends)',
        ).choices(PURPOSES),
      )
      .option(
        '--config <file>',
        'config file (default: $ROBOTID_CONFIG, else $XDG_CONFIG_HOME/robotid/config.json or ~/.config/robotid/config.json)',
      )
      // Set before the subcommands are added: they inherit all three.
      .exitOverride()
      .showHelpAfterError('(add --help for usage)')
      .configureHelp({ showGlobalOptions: true })
      .addHelpCommand(false)
      .addHelpText('after', `\n${EXIT_CODES_HELP}\n`)
  );
}

export type Registration = (program: Command, state: RunState) => void;

/** Runs `robotid` with these subcommands on `argv` (as process.argv) and returns the exit code; never throws. */
export async function runProgram(argv: readonly string[], register: Registration): Promise<number> {
  const state: RunState = { exitCode: ExitCode.ok };
  const program = baseProgram();
  register(program, state);
  try {
    await program.parseAsync([...argv]);
    return state.exitCode;
  } catch (error) {
    return report(error, program.opts<GlobalOptions>().json === true);
  }
}

function report(error: unknown, json: boolean): number {
  // Commander has printed its own message (usage errors) or the help / version already.
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (error instanceof ApiError && json && error.problem) printJson(error.problem);
  if (error instanceof CliError) {
    const advised = withAdvice(error);
    printError(advised.message, advised.details);
    return advised.exitCode;
  }
  // Local commands (serve, admin init) run use cases directly; their typed errors map like the API's.
  if (error instanceof DomainError) {
    printError(
      error.message,
      error.fields.map((f) => `${f.field}: ${f.message}`),
    );
    return exitCodeForKind(error.kind);
  }
  printError(`unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.ROBOTID_DEBUG && error instanceof Error && error.stack) err(error.stack);
  return ExitCode.unavailable;
}
