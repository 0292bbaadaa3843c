import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { CaptureMode, CaptureResult, EventProblem, EventResult } from '../api-types.js';
import { ApiError, NetworkError } from '../client.js';
import { CliContext } from '../context.js';
import { CliError, ExitCode, usageError } from '../exit-codes.js';
import { err, fields, out, printJson } from '../output.js';
import { positiveInteger } from '../parsers.js';
import type { RunState } from '../program-base.js';
import { formatCount, formatDuration, ProgressBar } from '../progress.js';
import { postEvents, type CaptureProblem } from './event.js';

const MAX_BATCH = 10_000;
const DEFAULT_BATCH = 5_000;
/** The registry takes request bodies up to 32 MiB: a batch is sent early before it grows past this. */
const MAX_BATCH_BYTES = 24 * 1024 * 1024;
/** A line longer than this could never fit in a request. */
const MAX_LINE_CHARS = 16 * 1024 * 1024;
const BATCH_TIMEOUT_MS = 300_000;
const RETRY_DELAY_MS = 1_000;

/** Why a line was not recorded, as written to the rejected file. */
type LineProblem = Omit<EventProblem, 'kind' | 'state' | 'allowed'> & {
  kind: string;
  state?: string;
  allowed?: string[];
};

interface Pending {
  line: number;
  /** The line as parsed, before an event id was added. */
  original: Record<string, unknown>;
  /** What is sent: the original with an event id. */
  event: Record<string, unknown>;
}

export interface ImportSummary {
  file: string;
  mode: CaptureMode;
  /** Non-blank lines read. */
  lines: number;
  /** Events the registry answered for. */
  sent: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Of the rejected: lines that were fine but not recorded because their batch was rolled back. */
  rolledBack: number;
  /** Accepted events reported after their deadline. */
  late: number;
  seconds: number;
  eventsPerSecond: number;
  rejectedFile: string | null;
}

/**
 * The event id of a line without one: derived from the line's content and number, so that running the same
 * import again (after a crash, a lost answer, a fix of other lines) is recognised by the registry as a repeat.
 */
export const lineEventId = (line: number, text: string) =>
  `imp-${createHash('sha256').update(`${line}\n${text}`).digest('base64url').slice(0, 32)}`;

function batchSize(value: string): number {
  const n = positiveInteger(value);
  if (n > MAX_BATCH) throw new InvalidArgumentError(`at most ${formatCount(MAX_BATCH)} events per request.`);
  return n;
}

/** `/events/7/robotId` → `/robotId`: a JSON pointer into the line's own event. */
function relativeProblem(problem: EventProblem): LineProblem {
  return {
    ...problem,
    fields: problem.fields.map((f) => ({ ...f, field: f.field.replace(/^\/events\/\d+/, '') })),
  };
}

/** The rejected file, opened on first use. */
class RejectedFile {
  private fd: number | null = null;
  count = 0;

  constructor(readonly path: string) {}

