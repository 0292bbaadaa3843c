import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ComplianceReport } from '../api-types.js';
import { CliContext } from '../context.js';
import { usageError } from '../exit-codes.js';
import { err, out, printJson, table } from '../output.js';
import { positiveInteger } from '../parsers.js';

interface ReportOptions {
  html?: string;
  limit?: number;
  resolvedDays?: number;
}

const day = (iso: string | null) => (iso === null ? '-' : iso.slice(0, 10));

/** A finding's facts on one line: `key: value; …`, nulls left out. */
const detailLine = (detail: Record<string, unknown>) =>
  Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');

function printReport(report: ComplianceReport) {
  out(`Compliance report for ${report.organisation.name} (${report.organisation.id}), ${report.generatedAt}`);
  const summary = report.rules.map((r) => [
    r.code,
    r.enabled ? String(r.open.count) : 'off',
    String(r.resolved.count),
    Object.entries(r.parameters)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ') || '-',
  ]);
  out(table(['RULE', 'OPEN', `RESOLVED SINCE ${day(report.resolvedSince)}`, 'PARAMETERS'], summary));
  for (const rule of report.rules.filter((r) => r.open.count > 0)) {
    out(`\n${rule.code}: ${rule.open.count} open — ${rule.description}`);
    const rows = rule.open.findings.map((f) => [f.robotId ?? f.key, day(f.firstSeen), detailLine(f.detail)]);
    out(table(['ROBOT', 'SINCE', 'DETAIL'], rows));
    if (rule.open.count > rule.open.findings.length)
      err(`(${rule.open.count - rule.open.findings.length} more ${rule.code} findings: raise --limit)`);
  }
}

export function registerCompliance(program: Command) {
  const compliance = program
    .command('compliance')
    .description('compliance rules: an organisation’s findings, and runs on demand');

  compliance
    .command('report')
    .description('an organisation’s compliance report (the organisation itself, or a regulator with --why)')
    .argument('<org>', 'the organisation ID')
    .option('--html <file>', 'write the printable HTML page to this file instead')
    .option('--limit <n>', 'findings listed per rule (1-1000, default 100)', positiveInteger)
    .option(
      '--resolved-days <n>',
      'list findings resolved within this many days (default 30)',
      positiveInteger,
    )
    .action(async (org: string, opts: ReportOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const params = { path: { orgId: org }, query: { limit: opts.limit, resolvedDays: opts.resolvedDays } };
      if (opts.html !== undefined) {
        const { data } = await ctx
          .client()
          .download(
            (api) => api.GET('/v1/organisations/{orgId}/compliance.html', { params, parseAs: 'arrayBuffer' }),
            {
              auth: 'required',
            },
          );
        try {
          writeFileSync(opts.html, data);
        } catch (error) {
          throw usageError(`cannot write ${opts.html}: ${(error as Error).message}`);
        }
        if (ctx.json) return printJson({ path: opts.html, bytes: data.length });
        return out(opts.html);
      }
      const report = await ctx
        .client()
        .call((api) => api.GET('/v1/organisations/{orgId}/compliance', { params }), { auth: 'required' });
      if (ctx.json) return printJson(report);
      printReport(report);
    });

  compliance
    .command('check')
    .description('run the compliance rules now (regulators and the administrator)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const run = await ctx.client().call((api) => api.POST('/v1/compliance/runs'), { auth: 'required' });
      if (ctx.json) return printJson(run);
      out(
        `checked ${run.rules.length} rules at ${run.at}: ${run.opened} findings opened, ${run.kept} still open, ` +
          `${run.resolved} resolved; ${run.notices} notices`,
      );
    });
}
