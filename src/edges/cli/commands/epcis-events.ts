/** `robotid epcis events`: the EPCIS events the caller may see, by the binding's query (docs/epcis.md, CLI). */
import { Option, type Command } from 'commander';
import type { EpcisEventsQuery } from '../api-types.js';
import { ApiError } from '../client.js';
import { CliContext } from '../context.js';
import { CliError } from '../exit-codes.js';
import { err, out, printJson, robotIdText, table } from '../output.js';
import { collect, positiveInteger } from '../parsers.js';

const MAX_PER_PAGE = 1000;
const DEFAULT_LIMIT = 100;
const EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'AssociationEvent',
  'TransactionEvent',
  'TransformationEvent',
];

/** Which option set which query parameter: the registry names the parameter, the user typed the option. */
const OPTION_OF: Readonly<Record<string, string>> = {
  eventType: '--type',
  EQ_bizStep: '--biz-step',
  MATCH_epc: '--epc',
  GE_eventTime: '--since',
  LT_eventTime: '--until',
  perPage: '--limit',
};

interface EventsOptions {
  type?: string[];
  bizStep?: string[];
  epc?: string[];
  since?: string;
  until?: string;
  limit: number;
  all?: boolean;
}

type QueryDocument = Record<string, unknown>;
type EpcisEvent = Record<string, unknown>;

const eventListOf = (doc: QueryDocument) =>
  ((doc as { epcisBody?: { queryResults?: { resultsBody?: { eventList?: EpcisEvent[] } } } }).epcisBody
    ?.queryResults?.resultsBody?.eventList ?? []) as EpcisEvent[];

/** The document with these events as its results (the first page's header kept). */
function withEvents(doc: QueryDocument, events: EpcisEvent[]): QueryDocument {
  const body = doc.epcisBody as { queryResults: { resultsBody: object } };
  return {
    ...doc,
    epcisBody: {
      ...body,
      queryResults: {
        ...body.queryResults,
        resultsBody: { ...body.queryResults.resultsBody, eventList: events },
      },
    },
  };
}

/** `<https://…?…&nextPageToken=abc>; rel="next"` → `abc`; null on the last page. */
export function nextPageToken(link: string | null): string | null {
  const next = link?.split(',').find((part) => /;\s*rel="?next"?/.test(part));
  const url = next?.match(/<([^>]+)>/)?.[1];
  if (!url) return null;
  try {
    return new URL(url).searchParams.get('nextPageToken');
  } catch {
    return null;
  }
}

function queryOf(opts: EventsOptions): EpcisEventsQuery {
  const piped = (values: string[] | undefined) =>
    values && values.length > 0 ? values.join('|') : undefined;
  const query: EpcisEventsQuery = {
    eventType: piped(opts.type),
    EQ_bizStep: piped(opts.bizStep),
    // One EPC is asked for by its own address (below); several match any of them.
    MATCH_epc: opts.epc && opts.epc.length > 1 ? piped(opts.epc) : undefined,
    GE_eventTime: opts.since,
    LT_eventTime: opts.until,
  };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as EpcisEventsQuery;
}

/** A refusal that names the options typed rather than the parameters sent. */
function inOptionTerms(error: ApiError): CliError {
  const rename = (text: string) =>
    text.replace(
      /(query:\/)?\b(eventType|EQ_bizStep|MATCH_epc|GE_eventTime|LT_eventTime|perPage)\b/g,
      (_, _q, name: string) => OPTION_OF[name]!,
    );
  return new CliError(error.exitCode, rename(error.message), error.details.map(rename));
}

