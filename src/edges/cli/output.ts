/** Everything the CLI prints goes through here: results to stdout, messages and errors to stderr. */
import { parseRobotId } from '../../domain/id/index.js';

export const out = (text: string) => void process.stdout.write(text.endsWith('\n') ? text : text + '\n');
export const err = (text: string) => void process.stderr.write(text.endsWith('\n') ? text : text + '\n');

/** `--json`: the value as indented JSON on stdout. */
export const printJson = (value: unknown) => out(JSON.stringify(value, null, 2));

/** `error: <message>` then one indented line per detail, on stderr. */
export function printError(message: string, details: readonly string[] = []) {
  err([`error: ${message}`, ...details.map((d) => `  ${d}`)].join('\n'));
}

/** Terminal columns a string takes: East Asian wide and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6);
    width += wide ? 2 : 1;
  }
  return width;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** Aligned columns with a header row; the last column is not padded. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** `label  value` lines, labels aligned; entries with an undefined value are left out. */
export function fields(entries: readonly (readonly [string, string | undefined])[], indent = '  '): string {
  const shown = entries.filter((e): e is readonly [string, string] => e[1] !== undefined);
  const width = Math.max(0, ...shown.map(([label]) => displayWidth(label)));
  return shown.map(([label, value]) => `${indent}${pad(label, width)}  ${value}`).join('\n');
}

/** A robot ID as printed on its label: the display form, with its two check characters (as given if unparsable). */
export function robotIdText(id: string): string {
  try {
    return parseRobotId(id).display;
  } catch {
    return id;
  }
}
