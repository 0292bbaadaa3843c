import { InvalidArgumentError, Option, type Command } from 'commander';
import { PURPOSES } from '../../../domain/policy/purposes.js';
import type { Query } from '../api-types.js';
import { CliContext } from '../context.js';
import { err, out, printJson, table } from '../output.js';
import { listPages } from '../paging.js';
import { robotParams } from './robot.js';

/** An instant, or a date meaning its start (UTC). */
function instant(value: string): string {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(Date.parse(text)))
    throw new InvalidArgumentError('expected a date (YYYY-MM-DD) or an instant (2026-01-04T10:00:00Z).');
  return text;
}

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
const reader = (r: { orgId: string | null; orgName: string | null }) =>
  r.orgId === null ? '-' : r.orgName ? `${r.orgName} (${r.orgId})` : r.orgId;
const classes = (list: readonly string[]) => (list.length > 0 ? list.join(',') : '-');

type AuditQuery = Query<'/v1/read-audit'>;

interface ReadsOptions {
  all?: boolean;
}

interface SearchOptions extends ReadsOptions {
  robot?: string;
  org?: string;
  purpose?: AuditQuery['purpose'];
  outcome?: AuditQuery['outcome'];
  from?: string;
  to?: string;
}

export function registerReads(program: Command) {
  program
    .command('reads')
    .description(
      "who read a robot's non-public data, newest first (its custodian or operator, or a regulator)",
    )
    .argument('<id>', 'the robot ID')
    .option('--all', 'every page, not just the first')
    .action(async (id: string, opts: ReadsOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const page = await listPages(opts.all === true, (query) =>
        client.call((api) => api.GET('/v1/robots/{id}/reads', { params: { ...robotParams(id), query } }), {
          auth: 'required',
        }),
      );
      if (ctx.json) return printJson(page);
      if (page.items.length === 0) return err('no reads recorded');
      const rows = page.items.map((r) => [
        when(r.at),
        reader(r),
        classes(r.classes),
        r.purpose ?? '-',
        r.outcome,
      ]);
      out(table(['TIME', 'READER', 'CLASSES', 'PURPOSE', 'OUTCOME'], rows));
      if (page.nextCursor !== null) err('(more reads: add --all to list every page)');
    });

  program
    .command('read-audit')
    .description('search every read of non-public data, newest first (regulators; state why with --why)')
    .option('--robot <id>', 'reads of this robot')
    .option('--org <id>', 'reads by this organisation')
    .addOption(new Option('--purpose <purpose>', 'reads made for this purpose').choices(PURPOSES))
    .addOption(new Option('--outcome <outcome>', 'granted or denied').choices(['granted', 'denied']))
    .option('--from <when>', 'at or after (YYYY-MM-DD or an instant)', instant)
    .option('--to <when>', 'before (YYYY-MM-DD or an instant)', instant)
    .option('--all', 'every page, not just the first')
    .action(async (opts: SearchOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const query: AuditQuery = {
        robotId: opts.robot,
        orgId: opts.org,
        purpose: opts.purpose,
        outcome: opts.outcome,
        from: opts.from,
        to: opts.to,
      };
      const client = ctx.client();
      const page = await listPages(opts.all === true, (page) =>
        client.call((api) => api.GET('/v1/read-audit', { params: { query: { ...query, ...page } } }), {
          auth: 'required',
        }),
      );
      if (ctx.json) return printJson(page);
      if (page.items.length === 0) return err('no reads match');
      const rows = page.items.map((r) => [
        when(r.at),
        reader(r),
        r.keyId ?? '-',
        r.robotId ?? `query: ${r.query ?? ''}`,
        classes(r.classes),
        r.purpose ?? '-',
        r.outcome,
      ]);
      out(table(['TIME', 'READER', 'KEY', 'ROBOT OR QUERY', 'CLASSES', 'PURPOSE', 'OUTCOME'], rows));
      if (page.nextCursor !== null) err('(more reads: add --all to list every page)');
    });
}
