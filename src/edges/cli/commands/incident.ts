import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  INCIDENT_CATEGORIES,
  INCIDENT_SEVERITIES,
  INCIDENT_SOURCES,
} from '../../../domain/lifecycle/events.js';
import { TREND_DIMENSIONS, TRIAGE_STATES } from '../../../domain/safety/incidents.js';
import type { Incident, Query, RequestBody } from '../api-types.js';
import { ApiError } from '../client.js';
import { CliContext } from '../context.js';
import { CliError, usageError } from '../exit-codes.js';
import { err, fields, out, printJson, table } from '../output.js';
import { listPages } from '../paging.js';
import { collect } from '../parsers.js';
import { fieldInEvent, postEvents, retryOnce } from './event.js';

/** A part as an incident names it (and as `--component` gives it). */
type Part = NonNullable<Incident['components']>[number];
type IncidentQuery = Query<'/v1/incidents'>;
type TrendsQuery = Query<'/v1/incidents/trends'>;

/** `HJ-40:LOT-7`, `HJ-40:LOT-7:SN123` or `HJ-40::SN123`: a part number with its lot and/or serial. */
function component(value: string, previous: Part[] = []): Part[] {
  const [partNumber, lot, serial, ...rest] = value.split(':');
  if (!partNumber || rest.length > 0 || (!lot && !serial)) {
    throw new InvalidArgumentError('expected PART:LOT, PART:LOT:SERIAL or PART::SERIAL.');
  }
  return [...previous, { kind: null, partNumber, ...(lot ? { lot } : {}), ...(serial ? { serial } : {}) }];
}

const MEDIA_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.mp4': 'video/mp4',
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.csv': 'text/csv',
};

/** A file described by its hash, computed here: the file itself never leaves this machine. */
function attachmentOf(path: string) {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw usageError(`cannot read the attachment ${path}: ${(error as Error).message}`);
  }
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    mediaType: MEDIA_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    name: basename(path),
    size: statSync(path).size,
  };
}

function wholeNumber(value: string): number {
  if (!/^\d{1,5}$/.test(value)) throw new InvalidArgumentError('expected a whole number of 0 or more.');
  return Number(value);
}

/** `motion_os=3.2.1`: a firmware target and version. */
function firmware(value: string): { target: string; version: string } {
  const at = value.indexOf('=');
  if (at < 1 || at === value.length - 1) throw new InvalidArgumentError('expected TARGET=VERSION.');
  return { target: value.slice(0, at), version: value.slice(at + 1) };
}

/** A date (its start, UTC) or an instant. */
function instant(value: string): string {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(Date.parse(text)))
    throw new InvalidArgumentError('expected a date (YYYY-MM-DD) or an instant (2026-01-04T10:00:00Z).');
  return text;
}

function incidentId(value: string): number {
  if (!/^[1-9]\d{0,15}$/.test(value)) throw new InvalidArgumentError('expected an incident id (a number).');
  return Number(value);
}

interface ReportOptions {
  category: string;
  severity: string;
  region?: string;
  component?: Part[];
  attachment?: string[];
  description?: string;
  injuries?: number;
  source?: string;
  time?: string;
  id?: string;
}

/** `--state`, `--note`, `--root-cause`: the triage request's own fields. */
type TriageOptions = RequestBody<'/v1/incidents/{id}/triage', 'post'>;

interface FilterOptions {
  manufacturer?: string;
  model?: string;
  robot?: string;
  state?: IncidentQuery['state'];
  category?: IncidentQuery['category'];
  severity?: IncidentQuery['severity'];
  part?: string;
  lot?: string;
  firmware?: { target: string; version: string };
  from?: string;
  to?: string;
}

const filterQuery = (o: FilterOptions): IncidentQuery => ({
  manufacturer: o.manufacturer,
  model: o.model,
  robot: o.robot,
  state: o.state,
  category: o.category,
  severity: o.severity,
  partNumber: o.part,
  lot: o.lot,
  softwareTarget: o.firmware?.target,
  softwareVersion: o.firmware?.version,
  from: o.from,
  to: o.to,
});

function addFilters(command: Command): Command {
  return command
    .option('--manufacturer <orgId>', "the manufacturer's organisation id")
    .option('--model <model>', 'country, enterprise and model code, e.g. CN-0001-H1X9B4')
    .option('--robot <id>', 'one robot')
    .addOption(new Option('--state <state>', 'triage state').choices(TRIAGE_STATES))
    .addOption(new Option('--category <category>').choices(INCIDENT_CATEGORIES))
    .addOption(new Option('--severity <severity>').choices(INCIDENT_SEVERITIES))
    .option('--part <partNumber>', 'robots that carried this part (fitted then or named in the report)')
    .option('--lot <lot>', 'robots that carried a part of this lot')
    .option('--firmware <target=version>', 'firmware installed when it happened', firmware)
    .option('--from <when>', 'happened at or after (YYYY-MM-DD or an instant)', instant)
    .option('--to <when>', 'happened before (YYYY-MM-DD or an instant)', instant);
}

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
const orDash = (value: unknown) => (value === undefined || value === null ? '-' : String(value));
const partText = (p: Part) =>
  [p.partNumber, p.lot ? `lot ${p.lot}` : '', p.serial ? `serial ${p.serial}` : ''].filter(Boolean).join(' ');

