import type { Command } from 'commander';
import type { ApiClient } from '../client.js';
import { CliContext } from '../context.js';
import { out, printJson, table } from '../output.js';

/** The organisation a key command is about: `--org`, else the caller's own. */
async function orgOf(client: ApiClient, org: string | undefined): Promise<string> {
  if (org !== undefined) return org;
  return (await client.call((api) => api.GET('/v1/me'), { auth: 'required' })).organisation.id;
}

const orgOption = ['--org <orgId>', 'the organisation (default: your own)'] as const;

export function registerKey(program: Command) {
  const key = program.command('key').description('API keys');

  key
    .command('create')
    .description('create an API key; the key is shown once')
    .requiredOption('--name <name>', 'what the key is for, e.g. "factory line 3"')
    .option(...orgOption)
    .action(async (opts: { name: string; org?: string }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const orgId = await orgOf(client, opts.org);
      const created = await client.call(
        (api) =>
          api.POST('/v1/organisations/{orgId}/keys', {
            params: { path: { orgId } },
            body: { name: opts.name },
          }),
        { auth: 'required' },
      );
      if (ctx.json) return printJson(created);
      out(
        [
          `Created API key ${created.id} "${created.name}" for organisation ${created.orgId}.`,
          '',
          `    ${created.token}`,
          '',
          'This key is shown once and will not be shown again. Use it with:',
          `  export ROBOTID_API_KEY=${created.token}`,
          `or: robotid login --key ${created.token}`,
        ].join('\n'),
      );
    });

  key
    .command('list')
    .description("list an organisation's API keys (never their secrets)")
    .option(...orgOption)
    .action(async (opts: { org?: string }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const orgId = await orgOf(client, opts.org);
      const listed = await client.call(
        (api) => api.GET('/v1/organisations/{orgId}/keys', { params: { path: { orgId } } }),
        { auth: 'required' },
      );
      if (ctx.json) return printJson(listed);
      const rows = listed.items.map((k) => [
        k.id,
        k.name,
        k.createdAt,
        k.lastUsedAt ?? '-',
        k.revokedAt ?? '-',
      ]);
      out(table(['ID', 'NAME', 'CREATED', 'LAST USED', 'REVOKED'], rows));
    });

  key
    .command('revoke')
    .description('revoke an API key: it stops working at once')
    .argument('<keyId>', 'the key id (the part after rid_, as key list shows it)')
    .option(...orgOption)
    .action(async (keyId: string, opts: { org?: string }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const orgId = await orgOf(client, opts.org);
      const revoked = await client.call(
        (api) => api.DELETE('/v1/organisations/{orgId}/keys/{keyId}', { params: { path: { orgId, keyId } } }),
        { auth: 'required' },
      );
      if (ctx.json) return printJson(revoked);
      out(`Revoked API key ${revoked.id} "${revoked.name}" (at ${revoked.revokedAt ?? 'unknown time'}).`);
    });
}
