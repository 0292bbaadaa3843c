/** `robotid recall`: recall campaigns — open one, follow its progress, manage its affected robots (over the API). */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { RECALL_ROBOT_STATES } from '../../../domain/safety/recalls.js';
import type { Query, Recall, RequestBody } from '../api-types.js';
import type { ApiClient } from '../client.js';
import { CliContext } from '../context.js';
import { err, fields, out, printJson, robotIdText, table } from '../output.js';
import { listPages } from '../paging.js';

type AffectedQuery = Query<'/v1/recalls/{number}/robots'>;
/** `--state`, `--note`: the request's own fields. */
type SetOptions = RequestBody<'/v1/recalls/{number}/robots/{id}', 'put'>;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `PN:LOT` → one lot of a part number; `PN:FROM..TO` → a serial range. */
function componentCriterion(text: string) {
  const [partNumber, rest] = [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)];
  if (!text.includes(':') || !partNumber || !rest)
    throw new InvalidArgumentError('expected PART:LOT or PART:FROM..TO');
  const range = /^(.+)\.\.(.+)$/.exec(rest);
  return range ? { partNumber, serials: { from: range[1]!, to: range[2]! } } : { partNumber, lots: [rest] };
}

/** `target=v1,v2`. */
function softwareCriterion(text: string) {
  const [target, versions] = text.split('=');
  if (!target || !versions) throw new InvalidArgumentError('expected TARGET=VERSION[,VERSION…]');
  return { target, versions: versions.split(',') };
}

interface CreateOptions {
  file?: string;
  component?: string;
  summary?: string;
  consequence?: string;
  remedy?: string;
  ota?: boolean;
  fix?: string;
  stopUse?: boolean;
  model?: string[];
  part?: ReturnType<typeof componentCriterion>[];
  firmware?: ReturnType<typeof softwareCriterion>[];
  producedFrom?: string;
  producedTo?: string;
  manufacturer?: string;
  wait: boolean;
}

