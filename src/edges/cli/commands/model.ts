import { Option, type Command } from 'commander';
import { CAPABILITY_LEVELS, MODEL_CATEGORIES } from '../../../domain/model/model.js';
import type { RequestBody } from '../api-types.js';
import { CliContext } from '../context.js';
import { err, fields, out, printJson, table } from '../output.js';
import { listPages } from '../paging.js';
import { collect, positiveInteger, positiveNumber } from '../parsers.js';

type NewModel = RequestBody<'/v1/models', 'post'>;

interface AddOptions {
  code: string;
  name: string;
  category: NewModel['category'];
  capability: NewModel['capabilityLevel'];
  manufacturer?: string;
  heightMm?: number;
  massKg?: number;
  dof?: number;
  payloadKg?: number;
  maxSpeedMps?: number;
  batteryWh?: number;
  standard?: string[];
  description?: string;
}

/** The request body: options the user gave, under the API's names. */
function newModel(o: AddOptions): NewModel {
  const optional = {
    manufacturerId: o.manufacturer,
    heightMm: o.heightMm,
    massKg: o.massKg,
    degreesOfFreedom: o.dof,
    payloadKg: o.payloadKg,
    maxSpeedMps: o.maxSpeedMps,
    batteryWh: o.batteryWh,
    standards: o.standard,
    description: o.description,
  };
  const given = Object.entries(optional).filter(([, value]) => value !== undefined);
  return {
    code: o.code,
    name: o.name,
    category: o.category,
    capabilityLevel: o.capability,
    ...Object.fromEntries(given),
  };
}

export function registerModel(program: Command) {
  const model = program.command('model').description('robot models of a manufacturer');

  model
    .command('add')
    .description("register a model under the manufacturer's enterprise code")
    .requiredOption('--code <code>', '6 characters of 0-9 A-Z without I, O, Q; part of every ID of the model')
    .requiredOption('--name <name>', 'model name')
    .addOption(
      new Option('--category <category>', 'what the model is built for')
        .choices(MODEL_CATEGORIES)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--capability <level>', 'autonomy: L1 remote-operated/scripted … L5 fully autonomous')
        .choices(CAPABILITY_LEVELS)
        .makeOptionMandatory(),
    )
    .option(
      '--manufacturer <orgId>',
      'the manufacturer (administrators only; default: your own organisation)',
    )
    .option('--height-mm <n>', 'standing height, millimetres', positiveNumber)
    .option('--mass-kg <n>', 'mass, kilograms', positiveNumber)
    .option('--dof <n>', 'degrees of freedom', positiveInteger)
    .option('--payload-kg <n>', 'rated payload, kilograms', positiveNumber)
    .option('--max-speed-mps <n>', 'maximum walking speed, metres per second', positiveNumber)
    .option('--battery-wh <n>', 'battery capacity, watt-hours', positiveNumber)
    .option('--standard <standard>', 'a standard the model is designed to (repeatable)', collect)
    .option('--description <text>', 'free text')
    .action(async (opts: AddOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const created = await ctx
        .client()
        .call((api) => api.POST('/v1/models', { body: newModel(opts) }), { auth: 'required' });
      if (ctx.json) return printJson(created);
      out(
        [
          `Registered model ${created.code} "${created.name}" for enterprise ${created.enterpriseCode}`,
          fields([
            ['manufacturer', created.manufacturerId],
            ['category', created.category],
            ['capability', created.capabilityLevel],
          ]),
        ].join('\n'),
      );
    });

  model
    .command('list')
    .description('list registered models (public)')
    .option('--enterprise <code>', "only this manufacturer's models (its 4-character enterprise code)")
    .option('--all', 'every page, not just the first')
    .action(async (opts: { enterprise?: string; all?: boolean }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const page = await listPages(opts.all === true, (page) =>
        client.call((api) =>
          api.GET('/v1/models', { params: { query: { enterpriseCode: opts.enterprise, ...page } } }),
        ),
      );
      if (ctx.json) return printJson(page);
      const rows = page.items.map((m) => [m.enterpriseCode, m.code, m.name, m.category, m.capabilityLevel]);
      out(table(['ENTERPRISE', 'CODE', 'NAME', 'CATEGORY', 'CAPABILITY'], rows));
      if (page.nextCursor !== null) err('(more models: add --all to list every page)');
    });
}