function printIncident(i: Incident) {
  out(`Incident ${i.id}${i.withdrawn ? ` (withdrawn by correction ${i.withdrawn.seq})` : ''}`);
  out(
    fields([
      ['robot', i.robotId],
      ['model', i.model],
      ['manufacturer', i.manufacturerId],
      ['happened', when(i.eventTime)],
      ['category', i.category],
      ['severity', i.severity],
      ['injuries', i.injuries === undefined ? undefined : orDash(i.injuries)],
      ['region', i.region === undefined ? undefined : orDash(i.region)],
      ['source', i.source],
      ['reported by', i.reportedBy],
      ['state', i.state],
      ['root cause', i.rootCause ?? undefined],
      ['description', i.description ?? undefined],
    ]),
  );
  const list = (title: string, lines: string[] | undefined) => {
    if (lines && lines.length > 0) out([`${title}:`, ...lines.map((l) => `  ${l}`)].join('\n'));
  };
  list('parts named', i.components?.map(partText));
  list('parts fitted then', i.fitted?.map(partText));
  list(
    'firmware then',
    i.software?.map((s) => `${s.target} ${s.version}`),
  );
  list(
    'attachments',
    i.attachments?.map((a) => `${a.sha256}  ${a.mediaType}${a.name ? `  ${a.name}` : ''}`),
  );
  list(
    'triage',
    i.triage?.map(
      (t) =>
        `${when(t.at)}  ${t.from} -> ${t.to}  by ${t.orgId}${t.note ? `: ${t.note}` : ''}${t.rootCause ? ` (root cause: ${t.rootCause})` : ''}`,
    ),
  );
}

