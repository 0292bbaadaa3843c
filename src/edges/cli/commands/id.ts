import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { parseRobotId } from '../../../domain/id/robot-id.js';
import type { IssueResult, RequestBody } from '../api-types.js';
import { NetworkError, type ApiClient } from '../client.js';
import { CliContext } from '../context.js';
import { ExitCode, usageError } from '../exit-codes.js';
import { err, out, printJson } from '../output.js';
import { positiveInteger } from '../parsers.js';
import type { RunState } from '../program-base.js';
import { checkRobotId } from './id-check.js';

interface IssueOptions {
  model: string;
  count?: number;
  serialsFile?: string;
  manufacturer?: string;
  requestId?: string;
  out?: string;
}

const ISSUE_TIMEOUT_MS = 120_000;
const RETRY_DELAY_MS = 1_000;

/** One serial per line; blank lines and surrounding spaces ignored. `-` reads stdin. */
function readSerials(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read the serials file ${file}: ${(error as Error).message}`);
  }
  const serials = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (serials.length === 0) throw usageError(`the serials file ${file} holds no serials`);
  return serials;
}

/**
 * POST /v1/ids, retried once when no answer came back (the request may or may not have been served): the
 * request id makes the registry answer a repeat with the first result, so a retry never issues twice.
 */
async function issue(client: ApiClient, body: RequestBody<'/v1/ids', 'post'>): Promise<IssueResult> {
  const send = () =>
    client.call((api) => api.POST('/v1/ids', { body }), { auth: 'required', timeoutMs: ISSUE_TIMEOUT_MS });
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    err(`${error.message}; retrying once with the same request id ${String(body.requestId)}`);
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    return send();
  }
}

function displayOf(printed: string | undefined): string {
  if (printed === undefined) return '-';
  try {
    return parseRobotId(printed).display;
  } catch {
    return printed;
  }
}

function summary(result: IssueResult): string {
  const noun = result.count === 1 ? 'ID' : 'IDs';
  const range =
    result.count === 1
      ? displayOf(result.ids[0])
      : `${displayOf(result.ids[0])} … ${displayOf(result.ids.at(-1))}`;
  const replay = result.replayed ? ' (a repeat of an earlier request: these were issued then, none now)' : '';
  return `issued ${result.count} ${noun} for model ${result.modelCode}, issuance ${result.issuanceId}: ${range}${replay}`;
}

export function registerId(program: Command, state: RunState) {
  const id = program.command('id').description('issue and check robot IDs');

  id.command('issue')
    .description(
      'issue robot IDs for a model; prints the IDs one per line on stdout and a summary on stderr (so `> ids.txt` works)',
    )
    .requiredOption('--model <code>', 'model code (6 characters)')
    .addOption(
      new Option('--count <n>', 'this many IDs with registry-issued serials')
        .argParser(positiveInteger)
        .conflicts('serialsFile'),
    )
    .option(
      '--serials-file <file>',
      'your own 17-character serials, one per line (blank lines ignored; - for stdin)',
    )
    .option('--manufacturer <orgId>', 'the manufacturer (administrators only)')
    .option(
      '--request-id <id>',
      'idempotency key: a repeat with the same id returns the first result (default: generated)',
    )
    .option('--out <file>', 'write the IDs to this file instead of stdout')
    .action(async (opts: IssueOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      if (opts.count === undefined && opts.serialsFile === undefined) {
        throw usageError(
          'say how many IDs: --count <n> (registry serials) or --serials-file <file> (your own serials)',
        );
      }
      const body = {
        model: opts.model,
        ...(opts.count === undefined
          ? { serials: readSerials(opts.serialsFile ?? '-') }
          : { count: opts.count }),
        ...(opts.manufacturer === undefined ? {} : { manufacturerId: opts.manufacturer }),
        requestId: opts.requestId ?? randomUUID(),
      };
      const result = await issue(ctx.client(), body);
      const lines = result.ids.length === 0 ? '' : result.ids.join('\n') + '\n';
      if (opts.out !== undefined) {
        try {
          writeFileSync(opts.out, lines);
        } catch (error) {
          throw usageError(`cannot write ${opts.out}: ${(error as Error).message}`, [
            `the IDs were issued (issuance ${result.issuanceId}); repeat with --request-id ${body.requestId} to get them again`,
          ]);
        }
      }
      if (ctx.json) printJson(result);
      else if (opts.out === undefined) process.stdout.write(lines);
      err(summary(result) + (opts.out === undefined ? '' : `; written to ${opts.out}`));
    });

  id.command('check')
    .description(
      'check a robot ID offline (no registry needed) and explain its parts; exit code 1 if it is wrong',
    )
    .argument('<id>', 'the ID in canonical (29 characters), printed (31) or display form (35, with hyphens)')
    .action((input: string, _opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const report = checkRobotId(input);
      if (ctx.json) printJson(report.json);
      else out(report.text);
      if (!report.ok) state.exitCode = ExitCode.checkFailed;
    });
}
