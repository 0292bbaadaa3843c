import type { Command } from 'commander';
import type { Robot } from '../api-types.js';
import { CliContext } from '../context.js';
import { fields, out, printJson } from '../output.js';

export const robotPath = (id: string) => `/v1/robots/${encodeURIComponent(id.trim())}`;

export function registerRobot(program: Command) {
  const robot = program.command('robot').description('registered robots');
  robot
    .command('show')
    .description('a registered robot by its ID (any of the three forms)')
    .argument('<id>', 'the robot ID')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const r = await ctx.client().json<Robot>('GET', robotPath(id), { auth: 'optional' });
      if (ctx.json) return printJson(r);
      const { manufacturer: m, model } = r;
      out(
        [
          r.display,
          fields([
            ['state', r.state],
            ['issued', r.issuedAt],
            ['manufacturer', `${m.name} (${m.country}, enterprise ${m.enterpriseCode}, ${m.id})`],
            ['model', `${model.name} (${model.code}; ${model.category}, ${model.capabilityLevel})`],
            ['serial', r.serial],
            ['canonical', r.id],
            ['printed', r.printed],
            ['url', r.url],
            ['issuance', r.issuanceId],
          ]),
        ].join('\n'),
      );
    });
}
