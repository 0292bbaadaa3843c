/**
 * `robotid epcis capture <file>`: an EPCISDocument sent to the registry's EPCIS capture interface, its jobs followed
 * to their end, and the events not recorded written to a file to fix and send again (docs/epcis.md, CLI).
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { CaptureMode, EpcisCaptureJob } from '../api-types.js';
import { ApiError } from '../client.js';
import { CliContext } from '../context.js';
import {
  isEpcisDocument,
  notRecorded,
  problemAt,
  rejectedDocument,
  splitDocument,
  type CaptureLimits,
  type EpcisDocument,
  type Part,
  type Unrecorded,
} from '../epcis-document.js';
import { CliError, ExitCode, usageError } from '../exit-codes.js';
import { err, fields, out, printJson } from '../output.js';
import type { RunState } from '../program-base.js';
import { CountBar, formatCount, formatDuration } from '../progress.js';
import { retryOnce, stateLines } from './event.js';

const JSON_LD = 'application/ld+json';
const POST_TIMEOUT_MS = 300_000;
const FIRST_POLL_MS = 100;
const LONGEST_POLL_MS = 2_000;
const SHOWN_REJECTIONS = 10;
const MiB = 1024 * 1024;

export interface EpcisCaptureSummary {
  file: string;
  captureErrorBehaviour: CaptureMode;
  events: number;
  /** The capture jobs, one per part sent, in order. */
  captureIDs: string[];
  accepted: number;
  duplicates: number;
  /** Events the registry rejected, each for a reason of its own. */
  rejected: number;
  /** Events not recorded only because others of their capture were (rollback), or the capture failed whole. */
  rolledBack: number;
  rejectedFile: string | null;
  seconds: number;
}

function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw usageError(`${file === '-' ? 'stdin' : file} is not JSON: ${(error as Error).message}`);
  }
}

/** The limits OPTIONS /epcis/capture advertises; null when the registry advertises none. */
async function captureLimits(ctx: CliContext): Promise<CaptureLimits | null> {
  const headers = await retryOnce(
    () => ctx.client().discover('/epcis/capture'),
    (e) => `${e.message}; asking for the capture limits again`,
  );
  const events = Number(headers?.get('gs1-epcis-capture-limit'));
  const bytes = Number(headers?.get('gs1-epcis-capture-file-size-limit'));
  if (!Number.isSafeInteger(events) || events < 1) return null;
  return { events, bytes: Number.isSafeInteger(bytes) && bytes > 0 ? bytes : Infinity };
}

const sizeText = (bytes: number) =>
  bytes >= MiB ? `${Math.round(bytes / MiB)} MiB` : `${formatCount(bytes)} bytes`;

/**
 * The captures to send. A document over the registry's limits is sent in parts in proceed mode (each event stands
 * alone there) and refused in rollback mode, whose all-or-nothing several captures could not keep.
 */
function plan(
  file: string,
  document: EpcisDocument,
  limits: CaptureLimits | null,
  mode: CaptureMode,
): Part[] {
  let parts: Part[];
  try {
    parts = splitDocument(document, limits ?? { events: Infinity, bytes: Infinity });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw usageError(`cannot send ${file}: ${error.message}`);
  }
  if (parts.length > 1 && mode === 'rollback') {
    const events = document.epcisBody.eventList.length;
    throw usageError(
      `${file} has ${formatCount(events)} events; the registry takes at most ${formatCount(limits!.events)} events and ${sizeText(limits!.bytes)} a capture (GS1-EPCIS-Capture-Limit, GS1-EPCIS-Capture-File-Size-Limit)`,
      [
        'rollback records a capture whole or not at all, which several captures cannot promise',
        `add --error-behaviour proceed to send it as ${parts.length} captures of consecutive events, in order, or split it yourself`,
      ],
    );
  }
  return parts;
}

