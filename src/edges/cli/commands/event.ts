import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Argument, Option, type Command } from 'commander';
import { parseRobotId } from '../../../domain/id/index.js';
import { EVENT_TYPES, type EventType } from '../../../domain/lifecycle/events.js';
import type { CaptureMode, CaptureResult, IncomingEvent } from '../api-types.js';
import { ApiError, NetworkError, type Problem } from '../client.js';
import { CliContext } from '../context.js';
import { CliError, ExitCode, usageError } from '../exit-codes.js';
import { err, out, printJson } from '../output.js';

/** A refusal of `POST /v1/events`: the problem document with the lifecycle extension members. */
export type CaptureProblem = Problem & {
  state?: string;
  allowed?: string[];
  results?: CaptureResult['results'];
};

const TRANSFERS: readonly EventType[] = ['shipped', 'sold', 'ownership_transferred'];
const RETRY_DELAY_MS = 1_000;

/**
 * `POST /v1/events` with `GS1-Capture-Error-Behaviour: <mode>`: NetworkError when no answer came, ApiError (exit
 * code by status, the problem document attached) for an error status. A refused rollback batch is an ApiError
 * whose problem carries `results`.
 */
export async function postEvents(
  ctx: CliContext,
  events: readonly unknown[],
  mode: CaptureMode,
  timeoutMs = 60_000,
): Promise<CaptureResult> {
  const result = await ctx.client().call(
    (api) =>
      api.POST('/v1/events', {
        params: { header: { 'gs1-capture-error-behaviour': mode } },
        // As read from the user's files: the registry checks each event and names what is wrong.
        body: { events: events as IncomingEvent[] },
      }),
    { auth: 'required', timeoutMs },
  );
  if (!Array.isArray(result?.results)) {
    throw new CliError(ExitCode.unavailable, `${ctx.client().baseUrl} did not answer with a capture result`);
  }
  return result;
}

/** Runs `send`; when no answer came back (NetworkError) waits a second and runs it once more. */
export async function retryOnce<T>(
  send: () => Promise<T>,
  note: (error: NetworkError) => string,
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    err(note(error));
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    return send();
  }
}

/** `/events/3/payload/toOrgId` → `payload/toOrgId`: the place inside the event. */
export const fieldInEvent = (field: string) => field.replace(/^\/events\/\d+\/?/, '') || 'event';

/** What the robot's state allows, as the registry said it (409s and other state refusals). */
export function stateLines(problem: { state?: string; allowed?: string[] } | null | undefined): string[] {
  if (!problem?.state) return [];
  const allowed = problem.allowed ?? [];
  return [
    `the robot is now: ${problem.state}`,
    allowed.length > 0 ? `allowed now: ${allowed.join(', ')}` : 'allowed now: nothing you may report',
  ];
}

/** A refused event as the user reads it: the reason, the faulty fields, the robot's state and what it allows. */
function explainRefusal(error: ApiError): CliError {
  const problem = error.problem as CaptureProblem | null;
  const fields = (problem?.errors ?? [])
    .filter((f) => f.message !== error.message)
    .map((f) => `${fieldInEvent(f.field)}: ${f.message}`);
  return new CliError(error.exitCode, error.message, [...new Set(fields), ...stateLines(problem)]);
}

function parsePayload(opts: AddOptions): Record<string, unknown> {
  if (opts.payload === undefined && opts.payloadFile === undefined) return {};
  let text: string;
  const source = opts.payload !== undefined ? '--payload' : `the payload file ${opts.payloadFile}`;
  if (opts.payload !== undefined) text = opts.payload;
  else {
    try {
      text = readFileSync(opts.payloadFile === '-' ? 0 : opts.payloadFile!, 'utf8');
    } catch (error) {
      throw usageError(`cannot read the payload file ${opts.payloadFile}: ${(error as Error).message}`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usageError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usageError(`${source} must be a JSON object, e.g. '{"note":"…"}'`);
  }
  return value as Record<string, unknown>;
}

function displayOf(robotId: string): string {
  try {
    return parseRobotId(robotId).display;
  } catch {
    return robotId;
  }
}

interface AddOptions {
  time?: string;
  id?: string;
  payload?: string;
  payloadFile?: string;
  to?: string;
}

export function registerEvent(program: Command) {
  const event = program.command('event').description('lifecycle events: what happens to a robot');

  event
    .command('add')
    .description(
      "report one lifecycle event; the registry checks it against the robot's state (see docs/lifecycle.md)",
    )
    .addArgument(new Argument('<type>', 'the event type').choices(EVENT_TYPES))
    .argument('<robotId>', 'the robot ID (any of the three forms)')
    .option('--time <iso>', 'when it happened, ISO 8601 with an offset (default: now)')
    .option(
      '--id <eventId>',
      'your own event id: a repeat with the same id and content (give --time too) is not recorded twice (default: a random UUID)',
    )
    .addOption(new Option('--payload <json>', 'the payload as a JSON object').conflicts('payloadFile'))
    .option('--payload-file <file>', 'the payload from a JSON file (- for stdin)')
    .option(
      '--to <orgId>',
      'shipped, sold, ownership_transferred: the organisation it goes to (payload.toOrgId)',
    )
    .addHelpText(
      'after',
      `\nExamples:\n  robotid event add shipped CN-… --to org_…\n  robotid event add activated CN-… --payload '{"siteType":"home","region":"110101"}'`,
    )
    .action(async (type: EventType, robotId: string, opts: AddOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const payload = parsePayload(opts);
      if (opts.to !== undefined) {
        if (!TRANSFERS.includes(type)) {
          throw usageError(`--to is for ${TRANSFERS.join(', ')}; a ${type} event names no organisation`);
        }
        payload.toOrgId = opts.to;
      }
      const incoming = {
        eventId: opts.id ?? randomUUID(),
        type,
        robotId: robotId.trim(),
        eventTime: opts.time ?? new Date().toISOString(),
        payload,
      };
      let result: CaptureResult;
      try {
        result = await retryOnce(
          () => postEvents(ctx, [incoming], 'rollback'),
          (e) => `${e.message}; retrying once with the same event id ${incoming.eventId}`,
        );
      } catch (error) {
        if (error instanceof ApiError && !ctx.json) throw explainRefusal(error);
        throw error;
      }
      if (ctx.json) return printJson(result);
      const r = result.results[0];
      const what = `${type} of robot ${displayOf(incoming.robotId)}`;
      if (r?.outcome === 'duplicate') {
        out(
          `Already recorded: ${what} is event ${r.eventId} (seq ${r.seq ?? '?'}), reported before; nothing new was recorded`,
        );
        return;
      }
      const late = r?.late ? '; late (reported after the deadline for this event type)' : '';
      out(`Recorded ${what}: seq ${r?.seq ?? '?'}, event ${r?.eventId ?? incoming.eventId}${late}`);
    });
}
