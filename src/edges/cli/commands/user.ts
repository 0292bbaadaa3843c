import type { Command } from 'commander';
import type { ApiClient } from '../client.js';
import { CliContext } from '../context.js';
import { usageError } from '../exit-codes.js';
import { fields, out, printJson, table } from '../output.js';

const ROLES = ['viewer', 'reporter', 'administrator'] as const;
type UserRole = (typeof ROLES)[number];

function roleOf(role: string): UserRole {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw usageError(`unknown role '${role}'`, [`roles: ${ROLES.join(', ')}`]);
  }
  return role as UserRole;
}

/** The organisation a user command is about: `--org`, else the caller's own. */
async function orgOf(client: ApiClient, org: string | undefined): Promise<string> {
  if (org !== undefined) return org;
  return (await client.call((api) => api.GET('/v1/me'), { auth: 'required' })).organisation.id;
}

const orgOption = ['--org <orgId>', 'the organisation (default: your own)'] as const;
const ROLES_HELP =
  'viewer (reads only), reporter (also reports), administrator (also manages people and keys)';

export function registerUser(program: Command) {
  const user = program
    .command('user')
    .description("people of an organisation: the console's users and their roles");

  user
    .command('invite')
    .description(
      'invite a person by email with a role; prints the invitation link, shown once (7 days, once)',
    )
    .argument('<email>', 'the person’s email (signs in with it)')
    .requiredOption('--role <role>', ROLES_HELP)
    .option(...orgOption)
    .action(async (email: string, opts: { role: string; org?: string }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const role = roleOf(opts.role);
      const orgId = await orgOf(client, opts.org);
      const invited = await client.call(
        (api) =>
          api.POST('/v1/organisations/{orgId}/invitations', {
            params: { path: { orgId } },
            body: { email, role },
          }),
        { auth: 'required' },
      );
      if (ctx.json) return printJson(invited);
      out(
        [
          `Invited ${invited.invitation.email} as ${invited.invitation.role} (invitation ${invited.invitation.id}).`,
          '',
          `    ${invited.link}`,
          '',
          `Send this link to the person: it is shown once and works once, until ${invited.invitation.expiresAt}.`,
        ].join('\n'),
      );
    });

  user
    .command('list')
    .description("list an organisation's users")
    .option(...orgOption)
    .action(async (opts: { org?: string }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const orgId = await orgOf(client, opts.org);
      const listed = await client.call(
        (api) => api.GET('/v1/organisations/{orgId}/users', { params: { path: { orgId } } }),
        { auth: 'required' },
      );
      if (ctx.json) return printJson(listed);
      out(
        table(
          ['ID', 'EMAIL', 'NAME', 'ROLE', 'SINCE'],
          listed.items.map((u) => [u.id, u.email, u.name, u.role, u.createdAt]),
        ),
      );
    });

  user
    .command('remove')
    .description('remove a user: signed out at once; what the user recorded keeps naming it')
    .argument('<userId>', 'the user id (usr_…, as user list shows it)')
    .option(...orgOption)
    .action(async (userId: string, opts: { org?: string }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const orgId = await orgOf(client, opts.org);
      const removed = await client.call(
        (api) =>
          api.DELETE('/v1/organisations/{orgId}/users/{userId}', { params: { path: { orgId, userId } } }),
        { auth: 'required' },
      );
      if (ctx.json) return printJson(removed);
      out(`Removed user ${removed.user.id} (${removed.user.email}).`);
    });

  user
    .command('set-role')
    .description("change a user's role; the user signs in again")
    .argument('<userId>', 'the user id (usr_…)')
    .argument('<role>', ROLES_HELP)
    .option(...orgOption)
    .action(async (userId: string, role: string, opts: { org?: string }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const next = roleOf(role);
      const orgId = await orgOf(client, opts.org);
      const changed = await client.call(
        (api) =>
          api.PATCH('/v1/organisations/{orgId}/users/{userId}', {
            params: { path: { orgId, userId } },
            body: { role: next },
          }),
        { auth: 'required' },
      );
      if (ctx.json) return printJson(changed);
      out(
        [
          `User ${changed.user.id} (${changed.user.email}) is now ${changed.user.role}.`,
          fields([['sessions', 'ended: the new role holds from the next sign-in']]),
        ].join('\n'),
      );
    });

  user
    .command('unlock')
    .description('release a sign-in locked after repeated failures (docs/people.md)')
    .argument('<userId>', 'the user id (usr_…)')
    .option(...orgOption)
    .action(async (userId: string, opts: { org?: string }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const client = ctx.client();
      const orgId = await orgOf(client, opts.org);
      const unlocked = await client.call(
        (api) =>
          api.POST('/v1/organisations/{orgId}/users/{userId}/unlock', {
            params: { path: { orgId, userId } },
          }),
        { auth: 'required' },
      );
      if (ctx.json) return printJson(unlocked);
      out(`Unlocked sign-in for ${unlocked.user.email} (${unlocked.user.id}).`);
    });
}