function campaignFrom(opts: CreateOptions): unknown {
  if (opts.file) return JSON.parse(readFileSync(opts.file, 'utf8')) as unknown;
  const missing = (['component', 'summary', 'consequence', 'remedy'] as const).filter((k) => !opts[k]);
  if (missing.length > 0)
    throw new InvalidArgumentError(`give --file, or ${missing.map((m) => `--${m}`).join(', ')}`);
  const [target, version] = (opts.fix ?? '').split('=');
  const criteria = {
    ...(opts.model ? { models: opts.model } : {}),
    ...(opts.part ? { components: opts.part } : {}),
    ...(opts.firmware ? { software: opts.firmware } : {}),
    ...(opts.producedFrom ? { producedFrom: opts.producedFrom } : {}),
    ...(opts.producedTo ? { producedTo: opts.producedTo } : {}),
  };
  return {
    component: opts.component,
    summary: opts.summary,
    consequence: opts.consequence,
    remedy: {
      description: opts.remedy,
      overTheAir: opts.ota === true,
      ...(target && version ? { software: { target, version } } : {}),
    },
    stopUse: opts.stopUse === true,
    criteria,
    ...(opts.manufacturer ? { manufacturerId: opts.manufacturer } : {}),
  };
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const recallParams = (number: string) => ({ path: { number } });

async function waitReady(client: ApiClient, number: string): Promise<Recall> {
  for (;;) {
    const recall = await client.call(
      (api) => api.GET('/v1/recalls/{number}', { params: recallParams(number) }),
      {
        auth: 'required',
      },
    );
    if (recall.affectedSet === 'ready') return recall;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function printRecall(r: Recall) {
  out(
    fields([
      ['Recall', `${r.number} (${r.status})`],
      ['Component', r.component],
      ['Summary', r.summary],
      ['Consequence', r.consequence],
      ['Remedy', `${r.remedy.description}${r.remedy.overTheAir ? ' (over the air)' : ''}`],
      ['Stop use', r.stopUse ? 'yes, until remedied' : 'no'],
      ['Manufacturer', r.manufacturerId ?? 'across manufacturers'],
      ['Opened', r.openedAt],
      ['Affected', r.affectedSet === 'ready' ? String(r.affected) : `${r.affected} so far (still computing)`],
      ['Remedied', `${r.progress.remedied} (${percent(r.progress.completion)} complete)`],
      ['Criteria', r.criteria === undefined ? undefined : JSON.stringify(r.criteria)],
    ]),
  );
}

export function registerRecall(program: Command) {
  const recall = program
    .command('recall')
    .description('recall campaigns: affected robots, remedies, progress');

  recall
    .command('create')
    .description(
      'open a campaign (regulator, or a manufacturer for its own robots) and wait for its affected set',
    )
    .option('--file <campaign.json>', 'the campaign as the API takes it (POST /v1/recalls)')
    .option('--component <text>', 'what is defective')
    .option('--summary <text>')
    .option('--consequence <text>', 'what it may cause')
    .option('--remedy <text>', 'what fixes it')
    .option('--ota', 'the remedy is an over-the-air update')
    .option('--fix <target=version>', 'the software version that remedies')
    .option('--stop-use', 'affected robots must stop use until remedied (regulators)')
    .option('--model <prefix>', 'a model: the ID’s first 12 characters (repeatable)', collect)
    .option(
      '--part <PART:LOT|PART:FROM..TO>',
      'a part number with a lot or serial range (repeatable)',
      (v: string, prev: ReturnType<typeof componentCriterion>[] = []) => [...prev, componentCriterion(v)],
    )
    .option(
      '--firmware <target=v1,v2>',
      'affected software versions (repeatable)',
      (v: string, prev: ReturnType<typeof softwareCriterion>[] = []) => [...prev, softwareCriterion(v)],
    )
    .option('--produced-from <date>')
    .option('--produced-to <date>')
    .option('--manufacturer <orgId>', "a regulator's campaign about one manufacturer's robots")
    .option('--no-wait', 'return at once; the affected set is computed in the background')
    .action(async (opts: CreateOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const body = campaignFrom(opts);
      let created: Recall = await client.call(
        // A campaign file as written, or the options': the registry checks it and names what is wrong.
        (api) => api.POST('/v1/recalls', { body: body as RequestBody<'/v1/recalls', 'post'> }),
        { auth: 'required' },
      );
      if (opts.wait) created = await waitReady(client, created.number);
      if (ctx.json) return printJson(created);
      out(`Opened recall ${created.number}.`);
      printRecall(created);
    });

  recall
    .command('list')
    .description('campaigns, newest first')
    .addOption(new Option('--status <status>').choices(['open', 'closed']))
    .option('--all', 'every page')
    .action(async (opts: { status?: Query<'/v1/recalls'>['status']; all?: boolean }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const page = await listPages(opts.all === true, (page) =>
        client.call((api) => api.GET('/v1/recalls', { params: { query: { status: opts.status, ...page } } })),
      );
      if (ctx.json) return printJson(page);
      if (page.items.length === 0) return err('no recalls');
      const rows = page.items.map((r) => [
        r.number,
        r.status,
        String(r.affected),
        percent(r.progress.completion),
        r.component,
      ]);
      out(table(['RECALL', 'STATUS', 'AFFECTED', 'DONE', 'COMPONENT'], rows));
    });

  recall
    .command('show <number>')
    .description('a campaign: what, why, the remedy and how far it has come')
    .action(async (number: string, _opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const r = await ctx
        .client()
        .call((api) => api.GET('/v1/recalls/{number}', { params: recallParams(number) }));
      if (ctx.json) return printJson(r);
      printRecall(r);
    });

  recall
    .command('progress <number>')
    .description('completion over time: robots per state, and day by day affected and remedied')
    .action(async (number: string, _opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const p = await ctx
        .client()
        .call((api) => api.GET('/v1/recalls/{number}/progress', { params: recallParams(number) }));
      if (ctx.json) return printJson(p);
      out(`${number}: ${p.affected} affected, ${percent(p.completion)} complete`);
      out(fields(Object.entries(p.byState).map(([state, n]) => [state, String(n)] as const)));
      const rows = p.series.map((d) => [
        d.date,
        String(d.affected),
        String(d.remedied),
        percent(d.affected === 0 ? 1 : d.remedied / d.affected),
      ]);
      if (rows.length > 0) out(table(['DATE', 'AFFECTED', 'REMEDIED', 'DONE'], rows));
    });

  recall
    .command('robots <number>')
    .description(
      'the affected robots you may see (regulators: all, with --why; makers: their own; holders: theirs)',
    )
    .addOption(new Option('--state <state>').choices([...RECALL_ROBOT_STATES]))
    .option('--all', 'every page')
    .action(async (number: string, opts: { state?: AffectedQuery['state']; all?: boolean }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const page = await listPages(opts.all === true, (page) =>
        client.call(
          (api) =>
            api.GET('/v1/recalls/{number}/robots', {
              params: { ...recallParams(number), query: { state: opts.state, ...page } },
            }),
          { auth: 'required' },
        ),
      );
      if (ctx.json) return printJson(page);
      if (page.items.length === 0) return err('no affected robots you may see');
      const rows = page.items.map((r) => [
        robotIdText(r.robotId),
        r.state,
        r.custodianName === null ? r.custodianId : `${r.custodianName} (${r.custodianId})`,
        r.stopUse ?? '-',
        r.note ?? '',
      ]);
      out(table(['ROBOT', 'STATE', 'HOLDER', 'STOP USE', 'NOTE'], rows));
      if (page.nextCursor !== null) err('(more robots: add --all to list every page)');
    });

  recall
    .command('set <number> <robot>')
    .description('mark an affected robot unreachable, notified again, or exempt (regulators, with --note)')
    .addOption(
      new Option('--state <state>').choices(['notified', 'unreachable', 'exempt']).makeOptionMandatory(),
    )
    .option('--note <text>', 'why')
    .action(async (number: string, robot: string, opts: SetOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const body = { state: opts.state, ...(opts.note ? { note: opts.note } : {}) };
      const r = await ctx
        .client()
        .call(
          (api) =>
            api.PUT('/v1/recalls/{number}/robots/{id}', { params: { path: { number, id: robot } }, body }),
          { auth: 'required' },
        );
      if (ctx.json) return printJson(r);
      out(`${r.robotId} is now ${r.state} under ${number}.`);
    });

  recall
    .command('close <number>')
    .description('close a campaign: no more robots join it')
    .action(async (number: string, _opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const r = await ctx
        .client()
        .call((api) => api.POST('/v1/recalls/{number}/close', { params: recallParams(number) }), {
          auth: 'required',
        });
      if (ctx.json) return printJson(r);
      out(`Closed recall ${r.number}: ${r.progress.remedied} of ${r.affected} remedied.`);
    });
}
