/** `robotid person`: persons who own or operate robots, and their personal data (over the API). */
import type { Command } from 'commander';
import { CliContext } from '../context.js';
import { fields, out, printJson } from '../output.js';

interface AddOptions {
  name: string;
  email?: string;
  phone?: string;
  address?: string;
  nationalId?: string;
}

const idParams = (id: string) => ({ path: { id } });

export function registerPerson(program: Command) {
  const person = program
    .command('person')
    .description(
      'persons who own or operate robots: pseudonymous parties whose personal data is kept encrypted',
    );

  person
    .command('add')
    .description(
      'register a person (administrator, seller at the point of sale, regulator); prints its pseudonymous id',
    )
    .requiredOption('--name <name>', 'the real name (stored encrypted, never shown in views)')
    .option('--email <email>')
    .option('--phone <phone>')
    .option('--address <address>')
    .option('--national-id <id>')
    .action(async (opts: AddOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const { name, email, phone, address, nationalId } = opts;
      const body = { name, email, phone, address, nationalId };
      const created = await ctx
        .client()
        .call((api) => api.POST('/v1/persons', { body }), { auth: 'required' });
      if (ctx.json) return printJson(created);
      out(`Registered person ${created.id} (shown everywhere as "${created.name}"); sell robots to this id.`);
    });

  person
    .command('show <id>')
    .description(
      "a person's personal data: the person itself, or a regulator naming its purpose with --why (audited)",
    )
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const data = await ctx
        .client()
        .call((api) => api.GET('/v1/persons/{id}/personal-data', { params: idParams(id) }), {
          auth: 'required',
        });
      if (ctx.json) return printJson(data);
      out(fields(Object.entries(data)));
    });

  person
    .command('erase <id>')
    .description(
      "erase a person's personal data on lawful request (regulator or administrator): data and key deleted, the person's API keys revoked; robots' history stays",
    )
    .requiredOption('--legal-basis <basis>', 'e.g. "PIPL art. 47: consent withdrawn" (no personal data)')
    .requiredOption('--reference <reference>', 'the request or case number (no personal data)')
    .action(async (id: string, opts: { legalBasis: string; reference: string }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const body = { legalBasis: opts.legalBasis, requestReference: opts.reference };
      const erased = await ctx
        .client()
        .call((api) => api.DELETE('/v1/persons/{id}/personal-data', { params: idParams(id), body }), {
          auth: 'required',
        });
      if (ctx.json) return printJson(erased);
      out(
        `Erased the personal data of ${erased.partyId} at ${erased.erasedAt}; ${erased.revokedKeys} API key(s) revoked.`,
      );
    });
}
