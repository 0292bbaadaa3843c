/** `robotid epcis jobs [captureID]`: the organisation's EPCIS capture jobs, or one with why events were rejected. */
import type { Command } from 'commander';
import type { EpcisCaptureJob } from '../api-types.js';
import { CliContext } from '../context.js';
import { fields, out, printJson, table } from '../output.js';
import { formatCount } from '../progress.js';

const SHOWN_ERRORS = 20;

const stateOf = (job: EpcisCaptureJob) => (job.running ? 'running' : job.success ? 'success' : 'errors');

function printJob(job: EpcisCaptureJob) {
  const lines = [
    `Capture ${job.captureID}: ${stateOf(job)}`,
    fields([
      ['created', job.createdAt],
      ['finished', job.finishedAt],
      ['behaviour', job.captureErrorBehaviour],
      ['events', formatCount(job.eventCount)],
      ['accepted', formatCount(job.accepted)],
      ['duplicates', formatCount(job.duplicates)],
      ['rejected', formatCount(job.rejected)],
    ]),
  ];
  for (const e of job.errors.slice(0, SHOWN_ERRORS)) {
    const where =
      e.index === undefined ? 'the capture' : `event ${e.index}${e.eventID ? ` (${e.eventID})` : ''}`;
    lines.push(`  ${where}: ${e.problem?.code ?? '?'}: ${e.problem?.message ?? ''}`);
  }
  if (job.errors.length > SHOWN_ERRORS)
    lines.push(`  … and ${formatCount(job.errors.length - SHOWN_ERRORS)} more (--json)`);
  out(lines.join('\n'));
}

export function registerEpcisJobs(epcis: Command) {
  epcis
    .command('jobs')
    .description(
      "your organisation's EPCIS capture jobs, newest first; or one, with each event it did not record",
    )
    .argument('[captureID]', 'just this job (as `epcis capture` printed it)')
    .action(async (captureID: string | undefined, _opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      if (captureID !== undefined) {
        const job = await client.call(
          (api) => api.GET('/epcis/capture/{captureID}', { params: { path: { captureID } } }),
          { auth: 'required' },
        );
        return ctx.json ? printJson(job) : printJob(job);
      }
      const jobs = await client.call((api) => api.GET('/epcis/capture'), { auth: 'required' });
      if (ctx.json) return printJson(jobs);
      if (jobs.length === 0) return out('No capture jobs.');
      out(
        table(
          ['captureID', 'created', 'state', 'events', 'accepted', 'duplicates', 'rejected'],
          jobs.map((j) => [
            j.captureID,
            j.createdAt,
            stateOf(j),
            formatCount(j.eventCount),
            formatCount(j.accepted),
            formatCount(j.duplicates),
            formatCount(j.rejected),
          ]),
        ),
      );
    });
}