async function submit(ctx: CliContext, part: Part, mode: CaptureMode): Promise<EpcisCaptureJob> {
  const send = () =>
    ctx.client().call(
      (api) =>
        api.POST('/epcis/capture', {
          params: { header: { 'gs1-capture-error-behaviour': mode } },
          // As read from the user's file: the registry checks the document and names each fault by a pointer.
          body: part.document as never,
          headers: { 'content-type': JSON_LD },
        }),
      { auth: 'required', timeoutMs: POST_TIMEOUT_MS },
    );
  // Sent again when no answer came: every event is known by its eventID or event hash, so nothing is recorded twice.
  return retryOnce(send, (e) => `${e.message}; sending the document once more (nothing is recorded twice)`);
}

/** Asks for the job until it has ended, less often as it goes on; `waiting` after each answer. */
async function ended(ctx: CliContext, job: EpcisCaptureJob, waiting: () => void): Promise<EpcisCaptureJob> {
  let delay = FIRST_POLL_MS;
  while (job.running) {
    await new Promise((done) => setTimeout(done, delay));
    delay = Math.min(LONGEST_POLL_MS, delay * 1.5);
    const { captureID } = job;
    job = await retryOnce(
      () =>
        ctx
          .client()
          .call((api) => api.GET('/epcis/capture/{captureID}', { params: { path: { captureID } } }), {
            auth: 'required',
          }),
      (e) => `${e.message}; asking for capture ${captureID} again`,
    );
    waiting();
  }
  return job;
}

/** A refusal of a part: its pointers moved to the places of the input, and what the parts before it did. */
function refusalOfPart(error: ApiError, part: Part, index: number, count: number, before: string): CliError {
  const shift = (text: string) =>
    text.replace(
      /\/epcisBody\/eventList\/(\d+)/g,
      (_, i: string) => `/epcisBody/eventList/${Number(i) + part.offset}`,
    );
  if (count === 1) return new CliError(error.exitCode, shift(error.message), error.details.map(shift));
  return new CliError(error.exitCode, `capture ${index + 1} of ${count} refused: ${shift(error.message)}`, [
    ...error.details.map(shift),
    ...(index > 0 ? [`the captures before it were taken: ${before}`] : []),
  ]);
}

const tallyText = (t: { accepted: number; duplicates: number; rejected: number }) =>
  `${formatCount(t.accepted)} accepted, ${formatCount(t.duplicates)} duplicates, ${formatCount(t.rejected)} rejected`;

/** The first rejections, each with its reason, its places in the input and the robot's state. */
function rejectionLines(unrecorded: readonly Unrecorded[]): string[] {
  const own = unrecorded.filter((u) => u.own);
  const lines = own.slice(0, SHOWN_REJECTIONS).flatMap((u) => {
    const problem = problemAt(u.problem, u.sourceIndex);
    const places = problem.fields.map((f) =>
      f.message === problem.message ? f.field : `${f.field}: ${f.message}`,
    );
    return [
      `  event ${u.sourceIndex}${u.eventID ? ` (${u.eventID})` : ''}: ${problem.code}: ${problem.message}`,
      ...[...new Set(places)].map((p) => `    at ${p}`),
      ...stateLines(problem as { state?: string; allowed?: string[] })
        .filter((line) => !problem.message.includes(line))
        .map((line) => `    ${line}`),
    ];
  });
  if (own.length > SHOWN_REJECTIONS) lines.push(`  … and ${formatCount(own.length - SHOWN_REJECTIONS)} more`);
  // A capture that failed whole (no event at fault) says so once.
  const failures = unrecorded.filter((u) => !u.own && u.problem.code !== 'rolled-back');
  for (const text of new Set(failures.map((u) => `${u.problem.code}: ${u.problem.message}`))) {
    lines.push(`  a capture failed, none of its events recorded: ${text}`);
  }
  return lines;
}

