import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseRobotId } from '../../../domain/id/index.js';
import { STATES } from '../../../domain/lifecycle/status.js';
import type { History, HistoryEntry, Query, Robot } from '../api-types.js';
import { ApiError, type ApiClient } from '../client.js';
import { CliContext } from '../context.js';
import { err, fields, out, printJson, table } from '../output.js';
import { listPages, type PageRequest } from '../paging.js';
import { positiveInteger } from '../parsers.js';

/** The path parameters of a `/v1/robots/{id}/…` route: the ID as typed, without surrounding blanks. */
export const robotParams = (id: string) => ({ path: { id: id.trim() } });

const useColour = () => process.stdout.isTTY === true && !process.env.NO_COLOR;
const red = (text: string) => (useColour() ? `\x1b[31m${text}\x1b[39m` : text);
const dim = (text: string) => (useColour() ? `\x1b[2m${text}\x1b[22m` : text);

/** `2026-01-04T10:00:00.000Z` → `2026-01-04 10:00:00Z`. */
const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+(?=Z|[+-]\d\d:\d\d$)/, '');

const clip = (text: string, max = 110) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The history, or null when the caller may not read it: no key (401), or not the robot's manufacturer, holder,
 * operator or a regulator (the registry answers 404 then, saying nothing of the robot's private side).
 */
async function historyOf(client: ApiClient, id: string): Promise<History | null> {
  if (!client.hasKey) return null;
  try {
    return await client.call((api) => api.GET('/v1/robots/{id}/events', { params: robotParams(id) }));
  } catch (error) {
    if (error instanceof ApiError && [401, 403, 404].includes(error.status)) return null;
    throw error;
  }
}

/** Organisation names for the IDs in a history, best effort (an ID stays an ID when it cannot be looked up). */
async function organisationNames(client: ApiClient, ids: Iterable<string>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  await Promise.all(
    [...new Set(ids)].map(async (id) => {
      try {
        const org = await client.call((api) =>
          api.GET('/v1/organisations/{orgId}', { params: { path: { orgId: id } } }),
        );
        names.set(id, org.name);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
      }
    }),
  );
  return names;
}

type Payload = Record<string, unknown>;
const str = (value: unknown) =>
  typeof value === 'string' ? value : value === undefined ? '' : String(value);
const list = (value: unknown): Payload[] =>
  Array.isArray(value) ? value.filter((v): v is Payload => typeof v === 'object' && v !== null) : [];
const join = (...parts: (string | false | undefined)[]) => parts.filter((p) => p && p !== '').join('; ');
const software = (items: Payload[]) => items.map((s) => `${str(s.target)} ${str(s.version)}`).join(', ');
/** A part by its number and, to tell it apart, its serial, else its lot. */
const part = (p: Payload | undefined) =>
  p === undefined
    ? '?'
    : [str(p.partNumber), p.serial ? str(p.serial) : p.lot ? `lot ${str(p.lot)}` : '']
        .filter((s) => s !== '')
        .join(' ');
const tag = (p: Payload | undefined) => (p?.serial ? str(p.serial) : p?.lot ? `lot ${str(p.lot)}` : '?');

/** One line about an event's payload: what a reader of the timeline wants to know. */
export function summarise(e: Pick<HistoryEntry, 'type' | 'payload'>, org: (id: string) => string): string {
  const p = (typeof e.payload === 'object' && e.payload !== null ? e.payload : {}) as Payload;
  const note = str(p.note);
  switch (e.type) {
    case 'manufactured': {
      const parts = list(p.components).length;
      const sw = software(list(p.software));
      return join(
        `produced ${str(p.productionDate)}${p.plant ? ` at ${str(p.plant)}` : ''}`,
        `${parts} component${parts === 1 ? '' : 's'}`,
        sw !== '' && `software ${sw}`,
      );
    }
    case 'certified':
      return join(
        `${str(p.standard)}: ${str(p.result)}`,
        `certificate ${str(p.certificateNumber)}`,
        p.validUntil !== undefined && `valid until ${str(p.validUntil)}`,
      );
    case 'shipped':
    case 'sold':
    case 'ownership_transferred':
      return `${e.type === 'ownership_transferred' ? 'transferred' : e.type} to ${org(str(p.toOrgId))}`;
    case 'activated':
      return `at a ${str(p.siteType).replace(/_/g, ' ')} site, region ${str(p.region)}`;
    case 'serviced': {
      const replaced = list(p.replaced).map((r) => {
        const from = r.old as Payload | undefined;
        const to = r.new as Payload | undefined;
        const number = str(to?.partNumber ?? from?.partNumber);
        return from?.partNumber === to?.partNumber
          ? `replaced ${number} ${tag(from)}→${tag(to)}`
          : `replaced ${part(from)} → ${part(to)}`;
      });
      const sw = software(list(p.software));
      return join(
        str(p.kind).replace(/_/g, ' '),
        ...replaced,
        sw !== '' && `firmware ${sw}`,
        p.description !== undefined && str(p.description),
      );
    }
    case 'incident_reported': {
      const injuries = typeof p.injuries === 'number' ? p.injuries : undefined;
      return join(
        `${str(p.category)}, ${str(p.severity)}`,
        injuries !== undefined && `${injuries} ${injuries === 1 ? 'injury' : 'injuries'}`,
        p.description !== undefined && str(p.description),
      );
    }
    case 'suspended':
      return `stop-use order ${str(p.orderNumber)}: ${str(p.reason)}`;
    case 'reinstated':
      return join(`order ${str(p.orderNumber)} lifted`, note);
    case 'recycled': {
      const counts = new Map<string, number>();
      for (const c of list(p.components)) counts.set(str(c.outcome), (counts.get(str(c.outcome)) ?? 0) + 1);
      const kg = Object.values((p.materialsKg ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0);
      return join(
        [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ') || 'no components listed',
        kg > 0 && `${kg} kg of materials`,
      );
    }
    case 'exported':
      return join(`to ${str(p.country)}`, p.counterparty !== undefined && str(p.counterparty));
    case 'imported':
      return join(`into ${str(p.country)}`, p.counterparty !== undefined && str(p.counterparty));
    case 'corrected':
      return join(
        `declares ${str(p.correctsEventId)} wrong (${str(p.reason).replace(/_/g, ' ')})`,
        p.explanation !== undefined && str(p.explanation),
      );
    default:
      return note;
  }
}

/** The history as a timeline: time, type, reporter, what happened; corrected and late events marked. */
export function timeline(events: readonly HistoryEntry[], names: ReadonlyMap<string, string>): string {
  const org = (id: string) => (names.has(id) ? `${names.get(id)} (${id})` : id);
  const rows = events.map((e) => {
    const marks = [e.correctedBy ? `[corrected by ${e.correctedBy}]` : '', e.late ? '[late]' : '']
      .filter((m) => m !== '')
      .join(' ');
    const what = clip(summarise(e, org));
    const text = [what, marks].filter((s) => s !== '').join(' ');
    return [
      when(e.eventTime),
      e.type,
      names.get(e.reportedBy) ?? e.reportedBy,
      e.correctedBy ? dim(`✗ ${text}`) : text,
    ];
  });
  return table(['TIME', 'EVENT', 'REPORTED BY', 'WHAT'], rows)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function certificationText(c: Robot['certification']): string {
  if (c.status === 'none') return 'none reported';
  const detail = [
    c.standard,
    c.validUntil ? `until ${c.validUntil}` : c.status === 'valid' ? 'no expiry' : '',
  ]
    .filter((s) => s !== undefined && s !== '')
    .join(', ');
  const text = detail === '' ? c.status : `${c.status} (${detail})`;
  return c.status === 'valid' ? text : red(text);
}

function showRobot(r: Robot, history: History | null, names: ReadonlyMap<string, string>): string {
  const { manufacturer: m, model } = r;
  const lines = [
    r.display,
    fields([
      ['state', r.state],
      [
        'stop-use',
        r.stopUse ? red(`ORDER ${r.stopUse.orderNumber} in force since ${r.stopUse.since}`) : undefined,
      ],
      ['certification', certificationText(r.certification)],
      ['produced', r.productionDate ?? r.productionMonth ?? undefined],
      ['issued', r.issuedAt],
      ['manufacturer', `${m.name} (${m.country}, enterprise ${m.enterpriseCode}, ${m.id})`],
      ['model', `${model.name} (${model.code}; ${model.category}, ${model.capabilityLevel})`],
      ['serial', r.serial],
      ['canonical', r.id],
      ['printed', r.printed],
      ['url', r.url],
      ['issuance', r.issuanceId],
    ]),
  ];
  if (history) {
    const n = history.events.length;
    lines.push('', `history (${n} event${n === 1 ? '' : 's'})`);
    if (n > 0) lines.push(timeline(history.events, names));
  }
  return lines.join('\n');
}

type RobotQuery = Query<'/v1/robots'>;

interface FindOptions {
  enterprise?: string;
  model?: string;
  state?: RobotQuery['state'];
  region?: string;
  part?: string;
  serial?: string;
  lot?: string;
  includeRemoved?: boolean;
  softwareTarget?: string;
  softwareVersion?: string;
  certification?: RobotQuery['certification'];
  producedFrom?: string;
  producedTo?: string;
  limit?: number;
  all?: boolean;
}

function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError('expected a date, YYYY-MM-DD.');
  }
  return value;
}

function limitOption(value: string): number {
  const n = positiveInteger(value);
  if (n > 1000) throw new InvalidArgumentError('at most 1000 (use --all for every page).');
  return n;
}

const displayOf = (id: string) => {
  try {
    return parseRobotId(id).display;
  } catch {
    return id;
  }
};

export function registerRobot(program: Command) {
  const robot = program.command('robot').description('registered robots');
  robot
    .command('show')
    .description(
      'a registered robot by its ID (any of the three forms): its public page, and its history when you may read it',
    )
    .argument('<id>', 'the robot ID')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const [r, history] = await Promise.all([
        client.call((api) => api.GET('/v1/robots/{id}', { params: robotParams(id) })),
        historyOf(client, id),
      ]);
      if (ctx.json) return printJson({ robot: r, history });
      const orgIds = (history?.events ?? []).flatMap((e) => {
        const to = (e.payload as { toOrgId?: unknown } | null)?.toOrgId;
        return typeof to === 'string' ? [e.reportedBy, to] : [e.reportedBy];
      });
      const names = await organisationNames(client, orgIds);
      out(showRobot(r, history, names));
    });

  robot
    .command('find')
    .description(
      'find robots (an API key is needed): a regulator searches every robot, a manufacturer its own, others the robots they hold',
    )
    .option('--enterprise <code>', "the manufacturer's enterprise code")
    .option('--model <code>', 'the model code (with --enterprise)')
    .addOption(new Option('--state <state>', 'lifecycle state').choices(STATES))
    .option('--region <region>', 'region where the robot is in use')
    .option('--part <partNumber>', 'carries a component with this part number')
    .option('--serial <serial>', '… with this serial')
    .option('--lot <lot>', '… from this lot')
    .option('--include-removed', 'also robots that carried the component once (replaced since)')
    .option(
      '--software-target <target>',
      'firmware/software target, e.g. motion_os (with --software-version)',
    )
    .option('--software-version <version>', 'installed version')
    .addOption(new Option('--certification <status>', 'certification now').choices(['valid', 'invalid']))
    .option('--produced-from <date>', 'production date on or after (YYYY-MM-DD)', isoDate)
    .option('--produced-to <date>', 'production date on or before (YYYY-MM-DD)', isoDate)
    .option('--limit <n>', 'robots per page (1-1000; default 100)', limitOption)
    .option('--all', 'every page, not just the first')
    .action(async (opts: FindOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const query: RobotQuery = {
        enterpriseCode: opts.enterprise,
        modelCode: opts.model,
        state: opts.state,
        region: opts.region,
        componentPartNumber: opts.part,
        componentSerial: opts.serial,
        componentLot: opts.lot,
        includeRemoved: opts.includeRemoved ? true : undefined,
        softwareTarget: opts.softwareTarget,
        softwareVersion: opts.softwareVersion,
        certification: opts.certification,
        producedFrom: opts.producedFrom,
        producedTo: opts.producedTo,
      };
      const client = ctx.client();
      const find = (page: PageRequest) =>
        client.call((api) => api.GET('/v1/robots', { params: { query: { ...query, ...page } } }), {
          auth: 'required',
        });
      const page = opts.all ? await listPages(true, find) : await find({ limit: opts.limit });
      if (ctx.json) return printJson(page);
      if (page.items.length === 0) {
        err('no robots match');
        return;
      }
      const rows = page.items.map((r) => [
        displayOf(r.id),
        r.state,
        r.region ?? '-',
        r.productionDate ?? '-',
        // The registry sorts a pass without end as 9999-12-31.
        r.certifiedUntil === null
          ? '-'
          : r.certifiedUntil.startsWith('9999-')
            ? 'no expiry'
            : r.certifiedUntil,
      ]);
      out(table(['ROBOT', 'STATE', 'REGION', 'PRODUCED', 'CERTIFIED UNTIL'], rows));
      const n = page.items.length;
      if (page.nextCursor !== null) err(`(${n} shown; more robots: add --all to list every page)`);
    });
}