export function registerIncident(program: Command) {
  const incident = program.command('incident').description('incidents: report, list, triage, trends');

  incident
    .command('report')
    .description(
      'report an incident with a robot (its custodian, authorised service provider or manufacturer)',
    )
    .argument('<robotId>', 'the robot ID (any of the three forms)')
    .requiredOption('--category <category>', INCIDENT_CATEGORIES.join(', '))
    .requiredOption('--severity <severity>', INCIDENT_SEVERITIES.join(', '))
    .option('--region <code>', "where it happened (default: the robot's site region)")
    .option(
      '--component <part>',
      'a part involved: PART:LOT, PART:LOT:SERIAL or PART::SERIAL (repeatable)',
      component,
    )
    .option('--attachment <file>', 'a file about it: hashed here, never uploaded (repeatable)', collect)
    .option('--description <text>', 'what happened (no personal data)')
    .option('--injuries <n>', 'people injured', wholeNumber)
    .addOption(new Option('--source <source>', 'who reports').choices(INCIDENT_SOURCES))
    .option('--time <iso>', 'when it happened, ISO 8601 with an offset (default: now)')
    .option('--id <eventId>', 'your own event id, so that a repeat is not recorded twice')
    .action(async (robotId: string, opts: ReportOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const payload: Record<string, unknown> = { category: opts.category, severity: opts.severity };
      if (opts.region !== undefined) payload.region = opts.region;
      if (opts.component) payload.components = opts.component.map(({ kind: _kind, ...p }) => p);
      if (opts.attachment) payload.attachments = opts.attachment.map(attachmentOf);
      if (opts.description !== undefined) payload.description = opts.description;
      if (opts.injuries !== undefined) payload.injuries = opts.injuries;
      if (opts.source !== undefined) payload.source = opts.source;
      const event = {
        eventId: opts.id ?? randomUUID(),
        type: 'incident_reported',
        robotId: robotId.trim(),
        eventTime: opts.time ?? new Date().toISOString(),
        payload,
      };
      try {
        const result = await retryOnce(
          () => postEvents(ctx, [event], 'rollback'),
          (e) => `${e.message}; retrying once with the same event id ${event.eventId}`,
        );
        if (ctx.json) return printJson(result);
        const r = result.results[0];
        out(
          `Reported incident ${r?.seq ?? '?'} with robot ${event.robotId} (event ${r?.eventId ?? event.eventId})`,
        );
      } catch (error) {
        if (!(error instanceof ApiError) || ctx.json) throw error;
        // Each field named, even when its message is the refusal's own: "which field" is the point.
        const details = (error.problem?.errors ?? []).map((f) => `${fieldInEvent(f.field)}: ${f.message}`);
        throw new CliError(error.exitCode, error.message, details);
      }
    });

  addFilters(
    incident
      .command('list')
      .description('incidents you may see, newest first (state why with --why)')
      .option('--withdrawn', 'also incidents withdrawn by a correction')
      .option('--all', 'every page, not just the first'),
  ).action(async (opts: FilterOptions & { withdrawn?: boolean; all?: boolean }, cmd: Command) => {
    const ctx = CliContext.of(cmd);
    const query = { ...filterQuery(opts), includeWithdrawn: opts.withdrawn ? true : undefined };
    const client = ctx.client();
    const page = await listPages(opts.all === true, (page) =>
      client.call((api) => api.GET('/v1/incidents', { params: { query: { ...query, ...page } } }), {
        auth: 'required',
      }),
    );
    if (ctx.json) return printJson(page);
    if (page.items.length === 0) return err('no incidents match');
    const rows = page.items.map((i) => [
      String(i.id),
      when(i.eventTime),
      i.robotId,
      i.category,
      i.severity,
      orDash(i.injuries),
      orDash(i.region),
      i.withdrawn ? `${i.state} (withdrawn)` : i.state,
    ]);
    out(table(['ID', 'HAPPENED', 'ROBOT', 'CATEGORY', 'SEVERITY', 'INJURIES', 'REGION', 'STATE'], rows));
    if (page.nextCursor !== null) err('(more incidents: add --all to list every page)');
  });

  incident
    .command('show')
    .description('one incident with its parts, firmware then and triage history')
    .argument('<id>', 'the incident id', incidentId)
    .action(async (id: number, _opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const found = await ctx
        .client()
        .call((api) => api.GET('/v1/incidents/{id}', { params: { path: { id } } }), { auth: 'required' });
      if (ctx.json) return printJson(found);
      printIncident(found);
    });

  incident
    .command('triage')
    .description("move an incident's triage state (regulators)")
    .argument('<id>', 'the incident id', incidentId)
    .addOption(new Option('--state <state>', 'the new state').choices(TRIAGE_STATES).makeOptionMandatory())
    .option('--note <text>', 'why')
    .option('--root-cause <text>', 'what caused it (with --state root_cause_found)')
    .action(async (id: number, opts: TriageOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      let moved: Incident;
      try {
        moved = await ctx.client().call(
          (api) =>
            api.POST('/v1/incidents/{id}/triage', {
              params: { path: { id } },
              body: { state: opts.state, note: opts.note, rootCause: opts.rootCause },
            }),
          { auth: 'required' },
        );
      } catch (error) {
        const problem = error instanceof ApiError ? (error.problem as { allowed?: string[] } | null) : null;
        if (!(error instanceof ApiError) || ctx.json || !problem?.allowed) throw error;
        throw new CliError(error.exitCode, error.message, [`allowed now: ${problem.allowed.join(', ')}`]);
      }
      if (ctx.json) return printJson(moved);
      out(`Incident ${moved.id} is now ${moved.state}`);
    });

  addFilters(
    incident
      .command('trends')
      .description(
        'incidents counted per model, part, lot, firmware or month (regulators; manufacturers: own robots)',
      )
      .addOption(
        new Option('--by <dimension>', 'what to group by').choices(TREND_DIMENSIONS).makeOptionMandatory(),
      )
      .addOption(
        new Option(
          '--parts <which>',
          'by part or lot: parts fitted then (default) or named in the report',
        ).choices(['fitted', 'involved']),
      )
      .option('--limit <n>', 'at most this many groups (default 100)', wholeNumber),
  ).action(async (opts: FilterOptions & Pick<TrendsQuery, 'by' | 'parts' | 'limit'>, cmd: Command) => {
    const ctx = CliContext.of(cmd);
    const query = { ...filterQuery(opts), by: opts.by, parts: opts.parts, limit: opts.limit };
    const result = await ctx
      .client()
      .call((api) => api.GET('/v1/incidents/trends', { params: { query } }), { auth: 'required' });
    if (ctx.json) return printJson(result);
    if (result.groups.length === 0) return err('no incidents match');
    const rows = result.groups.map((g) => [
      Object.values(g.group).join(' '),
      String(g.count),
      String(g.bySeverity.minor ?? 0),
      String(g.bySeverity.moderate ?? 0),
      String(g.bySeverity.serious ?? 0),
      String(g.bySeverity.critical ?? 0),
      String(g.injuries),
    ]);
    out(
      table(
        [opts.by.toUpperCase(), 'INCIDENTS', 'MINOR', 'MODERATE', 'SERIOUS', 'CRITICAL', 'INJURIES'],
        rows,
      ),
    );
  });
}