function printSummary(s: EpcisCaptureSummary, unrecorded: readonly Unrecorded[]) {
  const captures =
    s.captureIDs.length === 1 ? `capture ${s.captureIDs[0]}` : `${s.captureIDs.length} captures`;
  const rolledBack =
    s.rolledBack > 0
      ? `; ${formatCount(s.rolledBack)} more not recorded (${s.captureErrorBehaviour === 'rollback' ? 'rolled back with them' : 'their capture failed'})`
      : '';
  const lines = [
    `Captured ${s.file}: ${formatCount(s.events)} events in ${captures} (${s.captureErrorBehaviour}) in ${formatDuration(s.seconds)}`,
    fields([
      ['accepted', formatCount(s.accepted)],
      [
        'duplicates',
        `${formatCount(s.duplicates)}${s.duplicates > 0 ? ' (recorded before; nothing new)' : ''}`,
      ],
      [
        'rejected',
        `${formatCount(s.rejected)}${rolledBack}${s.rejectedFile ? `: see ${s.rejectedFile}` : ''}`,
      ],
    ]),
  ];
  const rejections = rejectionLines(unrecorded);
  if (rejections.length > 0) lines.push('Rejected:', ...rejections);
  out(lines.join('\n'));
}

interface CaptureOptions {
  errorBehaviour: CaptureMode;
  rejected?: string;
}

/** What the captures of one run came to. */
interface Outcome {
  tally: { accepted: number; duplicates: number; rejected: number; rolledBack: number };
  captureIDs: string[];
  unrecorded: Unrecorded[];
}

/** Sends the parts in order, each once the job of the one before has ended, and adds up what their jobs did. */
async function captureParts(
  ctx: CliContext,
  parts: Part[],
  mode: CaptureMode,
  total: number,
): Promise<Outcome> {
  const bar = CountBar.onStderr(total);
  const outcome: Outcome = {
    tally: { accepted: 0, duplicates: 0, rejected: 0, rolledBack: 0 },
    captureIDs: [],
    unrecorded: [],
  };
  let done = 0;
  for (const [k, part] of parts.entries()) {
    const count = part.document.epcisBody?.eventList?.length ?? 0;
    const which = parts.length > 1 ? `capture ${k + 1}/${parts.length}` : 'capture';
    let job: EpcisCaptureJob;
    try {
      job = await submit(ctx, part, mode);
    } catch (error) {
      bar?.clear();
      if (error instanceof ApiError)
        throw refusalOfPart(error, part, k, parts.length, tallyText(outcome.tally));
      if (k > 0) stoppedAt(k, parts.length, outcome);
      throw error;
    }
    const { captureID } = job;
    outcome.captureIDs.push(captureID);
    if (job.running && !bar) {
      err(
        `${which} ${captureID}: ${formatCount(count)} events queued; waiting until the registry has taken them (robotid epcis jobs ${captureID})`,
      );
    }
    try {
      job = await ended(ctx, job, () => bar?.update(done, `${which} ${captureID} running`));
    } catch (error) {
      bar?.clear();
      err(`${which} ${captureID} was sent; the registry goes on with it: robotid epcis jobs ${captureID}`);
      if (k > 0) stoppedAt(k, parts.length, outcome);
      throw error;
    }
    done += count;
    const missing = notRecorded(part, job);
    const own = missing.filter((m) => m.own).length;
    outcome.tally.accepted += job.accepted;
    outcome.tally.duplicates += job.duplicates;
    outcome.tally.rejected += own;
    outcome.tally.rolledBack += missing.length - own;
    outcome.unrecorded.push(...missing);
    bar?.update(done, `${which} done`, true);
    if (!bar && parts.length > 1)
      err(`${which} ${captureID}: ${tallyText({ ...job, rejected: missing.length })}`);
  }
  bar?.clear();
  return outcome;
}

/** What a run of several captures that stopped at capture `k` (from 0) had done, and that running it again is safe. */
function stoppedAt(k: number, count: number, outcome: Outcome) {
  err(
    `stopped at capture ${k + 1} of ${count}; the ${k === 1 ? 'one' : k} before took ${tallyText(outcome.tally)}. ` +
      'Run the same command again to go on: events recorded already are reported as duplicates',
  );
}

/** Removes a rejected file left by an earlier run, which would be mistaken for this run's. */
function removeStale(path: string) {
  try {
    unlinkSync(path);
  } catch {
    // none there
  }
}

