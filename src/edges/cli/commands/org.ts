import type { Command } from 'commander';
import type { Query, RequestBody } from '../api-types.js';
import { CliContext } from '../context.js';
import { commaList } from '../parsers.js';
import { err, fields, out, printJson, table } from '../output.js';
import { listPages } from '../paging.js';

/** Roles as typed (commaList): the registry checks each against the ones it knows. */
interface AddOptions {
  name: string;
  roles: RequestBody<'/v1/organisations', 'post'>['roles'];
  jurisdiction: string;
  registrationNumber: string;
}

export function registerOrg(program: Command) {
  const org = program.command('org').description('organisations: manufacturers, sellers, operators, …');

  org
    .command('add')
    .description('admit an organisation (administrator); a manufacturer receives its enterprise code')
    .requiredOption('--name <name>', 'legal name')
    .requiredOption(
      '--roles <roles>',
      'comma-separated: manufacturer, seller, service_provider, operator, recycler, certifier, regulator',
      commaList,
    )
    .requiredOption('--jurisdiction <country>', 'ISO 3166-1 alpha-2 country of registration, e.g. CN')
    .requiredOption(
      '--registration-number <number>',
      'company registration number; for CN the 18-character unified social credit code',
    )
    .action(async (opts: AddOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const body = {
        name: opts.name,
        roles: opts.roles,
        jurisdiction: opts.jurisdiction,
        registrationNumber: opts.registrationNumber,
      };
      const created = await ctx
        .client()
        .call((api) => api.POST('/v1/organisations', { body }), { auth: 'required' });
      if (ctx.json) return printJson(created);
      out(
        [
          `Admitted ${created.name} as ${created.id}`,
          fields([
            ['roles', created.roles.join(', ')],
            ['jurisdiction', created.jurisdiction],
            ['registration', created.registrationNumber],
            ['enterprise code', created.enterpriseCode ?? undefined],
          ]),
        ].join('\n'),
      );
    });

  org
    .command('list')
    .description('list organisations')
    .option('--role <role>', 'only organisations with this role')
    .option('--all', 'every page, not just the first')
    // The role as typed: the registry checks it against the ones it knows.
    .action(async (opts: { role?: Query<'/v1/organisations'>['role']; all?: boolean }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const page = await listPages(opts.all === true, (page) =>
        client.call(
          (api) => api.GET('/v1/organisations', { params: { query: { role: opts.role, ...page } } }),
          {
            auth: 'required',
          },
        ),
      );
      if (ctx.json) return printJson(page);
      const rows = page.items.map((o) => [
        o.id,
        o.name,
        o.roles.join(','),
        o.jurisdiction,
        o.enterpriseCode ?? '-',
      ]);
      out(table(['ID', 'NAME', 'ROLES', 'JURISDICTION', 'ENTERPRISE'], rows));
      if (page.nextCursor !== null) err('(more organisations: add --all to list every page)');
    });
}
