/** `robotid keys`: the registry's own secret keys, on the machine that holds the data (no server needed). */
import type { Command } from 'commander';
import { CliContext } from '../context.js';
import { err, out, printJson } from '../output.js';
import type { LocalRegistry } from './registry.js';

const DATA_DIR_HELP = 'the registry data directory (default: $ROBOTID_DATA_DIR, else ./data)';

export function registerKeys(program: Command, local: LocalRegistry) {
  const keys = program
    .command('keys')
    .description("the registry's own keys on this machine (API keys: robotid key)");

  keys
    .command('rotate-personal-data')
    .description(
      'add a new personal-data key-encryption key and rewrap every data key under it (the data is not re-encrypted); works beside a running server',
    )
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--retire-old', 'then drop the older keys from the ring (once no data key is wrapped under them)')
    .action(async (opts: { dataDir?: string; retireOld?: boolean }, cmd: Command) => {
      const [data, { rotatePersonalDataKeys }] = await Promise.all([
        local.dataDirectory(opts.dataDir),
        import('../../../app/personal-data/rotation.js'),
      ]);
      const { file } = data.keyRing;
      const ctx = await data.open();
      try {
        const report = await rotatePersonalDataKeys(ctx.store, data.keyRing, {
          retireOld: opts.retireOld === true,
          now: new Date(),
        });
        if (CliContext.of(cmd).json) return printJson({ file, ...report });
        if (report.unreadable.length > 0)
          err(
            `${report.unreadable.length} data key(s) no key in the ring unwraps: ${report.unreadable.join(', ')}`,
          );
        if (opts.retireOld && report.retired.length === 0 && report.stillUnderOlderKeys > 0)
          err(
            `${report.stillUnderOlderKeys} data key(s) were written under an older key meanwhile: run again to retire`,
          );
        const retired =
          report.retired.length > 0 ? `; retired ${report.retired.map((v) => `v${v}`).join(', ')}` : '';
        out(`${file}: new key v${report.newVersion}, ${report.rewrapped} data key(s) rewrapped${retired}`);
      } finally {
        await ctx.close();
      }
    });
}
