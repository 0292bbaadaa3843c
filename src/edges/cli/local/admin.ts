/** `robotid admin init`: the first administrator key, written straight into this machine's registry. */
import type { Command } from 'commander';
import { DomainError } from '../../../domain/errors.js';
import { writeConfigFile } from '../config-file.js';
import { CliContext } from '../context.js';
import { CliError, exitCodeForKind, usageError } from '../exit-codes.js';
import { out, printJson } from '../output.js';
import type { LocalRegistry } from './registry.js';

export function registerAdmin(program: Command, local: LocalRegistry) {
  const admin = program
    .command('admin')
    .description('registry administration on the machine that holds the data');
  admin
    .command('init')
    .description(
      'create the first administrator key, directly in the local data directory (no server needed; may run beside one); with --email and --name also an invitation link for the first administrator person',
    )
    .option('--data-dir <dir>', 'the registry data directory (default: $ROBOTID_DATA_DIR, else ./data)')
    .option('--email <email>', 'also invite the first administrator person (the console), by this email')
    .option('--name <name>', 'whom that invitation is for (with --email)')
    .option(
      '--save',
      'also save the key in the config file, so robotid commands here use it without an export',
    )
    .action(
      async (opts: { dataDir?: string; save?: boolean; email?: string; name?: string }, cmd: Command) => {
        const ctx = CliContext.of(cmd);
        if ((opts.email === undefined) !== (opts.name === undefined)) {
          throw usageError('--email and --name go together: the first administrator person’s email and name');
        }
        const firstUser = opts.email !== undefined ? { email: opts.email, name: opts.name! } : undefined;
        const [data, { initAdministrator }] = await Promise.all([
          local.dataDirectory(opts.dataDir),
          import('../../../app/organisations.js'),
        ]);
        const app = await data.open();
        let created: Awaited<ReturnType<typeof initAdministrator>>;
        try {
          created = await initAdministrator(app, firstUser);
        } catch (error) {
          if (error instanceof DomainError) {
            const hint = error.code === 'already-initialised' ? [`data directory: ${data.dataDir}`] : [];
            throw new CliError(exitCodeForKind(error.kind), error.message, hint);
          }
          throw error;
        } finally {
          await app.close();
        }
        const { organisation, key, invitation } = created;
        const savedTo = opts.save ? ctx.configPath : undefined;
        if (savedTo)
          writeConfigFile(savedTo, { key: key.token, ...(ctx.explicitUrl ? { url: ctx.explicitUrl } : {}) });
        if (ctx.json) return printJson({ organisation, key, invitation, ...(savedTo ? { savedTo } : {}) });
        const lines = [
          `Created the first administrator key for "${organisation.name}" (${organisation.id}) in ${data.dataDir}.`,
          '',
          `    ${key.token}`,
          '',
          'This key is shown once and will not be shown again. Keep it safe: it can admit organisations and create keys.',
        ];
        if (savedTo) lines.push(`Saved to ${savedTo} (readable by you only); robotid commands will use it.`);
        else {
          lines.push(
            'Use it with:',
            `  export ROBOTID_API_KEY=${key.token}`,
            'or save it in your config file (with the server running):',
            `  robotid login --key ${key.token}`,
          );
        }
        if (invitation) {
          lines.push(
            '',
            `Invited ${opts.name} <${invitation.invitation.email}> as the first administrator person. Open this link to`,
            `choose a password and set up the authenticator app (shown once; works once, until ${invitation.invitation.expiresAt}):`,
            '',
            `    ${invitation.link}`,
          );
        }
        out(lines.join('\n'));
      },
    );
}
