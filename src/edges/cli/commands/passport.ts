/** `robotid passport`: fetch a robot's passport and keep only the claims the holder chooses to disclose. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { disclosedNames, presentSdJwt } from '../../../passport/sd-jwt.js';
import { CliContext } from '../context.js';
import { usageError } from '../exit-codes.js';
import { out, printJson } from '../output.js';
import { robotParams } from './robot.js';

/** `--disclose a,b`: the chosen claims, each one the passport has; '' chooses none. */
function chosenClaims(option: string | undefined, available: readonly string[]): Set<string> {
  if (option === undefined) return new Set(available);
  const chosen = option
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const unknown = chosen.filter((name) => !available.includes(name));
  if (unknown.length > 0)
    throw usageError(`the passport has no claim ${unknown.join(', ')}`, [
      `its claims: ${available.join(', ')}`,
    ]);
  return new Set(chosen);
}

export function registerPassport(program: Command) {
  program
    .command('passport')
    .description(
      'fetch a robot’s signed passport (SD-JWT VC) and keep only the claims you disclose; check it with robotid verify',
    )
    .argument('<id>', 'the robot ID')
    .option('--disclose <claims>', 'comma-separated claims to disclose (default: all; see --list)')
    .option('--list', 'list the claims the passport can disclose, and stop')
    .option('--out <file>', 'write the presentation to this file (default: stdout)')
    .action(async (id: string, opts: { disclose?: string; list?: boolean; out?: string }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const passport = await ctx
        .client()
        .call((api) => api.GET('/v1/robots/{id}/passport', { params: robotParams(id), parseAs: 'text' }));
      const issued = passport.trim();
      const available = disclosedNames(issued);
      if (opts.list) return ctx.json ? printJson(available) : out(available.join('\n'));
      const chosen = chosenClaims(opts.disclose, available);
      const presentation = presentSdJwt(issued, (name) => chosen.has(name));
      const disclosed = available.filter((name) => chosen.has(name));
      if (opts.out === undefined)
        return ctx.json ? printJson({ disclosed, sdJwt: presentation }) : out(presentation);
      try {
        // The compact form exactly, no newline: other SD-JWT tools read the file as it is.
        writeFileSync(opts.out, presentation);
      } catch (error) {
        throw usageError(`cannot write ${opts.out}: ${(error as Error).message}`);
      }
      if (ctx.json) return printJson({ path: opts.out, disclosed });
      out(
        `wrote ${opts.out}: discloses ${disclosed.length > 0 ? disclosed.join(', ') : 'no claims'} ` +
          `(${disclosed.length} of ${available.length}); check it with robotid verify ${opts.out} --log-key <key>`,
      );
    });
}
