/** `robotid audit`: the whole transparency log recomputed from the local database (docs/transparency-log.md). */
import type { Command } from 'commander';
import { parseVerifierKey } from '../../../log/note.js';
import { logVerifierKey } from '../commands/log-keys.js';
import { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { err, out, printJson } from '../output.js';
import type { RunState } from '../program-base.js';
import type { LocalRegistry } from './registry.js';

export function registerAudit(program: Command, state: RunState, local: LocalRegistry) {
  program
    .command('audit')
    .description(
      'recompute the whole log from the stored events and check it against the stored tree and every signed checkpoint (local data directory; exit 1 on any finding)',
    )
    .option('--data-dir <dir>', 'the registry data directory (default: $ROBOTID_DATA_DIR, else ./data)')
    .option(
      '--log-key <key>',
      'check checkpoints with this published key instead of the data directory’s own',
    )
    .action(async (opts: { dataDir?: string; logKey?: string }, cmd: Command) => {
      const [data, { auditLog }] = await Promise.all([
        local.dataDirectory(opts.dataDir),
        import('../../../app/log/audit.js'),
      ]);
      const ctx = await data.open();
      try {
        const key = opts.logKey ? logVerifierKey(opts.logKey) : parseVerifierKey(ctx.log.verifierKey);
        const quiet = CliContext.of(cmd).json || !process.stderr.isTTY;
        const report = await ctx.store.read((r) =>
          auditLog(
            r,
            key,
            (n) => !quiet && process.stderr.write(`\raudited ${n.toLocaleString('en')} leaves`),
          ),
        );
        if (!quiet) process.stderr.write('\n');
        if (CliContext.of(cmd).json) printJson(report);
        else {
          for (const f of report.findings) err(`${f.kind}: ${f.message}`);
          out(
            `${report.ok ? 'AUDIT PASSED' : 'AUDIT FAILED'}: ${report.eventsChecked.toLocaleString('en')} events, ` +
              `log size ${report.logSize.toLocaleString('en')}, ${report.checkpointsChecked} signed checkpoints, ` +
              `${report.findings.length} finding(s)`,
          );
        }
        if (!report.ok) state.exitCode = ExitCode.checkFailed;
      } finally {
        await ctx.close();
      }
    });
}