  write(entries: { line: number; event: unknown; problem: LineProblem }[]): void {
    if (entries.length === 0) return;
    try {
      this.fd ??= openSync(this.path, 'w');
      writeSync(this.fd, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    } catch (error) {
      throw usageError(`cannot write the rejected lines to ${this.path}: ${(error as Error).message}`);
    }
    this.count += entries.length;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

class Importer {
  readonly tally = {
    lines: 0,
    sent: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    rolledBack: 0,
    late: 0,
  };
  /** The last input line done, and the bytes up to it: where a stopped import got to. */
  lineDone = 0;
  private bytesDone = 0;
  readonly started = Date.now();
  /** Rejected lines of the batch under way: written together, in line order, when it is done. */
  private held: { line: number; event: unknown; problem: LineProblem }[] = [];

  constructor(
    private readonly ctx: CliContext,
    private readonly mode: CaptureMode,
    private readonly rejected: RejectedFile,
    private readonly progress: ProgressBar | null,
  ) {}

  async run(file: string, batchLimit: number): Promise<void> {
    const input = createReadStream(file, { encoding: 'utf8' });
    const lines = createInterface({ input, crlfDelay: Infinity });
    let batch: Pending[] = [];
    let batchBytes = 0;
    /** rollback: the first line of this batch that could not be sent (the batch is then not sent at all). */
    let unsendable: number | null = null;
    let lineNo = 0;
    let bytes = 0;
    const flush = async () => {
      if (unsendable !== null) this.notSent(batch, unsendable);
      else if (batch.length > 0) await this.send(batch);
      this.writeHeld();
      batch = [];
      batchBytes = 0;
      unsendable = null;
      this.lineDone = lineNo;
      this.bytesDone = bytes;
      this.showProgress(true);
    };
    try {
      for await (const raw of lines) {
        lineNo += 1;
        bytes += Buffer.byteLength(raw, 'utf8') + 1;
        const text = raw.trim();
        if (text === '') continue;
        this.tally.lines += 1;
        const parsed = parseLine(text);
        if ('problem' in parsed) {
          this.reject([{ line: lineNo, event: text, problem: parsed.problem }]);
          if (this.mode === 'rollback') unsendable ??= lineNo;
        } else {
          const original = parsed.value;
          const event =
            'eventId' in original ? original : { eventId: lineEventId(lineNo, text), ...original };
          batch.push({ line: lineNo, original, event });
          batchBytes += text.length + 64;
        }
        if (batch.length >= batchLimit || batchBytes >= MAX_BATCH_BYTES) await flush();
        else if (batch.length === 0) {
          this.lineDone = lineNo;
          this.bytesDone = bytes;
          this.showProgress(false);
        }
      }
      await flush();
    } finally {
      this.writeHeld();
      lines.close();
      input.destroy();
    }
  }

  summary(file: string): ImportSummary {
    const seconds = (Date.now() - this.started) / 1000;
    return {
      file,
      mode: this.mode,
      ...this.tally,
      seconds: Math.round(seconds * 1000) / 1000,
      eventsPerSecond: seconds > 0 ? Math.round(this.tally.sent / seconds) : 0,
      rejectedFile: this.rejected.count > 0 ? this.rejected.path : null,
    };
  }

  private showProgress(force: boolean) {
    this.progress?.update({ lines: this.lineDone, bytes: this.bytesDone, events: this.tally.sent }, force);
  }

  private reject(entries: { line: number; event: unknown; problem: LineProblem }[]) {
    this.held.push(...entries);
    this.tally.rejected += entries.length;
  }

  private writeHeld() {
    const entries = this.held.sort((a, b) => a.line - b.line);
    this.held = [];
    this.rejected.write(entries);
  }

  /** rollback: a line of the batch could not be sent, so none of it is. */
  private notSent(batch: Pending[], culprit: number) {
    this.reject(
      batch.map((p) => ({
        line: p.line,
        event: p.original,
        problem: {
          kind: 'invalid',
          code: 'rolled-back',
          message: `not sent: line ${culprit} of the same batch is not an event, and --mode rollback records a batch whole or not at all`,
          fields: [],
        },
      })),
    );
    this.tally.rolledBack += batch.length;
  }

  private async send(batch: Pending[]): Promise<void> {
    const events = batch.map((p) => p.event);
    let results: EventResult[];
    let rolledBack = false;
    try {
      results = (await this.post(events)).results;
    } catch (error) {
      const problem = error instanceof ApiError ? (error.problem as CaptureProblem | null) : null;
      if (!problem || !Array.isArray(problem.results)) throw error;
      results = problem.results;
      rolledBack = true;
    }
    this.tally.sent += batch.length;
    const rejectedLines = results.filter((r) => r.outcome === 'rejected').map((r) => batch[r.index]?.line);
    const entries: { line: number; event: unknown; problem: LineProblem }[] = [];
    for (const r of results) {
      const p = batch[r.index];
      if (!p) continue;
      if (r.outcome === 'duplicate') this.tally.duplicates += 1;
      else if (r.outcome === 'rejected') {
        entries.push({ line: p.line, event: p.original, problem: relativeProblem(r.problem!) });
      } else if (!rolledBack) {
        this.tally.accepted += 1;
        if (r.late) this.tally.late += 1;
      } else {
        this.tally.rolledBack += 1;
        entries.push({
          line: p.line,
          event: p.original,
          problem: {
            kind: 'conflict',
            code: 'rolled-back',
            message: `not recorded: the batch was rolled back because ${rejectedLines.length === 1 ? `line ${rejectedLines[0]} was` : `lines ${rejectedLines.slice(0, 5).join(', ')}${rejectedLines.length > 5 ? ', …' : ''} were`} rejected (--mode rollback)`,
            fields: [],
          },
        });
      }
    }
    this.reject(entries);
  }

  /** One batch, sent again once when no answer came back or the registry was busy: event ids make it safe. */
  private async post(events: unknown[]): Promise<CaptureResult> {
    const attempt = () => postEvents(this.ctx, events, this.mode, BATCH_TIMEOUT_MS);
    try {
      return await attempt();
    } catch (error) {
      const retryable =
        error instanceof NetworkError ||
        (error instanceof ApiError && [502, 503, 504].includes(error.status));
      if (!retryable) throw error;
      this.progress?.clear();
      err(`${(error as CliError).message}; sending the batch once more (its event ids make a repeat safe)`);
      await new Promise((done) => setTimeout(done, RETRY_DELAY_MS));
      return attempt();
    }
  }
}

function parseLine(text: string): { value: Record<string, unknown> } | { problem: LineProblem } {
  if (text.length > MAX_LINE_CHARS) {
    return {
      problem: {
        kind: 'invalid',
        code: 'line-too-large',
        message: `the line is ${formatCount(text.length)} characters long; an event fits in ${formatCount(MAX_LINE_CHARS)}`,
        fields: [],
      },
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      problem: {
        kind: 'invalid',
        code: 'malformed-json',
        message: `not valid JSON: ${(error as Error).message}`,
        fields: [],
      },
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      problem: {
        kind: 'invalid',
        code: 'not-an-event',
        message: `an event is a JSON object with type, robotId, eventTime and payload; got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
        fields: [],
      },
    };
  }
  return { value: value as Record<string, unknown> };
}

function printSummary(s: ImportSummary) {
  const late = s.late > 0 ? ` (${formatCount(s.late)} late)` : '';
  const rolledBack =
    s.rolledBack > 0 ? `, of which ${formatCount(s.rolledBack)} only rolled back with them` : '';
  out(
    [
      `Imported ${s.file}: ${formatCount(s.lines)} lines in ${formatDuration(s.seconds)} (${formatCount(s.eventsPerSecond)} events/s)`,
      fields([
        ['accepted', `${formatCount(s.accepted)}${late}`],
        [
          'duplicates',
          `${formatCount(s.duplicates)}${s.duplicates > 0 ? ' (recorded before; nothing new)' : ''}`,
        ],
        [
          'rejected',
          `${formatCount(s.rejected)}${rolledBack}${s.rejectedFile ? `: see ${s.rejectedFile}` : ''}`,
        ],
      ]),
    ].join('\n'),
  );
}

interface ImportOptions {
  batch: number;
  mode: CaptureMode;
  rejected?: string;
}

export function registerImport(program: Command, state: RunState) {
  program
    .command('import')
    .description(
      'bulk capture: report the lifecycle events of an NDJSON file (one event per line, in order); exit code 1 if some lines were rejected',
    )
    .argument(
      '<file>',
      'the NDJSON file: one event a line, {"type", "robotId", "eventTime", "payload"[, "eventId"]}',
    )
    .option('--batch <n>', `events per request (at most ${formatCount(MAX_BATCH)})`, batchSize, DEFAULT_BATCH)
    .addOption(
      new Option(
        '--mode <mode>',
        'proceed: record the good events of a batch and reject the bad ones; rollback: a batch is recorded whole or not at all',
      )
        .choices(['proceed', 'rollback'])
        .default('proceed'),
    )
    .option(
      '--rejected <file>',
      'where the rejected lines go, with the reasons (default: <file>.rejected.ndjson)',
    )
    .addHelpText(
      'after',
      [
        '',
        'A line without an eventId gets one derived from its content and line number, so running the same import',
        'again records nothing twice: those lines are reported as duplicates. Fix rejected lines in place (or import',
        'a file of just the fixed events); deleting lines renumbers the lines after them, which then count as new.',
        'Each rejected line goes to the rejected file as {"line": N, "event": <the line>, "problem": <why>}.',
      ].join('\n'),
    )
    .action(async (file: string, opts: ImportOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      let size: number | null;
      try {
        const stat = statSync(file);
        if (stat.isDirectory()) throw usageError(`${file} is a directory, not an NDJSON file`);
        size = stat.isFile() ? stat.size : null;
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw usageError(`cannot read ${file}: ${(error as Error).message}`);
      }
      const rejectedPath = opts.rejected ?? `${file}.rejected.ndjson`;
      if (resolve(rejectedPath) === resolve(file)) {
        throw usageError('the rejected file cannot be the input file');
      }
      if (ctx.key === undefined) {
        throw new CliError(
          ExitCode.auth,
          'no API key configured: pass --key, set ROBOTID_API_KEY, or run `robotid login --key <key>`',
        );
      }
      // A rejected file left by an earlier run would be mistaken for this run's.
      try {
        unlinkSync(rejectedPath);
      } catch {
        // none there
      }
      const rejected = new RejectedFile(rejectedPath);
      const progress = ProgressBar.onStderr(size);
      const importer = new Importer(ctx, opts.mode, rejected, progress);
      try {
        await importer.run(file, opts.batch);
      } catch (error) {
        progress?.clear();
        const s = importer.summary(file);
        err(
          `import stopped after line ${formatCount(importer.lineDone)}: ${formatCount(s.accepted)} accepted, ` +
            `${formatCount(s.duplicates)} duplicates, ${formatCount(s.rejected)} rejected so far; ` +
            'run the same command again to go on (lines recorded already are reported as duplicates)',
        );
        throw error instanceof Error && 'code' in error && !(error instanceof CliError)
          ? usageError(`cannot read ${file}: ${error.message}`)
          : error;
      } finally {
        rejected.close();
      }
      progress?.clear();
      const s = importer.summary(file);
      if (ctx.json) printJson(s);
      else printSummary(s);
      if (s.rejected > 0) state.exitCode = ExitCode.checkFailed;
    });
}
