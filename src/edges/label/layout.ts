/**
 * Where everything on the nameplate label goes, in printer dots: one layout for the SVG (its viewBox), the PNG
 * (one pixel a dot) and ZPL (a label printer's dots).
 *
 * The label is `size` millimetres wide at `dpi` dots per inch. The QR symbol sits on top on a whole number of dots
 * per module (crisp modules, no resampling), centred, with at least the 4-module quiet zone all round; under it
 * the caption (the robot ID, wrapped after its hyphens where it must, in text at least 1.4 mm high and up to 2.5
 * mm), then "Scan to verify at" and the registry's host in smaller text.
 */
import { invalid } from '../../domain/errors.js';

export const DEFAULT_SIZE_MM = 30;
export const MIN_SIZE_MM = 20;
export const MAX_SIZE_MM = 100;
export const DEFAULT_DPI = 300;
export const MIN_DPI = 100;
export const MAX_DPI = 1200;
/** Fewer dots per module than this do not print reliably (a thermal printer's dot bleeds into its neighbours). */
export const MIN_MODULE_DOTS = 3;

export const QUIET_ZONE = 4;
/** IBM Plex Mono metrics (per em): every glyph advances 600/1000; capital height 698/1000. */
export const MONO_ADVANCE = 0.6;
const MONO_CAP_HEIGHT = 0.698;
/** Caption size (em) bounds and side margins, in millimetres. */
const CAPTION_MAX_MM = 2.5;
const CAPTION_MIN_MM = 1.4;
const NOTE_MAX_MM = 1.6;
const SIDE_MARGIN_MM = 1;
const BOTTOM_MARGIN_MM = 1;
const MAX_CAPTION_LINES = 3;

export const SCAN_NOTE = 'Scan to verify at';

export interface LabelSize {
  /** Width of the label in millimetres (20–100). Default 30. */
  sizeMm?: number;
  /** The printer's dots per inch (100–1200). Default 300. */
  dpi?: number;
}

export interface TextLine {
  text: string;
  /** Em size and baseline, in dots; the line is centred on the label. */
  fontSize: number;
  baseline: number;
}

export interface Layout {
  dpi: number;
  /** Label size in dots. */
  width: number;
  height: number;
  /** Dots per QR module, and the symbol's top-left corner in dots. */
  module: number;
  qrX: number;
  qrY: number;
  lines: TextLine[];
}

export const dotsToMm = (dots: number, dpi: number) => (dots * 25.4) / dpi;
const mmToDots = (mm: number, dpi: number) => (mm * dpi) / 25.4;

/** "20mm", "30", "25.5 mm" → millimetres; undefined when not a length in millimetres. */
export function parseMillimetres(text: string): number | undefined {
  const match = /^\s*(\d{1,4}(?:\.\d{1,2})?)\s*(?:mm)?\s*$/.exec(text);
  return match ? Number(match[1]) : undefined;
}

export function checkSize({ sizeMm = DEFAULT_SIZE_MM, dpi = DEFAULT_DPI }: LabelSize): Required<LabelSize> {
  if (typeof sizeMm !== 'number' || !(sizeMm >= MIN_SIZE_MM && sizeMm <= MAX_SIZE_MM)) {
    throw invalid('invalid-label', `the label size must be from ${MIN_SIZE_MM}mm to ${MAX_SIZE_MM}mm`, [
      { field: 'size', message: `must be from ${MIN_SIZE_MM}mm to ${MAX_SIZE_MM}mm wide` },
    ]);
  }
  if (!Number.isInteger(dpi) || dpi < MIN_DPI || dpi > MAX_DPI) {
    throw invalid('invalid-label', `dpi must be a whole number from ${MIN_DPI} to ${MAX_DPI}`, [
      { field: 'dpi', message: `must be a whole number from ${MIN_DPI} to ${MAX_DPI}` },
    ]);
  }
  return { sizeMm, dpi };
}

/** The caption broken after hyphens into lines of at most `chars` characters; undefined if a part is longer. */
export function wrapAfterHyphens(caption: string, chars: number): string[] | undefined {
  const parts = caption.match(/[^-]*-|[^-]+$/g) ?? [caption];
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines.at(-1);
    if (last !== undefined && Array.from(last + part).length <= chars) lines[lines.length - 1] = last + part;
    else if (Array.from(part).length <= chars) lines.push(part);
    else return undefined;
  }
  return lines;
}

/** The largest caption size (in 0.1 mm steps) at which it fits in two lines, else three; its lines. */
function captionLines(caption: string, widthMm: number): { lines: string[]; emMm: number } {
  for (const maxLines of [2, MAX_CAPTION_LINES]) {
    for (let tenths = CAPTION_MAX_MM * 10; tenths >= CAPTION_MIN_MM * 10; tenths--) {
      const emMm = tenths / 10;
      const lines = wrapAfterHyphens(caption, Math.floor(widthMm / (emMm * MONO_ADVANCE)));
      if (lines && lines.length <= maxLines) return { lines, emMm };
    }
  }
  throw invalid('invalid-label', `the caption does not fit a label ${widthMm + 2 * SIDE_MARGIN_MM}mm wide`, [
    { field: 'caption', message: `is too long for ${MAX_CAPTION_LINES} lines at ${CAPTION_MIN_MM}mm` },
  ]);
}

/** A line of small text at up to `maxMm`, smaller where it is long. */
const noteEm = (text: string, widthMm: number) =>
  Math.min(NOTE_MAX_MM, widthMm / (Math.max(Array.from(text).length, 1) * MONO_ADVANCE));

export function layout(qrModules: number, caption: string, host: string, size: LabelSize): Layout {
  const { sizeMm, dpi } = checkSize(size);
  const width = Math.round(mmToDots(sizeMm, dpi));
  const module = Math.floor(width / (qrModules + 2 * QUIET_ZONE));
  if (module < MIN_MODULE_DOTS) {
    throw invalid(
      'invalid-label',
      `a ${sizeMm}mm label at ${dpi} dpi gives ${module} dots per QR module; at least ${MIN_MODULE_DOTS} print reliably: choose a larger size or a higher dpi`,
      [{ field: 'size', message: `is too small for ${dpi} dpi` }],
    );
  }
  // Centred, with the same margin above the symbol as beside it (at least the quiet zone).
  const qrX = Math.floor((width - qrModules * module) / 2);
  const qrY = qrX;
  const textWidthMm = sizeMm - 2 * SIDE_MARGIN_MM;
  const { lines: captionText, emMm } = captionLines(caption, textWidthMm);
  const lines: TextLine[] = [];
  const em = mmToDots(emMm, dpi);
  // The caption's capitals start where the quiet zone under the symbol ends.
  let baseline = qrY + qrModules * module + QUIET_ZONE * module + MONO_CAP_HEIGHT * em;
  for (const text of captionText) {
    lines.push({ text, fontSize: em, baseline });
    baseline += 1.25 * em;
  }
  baseline += 0.25 * em;
  for (const text of [SCAN_NOTE, host]) {
    const note = mmToDots(noteEm(text, textWidthMm), dpi);
    lines.push({ text, fontSize: note, baseline });
    baseline += 1.3 * note;
  }
  const last = lines.at(-1)!;
  const height = Math.ceil(last.baseline + mmToDots(BOTTOM_MARGIN_MM, dpi));
  return { dpi, width, height, module, qrX, qrY, lines };
}