async function capture(file: string, opts: CaptureOptions, ctx: CliContext, state: RunState) {
  const started = Date.now();
  const mode = opts.errorBehaviour;
  const rejectedPath =
    opts.rejected ?? (file === '-' ? 'epcis-capture.rejected.json' : `${file}.rejected.json`);
  if (file !== '-' && resolve(rejectedPath) === resolve(file)) {
    throw usageError('the rejected file cannot be the input file');
  }
  const input = readDocument(file);
  if (ctx.key === undefined) {
    throw new CliError(
      ExitCode.auth,
      'no API key configured: pass --key, set ROBOTID_API_KEY, or run `robotid login --key <key>`',
    );
  }
  // Not a document (no epcisBody.eventList): sent as it is, for the registry to name what is wrong by pointers.
  const document = isEpcisDocument(input) ? input : null;
  const parts = document
    ? plan(file, document, await captureLimits(ctx), mode)
    : [{ offset: 0, document: input as EpcisDocument }];
  const total = document?.epcisBody.eventList.length ?? 0;
  removeStale(rejectedPath);
  if (parts.length > 1) {
    err(
      `${file} has ${formatCount(total)} events, more than one capture takes: sending it as ${parts.length} captures of consecutive events, in order`,
    );
  }
  const { tally, captureIDs, unrecorded } = await captureParts(ctx, parts, mode, total);
  const written = unrecorded.length > 0 && document !== null;
  if (written) {
    try {
      writeFileSync(rejectedPath, JSON.stringify(rejectedDocument(document, unrecorded), null, 2) + '\n');
    } catch (error) {
      throw usageError(`cannot write the rejected events to ${rejectedPath}: ${(error as Error).message}`);
    }
  }
  const summary: EpcisCaptureSummary = {
    file: file === '-' ? 'stdin' : file,
    captureErrorBehaviour: mode,
    events: total,
    captureIDs,
    ...tally,
    rejectedFile: written ? rejectedPath : null,
    seconds: Math.round(Date.now() - started) / 1000,
  };
  if (ctx.json) printJson(summary);
  else printSummary(summary, unrecorded);
  if (unrecorded.length > 0) state.exitCode = ExitCode.checkFailed;
}

export function registerEpcisCapture(epcis: Command, state: RunState) {
  epcis
    .command('capture')
    .description(
      'send an EPCIS 2.0 document (JSON or JSON-LD) to the registry and follow its capture; exit code 1 if events were not recorded',
    )
    .argument('<file>', 'the EPCISDocument (- for stdin)')
    .addOption(
      new Option(
        '--error-behaviour <mode>',
        'rollback: all events recorded or none; proceed: the good ones recorded (GS1-Capture-Error-Behaviour)',
      )
        .choices(['rollback', 'proceed'])
        .default('rollback'),
    )
    .option(
      '--rejected <file>',
      'where the events not recorded go, as a document to fix and send again (default: <file>.rejected.json; for stdin epcis-capture.rejected.json)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Each event is recorded as a lifecycle event, or rejected with its reason (docs/epcis.md). Events not recorded',
        'are written to the rejected file: the input with just those events, unchanged, and under "robotid:rejected"',
        'why each was not recorded (its index there, its sourceIndex in the input, the problem with JSON pointers into',
        'the rejected file). Fix them there and capture the rejected file: it is a document the registry takes as it is.',
        'Sending a document again records nothing twice (eventID, or the CBV 2.0 event hash): its events are duplicates.',
        '',
        "A document over the registry's limits (GS1-EPCIS-Capture-Limit events, GS1-EPCIS-Capture-File-Size-Limit",
        'bytes, from OPTIONS /epcis/capture) is sent as several captures of consecutive events with',
        '--error-behaviour proceed, and refused with rollback (one capture is all or nothing; several cannot be).',
      ].join('\n'),
    )
    .action((file: string, opts: CaptureOptions, cmd: Command) =>
      capture(file, opts, CliContext.of(cmd), state),
    );
}
