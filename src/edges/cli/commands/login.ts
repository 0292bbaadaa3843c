import type { Command } from 'commander';
import type { Me } from '../api-types.js';
import { ApiClient } from '../client.js';
import { writeConfigFile } from '../config-file.js';
import { CliContext } from '../context.js';
import { usageError } from '../exit-codes.js';
import { fields, out, printJson } from '../output.js';

const describe = (me: Me, url: string) =>
  [
    `${me.organisation.name} (${me.organisation.id})`,
    fields([
      ['roles', me.organisation.roles.join(', ')],
      ['jurisdiction', me.organisation.jurisdiction],
      ['enterprise code', me.organisation.enterpriseCode ?? undefined],
      ['key', me.keyId ?? undefined],
      ['registry', url],
    ]),
  ].join('\n');

export function registerLogin(program: Command) {
  program
    .command('login')
    .description('check an API key with the registry, then save it and the URL in the config file')
    .usage('--key <key> [--url <url>]')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const key = ctx.explicitKey;
      if (key === undefined) throw usageError('login needs a key: robotid login --key <key> [--url <url>]');
      const client = new ApiClient(ctx.url, key);
      const me = await client.call((api) => api.GET('/v1/me'), { auth: 'required' });
      const path = ctx.configPath;
      writeConfigFile(path, { url: client.baseUrl, key });
      if (ctx.json) return printJson(me);
      out(`Logged in as ${describe(me, client.baseUrl)}\nSaved to ${path}.`);
    });

  program
    .command('whoami')
    .description('the organisation and key the configured API key acts for')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const me = await client.call((api) => api.GET('/v1/me'), { auth: 'required' });
      if (ctx.json) return printJson(me);
      out(describe(me, client.baseUrl));
    });
}
