import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CliContext } from '../context.js';
import { usageError } from '../exit-codes.js';
import { out, printJson } from '../output.js';
import { positiveInteger } from '../parsers.js';
import { robotParams } from './robot.js';

const FORMATS = ['svg', 'png', 'zpl'] as const;
type Format = (typeof FORMATS)[number];
const isFormat = (value: string): value is Format => (FORMATS as readonly string[]).includes(value);

function format(value: string): Format {
  const lower = value.toLowerCase();
  if (!isFormat(lower)) throw new InvalidArgumentError(`expected one of ${FORMATS.join(', ')}.`);
  return lower;
}

/** `20mm` or `20` (the API's `size`): sent on; the registry checks the range and that the QR code fits the dpi. */
function millimetres(value: string): string {
  if (!/^\s*\d{1,4}(\.\d{1,2})?\s*(mm)?\s*$/.test(value))
    throw new InvalidArgumentError('expected a width in millimetres, such as 30mm.');
  return value.trim().replace(/\s+/g, '');
}

interface LabelOptions {
  out: string;
  format?: Format;
  size?: string;
  dpi?: number;
}

/** The format: --format if given, else the file's extension; the two must agree. */
function chosenFormat(opts: LabelOptions): Format {
  const extension = extname(opts.out).toLowerCase().slice(1);
  if (opts.format !== undefined) {
    if (isFormat(extension) && extension !== opts.format)
      throw usageError(`--format ${opts.format} but --out ${opts.out} names a .${extension} file`);
    return opts.format;
  }
  if (!isFormat(extension))
    throw usageError(
      `--out must end in .svg, .png or .zpl (that picks the format), or give --format; got ${opts.out}`,
    );
  return extension;
}

export function registerLabel(program: Command) {
  program
    .command('label')
    .description(
      "download a robot's nameplate label (QR code of its URL, its ID and 'Scan to verify at <registry>' under it) as SVG, PNG or ZPL for label printers",
    )
    .argument('<id>', 'the robot ID')
    .requiredOption('--out <file>', 'where to write it; its extension picks the format: .svg, .png or .zpl')
    .option(
      '--format <format>',
      'svg, png or zpl (ZPL II for industrial label printers), over the extension',
      format,
    )
    .option('--size <width>', 'label width in millimetres, 20mm to 100mm (default 30mm)', millimetres)
    .option(
      '--dpi <n>',
      "the printer's dots per inch, 100 to 1200 (default 300; Zebra printers: 203, 300 or 600)",
      positiveInteger,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  robotid label CN-… --out label.png --size 20mm --dpi 300\n  robotid label CN-… --out label.zpl --dpi 203   # then: lp -o raw label.zpl',
    )
    .action(async (id: string, opts: LabelOptions, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const chosen = chosenFormat(opts);
      const params = { ...robotParams(id), query: { size: opts.size, dpi: opts.dpi } };
      const { data, contentType } = await ctx.client().download((api) => {
        if (chosen === 'png') return api.GET('/v1/robots/{id}/label.png', { params, parseAs: 'arrayBuffer' });
        if (chosen === 'zpl') return api.GET('/v1/robots/{id}/label.zpl', { params, parseAs: 'arrayBuffer' });
        return api.GET('/v1/robots/{id}/label.svg', { params, parseAs: 'arrayBuffer' });
      });
      try {
        writeFileSync(opts.out, data);
      } catch (error) {
        throw usageError(`cannot write ${opts.out}: ${(error as Error).message}`);
      }
      if (ctx.json) return printJson({ path: opts.out, contentType, bytes: data.length });
      out(opts.out);
    });
}
