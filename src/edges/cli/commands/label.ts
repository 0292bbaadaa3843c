import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { CliContext } from '../context.js';
import { usageError } from '../exit-codes.js';
import { out, printJson } from '../output.js';
import { positiveInteger } from '../parsers.js';
import { robotParams } from './robot.js';

export function registerLabel(program: Command) {
  program
    .command('label')
    .description("download a robot's nameplate label (QR code of its URL, ID printed under it) as SVG or PNG")
    .argument('<id>', 'the robot ID')
    .requiredOption('--out <file>', 'where to write it; the extension picks the format: .svg or .png')
    .option('--scale <n>', 'PNG only: pixels per QR module (1-64)', positiveInteger)
    .action(async (id: string, opts: { out: string; scale?: number }, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const format = extname(opts.out).toLowerCase().slice(1);
      if (format !== 'svg' && format !== 'png') {
        throw usageError(`--out must end in .svg or .png (that picks the format), got ${opts.out}`);
      }
      if (format === 'svg' && opts.scale !== undefined)
        throw usageError('--scale applies to PNG labels only');
      const { data, contentType } = await ctx.client().download((api) =>
        format === 'png'
          ? api.GET('/v1/robots/{id}/label.png', {
              params: { ...robotParams(id), query: { scale: opts.scale } },
              parseAs: 'arrayBuffer',
            })
          : api.GET('/v1/robots/{id}/label.svg', { params: robotParams(id), parseAs: 'arrayBuffer' }),
      );
      try {
        writeFileSync(opts.out, data);
      } catch (error) {
        throw usageError(`cannot write ${opts.out}: ${(error as Error).message}`);
      }
      if (ctx.json) return printJson({ path: opts.out, contentType, bytes: data.length });
      out(opts.out);
    });
}
