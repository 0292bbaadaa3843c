/**
 * `robotid verify`: checks a robot's proof bundle or passport offline, with only the registry's public key. The
 * file's form says which: a passport is a compact SD-JWT, a bundle JSON.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { verifyBundle, type BundleReport } from '../../../log/bundle.js';
import { looksLikeSdJwt, verifyPassport } from '../../../passport/passport.js';
import type { RunState } from '../program-base.js';
import { CliContext } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { err, out, printJson } from '../output.js';
import { publishedKey, type PublishedKey } from './log-keys.js';
import { printPassportReport } from './verify-passport.js';

function printBundleReport(report: BundleReport) {
  if (report.checkpoint)
    out(`checkpoint: ${report.checkpoint.origin}, tree size ${report.checkpoint.size}, signature valid`);
  for (const p of report.problems) err(`FAILED: ${p}`);
  for (const e of report.events) {
    const what = e.withheld
      ? 'content withheld: another organisation’s report'
      : [e.type, e.eventTime, e.eventId && `event ${e.eventId}`].filter(Boolean).join(', ');
    if (e.problem) err(`FAILED leaf ${e.leafIndex ?? '?'} (${what}): ${e.problem}`);
    else out(`ok     leaf ${e.leafIndex} (${what})`);
  }
  const bad = report.events.filter((e) => e.problem).length;
  const size = report.checkpoint?.size;
  if (!report.ok)
    out(
      `NOT VERIFIED: ${report.problems.length} problem(s) with the bundle, ${bad} of ${report.events.length} events failed`,
    );
  else if (report.completeness === 'proven')
    out(
      `VERIFIED: all ${report.events.length} events of robot ${report.robotId} are in the log the key signed, ` +
        `and the log holds no other event of it up to tree size ${size}`,
    );
  else {
    out(
      `VERIFIED: all ${report.events.length} events of robot ${report.robotId} are in the log the key signed`,
    );
    out(
      'note: this bundle (robotid-proof-bundle/v1) cannot prove that the robot has no other events; ask for a new one',
    );
  }
}

/** Verifies and reports; true when everything checked out. */
async function verifyFile(text: string, { key, issuer }: PublishedKey, json: boolean): Promise<boolean> {
  const content = text.trim();
  if (looksLikeSdJwt(content)) {
    const report = await verifyPassport(content, key, issuer === undefined ? {} : { issuer });
    if (json) printJson(report);
    else printPassportReport(report);
    return report.ok;
  }
  const report = verifyBundle(text, key);
  if (json) printJson(report);
  else printBundleReport(report);
  return report.ok;
}

export function registerVerify(program: Command, state: RunState) {
  program
    .command('verify <file>')
    .description(
      'check a robot’s proof bundle or passport offline, with only the registry’s public key (exit 1 if anything fails)',
    )
    .option(
      '--log-key <key>',
      'the registry’s log verifier key, or a file holding it, its JWK Set or its /.well-known/jwt-vc-issuer ' +
        'metadata (default: $ROBOTID_LOG_KEY)',
    )
    .action(async (file: string, opts: { logKey?: string }, cmd: Command) => {
      const key = publishedKey(opts.logKey);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new CliError(ExitCode.usage, `cannot read ${file}: ${(error as Error).message}`);
      }
      if (!(await verifyFile(text, key, CliContext.of(cmd).json))) state.exitCode = ExitCode.checkFailed;
    });
}