/** Pages until `limit` events (all with null), following the `Link` header's next page. */
async function fetchEvents(ctx: CliContext, opts: EventsOptions, limit: number | null) {
  const query = queryOf(opts);
  const epc = opts.epc?.length === 1 ? opts.epc[0]! : undefined;
  const events: EpcisEvent[] = [];
  let first: QueryDocument | undefined;
  let token: string | null = null;
  do {
    const page = {
      ...query,
      perPage: Math.min(MAX_PER_PAGE, limit === null ? MAX_PER_PAGE : limit - events.length),
      ...(token ? { nextPageToken: token } : {}),
    };
    const { data, headers } = await ctx
      .client()
      .answer(
        (api) =>
          epc === undefined
            ? api.GET('/epcis/events', { params: { query: page } })
            : api.GET('/epcis/epcs/{epc}/events', { params: { path: { epc }, query: page } }),
        { auth: 'required' },
      );
    first ??= data;
    events.push(...eventListOf(data));
    token = nextPageToken(headers.get('link'));
  } while (token !== null && (limit === null || events.length < limit));
  const shown = limit === null ? events : events.slice(0, limit);
  return { document: withEvents(first!, shown), more: token !== null || shown.length < events.length };
}

const CBV_PREFIXES = /^(https:\/\/ref\.gs1\.org\/cbv\/(BizStep|Disp)-|urn:epcglobal:cbv:(bizstep|disp):)/;
const term = (value: unknown) => (typeof value === 'string' ? value.replace(CBV_PREFIXES, '') : '');
/** A robot's EPC as its ID is printed on its label; any other EPC as it is. */
const epcText = (epc: unknown) => {
  const id =
    typeof epc === 'string' ? epc.match(/(?:\/r\/|^urn:robotid:robot:)([A-Za-z0-9-]+)$/)?.[1] : undefined;
  return id ? robotIdText(id) : String(epc);
};

/** What an event is about: its EPCs, or a parent and its children (parts fitted or removed). */
function whatText(e: EpcisEvent): string {
  const list = (value: unknown) => (Array.isArray(value) ? value : []);
  const epcs = list(e.epcList).map(epcText);
  const children = [...list(e.childEPCs), ...list(e.childQuantityList)].length;
  if (e.parentID !== undefined) return `${epcText(e.parentID)} +${children} part${children === 1 ? '' : 's'}`;
  return epcs.join(', ');
}

function printTable(events: EpcisEvent[]) {
  if (events.length === 0) return out('No events.');
  const rows = events.map((e) => [
    String(e.eventTime ?? ''),
    String(e.type ?? ''),
    String(e.action ?? ''),
    term(e.bizStep),
    term(e.disposition),
    whatText(e),
  ]);
  out(table(['time', 'type', 'action', 'bizStep', 'disposition', 'what'], rows));
}

export function registerEpcisEvents(epcis: Command) {
  epcis
    .command('events')
    .description(
      'EPCIS events you may see (GET /epcis/events): a table, or with --json an EPCISQueryDocument',
    )
    .addOption(new Option('--type <types...>', 'EPCIS event types (eventType)').choices(EVENT_TYPES))
    .option(
      '--biz-step <bizStep>',
      'CBV business step, e.g. commissioning (EQ_bizStep; repeat for any of several)',
      collect,
    )
    .option(
      '--epc <epc>',
      'a robot (by any of its names) or a part: its events (GET /epcis/epcs/{epc}/events); repeat for any of several (MATCH_epc)',
      collect,
    )
    .option('--since <iso>', 'events at or after this time, ISO 8601 with an offset (GE_eventTime)')
    .option('--until <iso>', 'events before this time (LT_eventTime)')
    .option(
      '--limit <n>',
      `at most this many events (default ${DEFAULT_LIMIT})`,
      positiveInteger,
      DEFAULT_LIMIT,
    )
    .option('--all', 'every event, page after page (ignores --limit)')
    .action(async (opts: EventsOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      let result: Awaited<ReturnType<typeof fetchEvents>>;
      try {
        result = await fetchEvents(ctx, opts, opts.all === true ? null : opts.limit);
      } catch (error) {
        if (error instanceof ApiError && !ctx.json) throw inOptionTerms(error);
        throw error;
      }
      if (ctx.json) printJson(result.document);
      else printTable(eventListOf(result.document));
      if (result.more) err('(more events: raise --limit, or add --all)');
    });
}
