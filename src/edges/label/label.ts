/**
 * The robot's nameplate label: a QR code of the robot's public URL with the ID's display form printed underneath.
 *
 * Geometry is in QR modules: the SVG's viewBox unit is one module, the QR symbol sits on integer module
 * coordinates with a 4-module quiet zone, and the caption starts below the quiet zone. The PNG is rendered from
 * the same SVG at an integer number of pixels per module, so the modules come out crisp.
 */
import { fileURLToPath } from 'node:url';
import { create as createQr } from 'qrcode';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { invalid } from '../../domain/errors.js';

export interface LabelContent {
  /** What the QR code encodes, e.g. `https://registry.example/r/CN-7K2A-…`. */
  url: string;
  /** Printed under the code, e.g. the robot ID's display form. */
  caption: string;
}

export interface LabelPngOptions {
  /** Pixels per QR module (integer, 1–64). Default 8. */
  scale?: number;
}

const QUIET_ZONE = 4;
/** Minimum white space left and right of the caption. */
const CAPTION_SIDE_MARGIN = 2;
/** Caption font size bounds, in modules. Below the minimum the label is widened instead of shrinking the text. */
const CAPTION_MIN_FONT = 2.2;
const CAPTION_MAX_FONT = 2.5;
/** IBM Plex Mono metrics (per em): every glyph advances 600/1000; capital height 698/1000. */
const MONO_ADVANCE = 0.6;
const MONO_CAP_HEIGHT = 0.698;
/** White space under the caption's baseline (descenders fit in it), in modules. */
const CAPTION_BOTTOM_MARGIN = 3;
export const DEFAULT_SCALE = 8;
const MAX_SCALE = 64;

const FONT_FAMILY = 'IBM Plex Mono';
const FONT_STACK = 'IBM Plex Mono, DejaVu Sans Mono, monospace';
const FONT_WEIGHT = 500;
/** The one face the label uses, shipped with its licence in assets/fonts (the same path from src/ and dist/). */
const FONT_FILE = new URL('../../../assets/fonts/IBMPlexMono-Medium.ttf', import.meta.url);

/** 1-based position of the first character XML 1.0 does not allow at all (not even escaped), if any. */
function firstForbiddenXmlChar(text: string): number | undefined {
  let position = 0;
  for (const char of text) {
    position++;
    const cp = char.codePointAt(0) ?? 0;
    const control = cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d;
    const loneSurrogate = cp >= 0xd800 && cp <= 0xdfff; // a paired surrogate iterates as one code point
    if (control || loneSurrogate || cp === 0xfffe || cp === 0xffff) return position;
  }
  return undefined;
}

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

function checkContent({ url, caption }: LabelContent): void {
  if (typeof url !== 'string' || url === '') {
    throw invalid('invalid-label', 'the label needs a URL to encode', [
      { field: 'url', message: 'is required' },
    ]);
  }
  if (typeof caption !== 'string') {
    throw invalid('invalid-label', 'the label caption must be a string', [
      { field: 'caption', message: 'is required' },
    ]);
  }
  for (const [field, text] of [
    ['url', url],
    ['caption', caption],
  ] as const) {
    const position = firstForbiddenXmlChar(text);
    if (position !== undefined) {
      throw invalid('invalid-label', `the label ${field} contains a control character`, [
        { field, message: 'contains a character that cannot be printed', position },
      ]);
    }
  }
}

/** The QR matrix (error correction M) as rows of booleans, dark = true. */
function qrMatrix(url: string): boolean[][] {
  let modules;
  try {
    ({ modules } = createQr(url, { errorCorrectionLevel: 'M' }));
  } catch (error) {
    throw invalid('invalid-label', `the URL cannot be encoded as a QR code: ${(error as Error).message}`, [
      { field: 'url', message: 'is too long for a QR code' },
    ]);
  }
  const { size, data } = modules;
  return Array.from({ length: size }, (_, row) =>
    Array.from({ length: size }, (_, col) => data[row * size + col] === 1),
  );
}

/** One path of horizontal runs of dark modules, offset by (x0, y0) modules. */
function modulesPath(matrix: boolean[][], x0: number, y0: number): string {
  const parts: string[] = [];
  matrix.forEach((row, y) => {
    for (let x = 0; x < row.length;) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (row[x]) x++;
      const run = x - start;
      parts.push(`M${x0 + start} ${y0 + y}h${run}v1h-${run}z`);
    }
  });
  return parts.join('');
}

interface Layout {
  width: number;
  height: number;
  qrX: number;
  qrY: number;
  fontSize: number;
  baseline: number;
}

function layout(qrSize: number, caption: string): Layout {
  const symbolWithQuietZone = qrSize + 2 * QUIET_ZONE;
  const chars = Math.max(Array.from(caption).length, 1);
  const fitting = (symbolWithQuietZone - 2 * CAPTION_SIDE_MARGIN) / (chars * MONO_ADVANCE);
  const fontSize = Math.min(CAPTION_MAX_FONT, Math.max(CAPTION_MIN_FONT, Math.floor(fitting * 100) / 100));
  const captionWidth = chars * MONO_ADVANCE * fontSize + 2 * CAPTION_SIDE_MARGIN;
  // Integer width and height keep every module on whole pixels at any integer scale.
  const width = Math.max(symbolWithQuietZone, Math.ceil(captionWidth));
  const qrX = Math.floor((width - symbolWithQuietZone) / 2) + QUIET_ZONE;
  const qrY = QUIET_ZONE;
  // Capital letters start right where the bottom quiet zone ends.
  const baseline = qrY + qrSize + QUIET_ZONE + MONO_CAP_HEIGHT * fontSize;
  const height = Math.ceil(baseline + CAPTION_BOTTOM_MARGIN);
  return { width, height, qrX, qrY, fontSize, baseline };
}

const fmt = (n: number) => String(Math.round(n * 1000) / 1000);

/**
 * The label as a standalone SVG document. The viewBox is in QR modules; width and height are in pixels at the
 * default 8 px per module, so it scales cleanly to any size.
 */
export function renderLabelSvg(content: LabelContent): string {
  return buildLabel(content).svg;
}

function buildLabel(content: LabelContent): { svg: string; width: number } {
  checkContent(content);
  const { url, caption } = content;
  const matrix = qrMatrix(url);
  const { width, height, qrX, qrY, fontSize, baseline } = layout(matrix.length, caption);
  const title = caption === '' ? url : `${caption}: ${url}`;
  const svg = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width * DEFAULT_SCALE}" height="${height * DEFAULT_SCALE}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="label-title">`,
    `<title id="label-title">${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<path d="${modulesPath(matrix, qrX, qrY)}" fill="#000000" shape-rendering="crispEdges"/>`,
    `<text x="${fmt(width / 2)}" y="${fmt(baseline)}" text-anchor="middle" font-family="${FONT_STACK}" font-weight="${FONT_WEIGHT}" font-size="${fmt(fontSize)}" fill="#000000">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
  return { svg, width };
}

/** Path of the bundled IBM Plex Mono TTF. */
export const labelFontFile = (): string => fileURLToPath(FONT_FILE);

/**
 * Render options for every PNG: only the bundled font, never the machine's fonts, so the output is the same
 * everywhere. The native resvg-js binding takes font *files* only (`fontBuffers` exists in the wasm build alone),
 * so resvg reads the 135 kB TTF on each render; that costs under a millisecond, next to ~6 ms of rasterising.
 */
function renderOptions(widthPx: number): ResvgRenderOptions {
  return {
    fitTo: { mode: 'width', value: widthPx },
    background: '#ffffff',
    shapeRendering: 1,
    font: {
      loadSystemFonts: false,
      fontFiles: [labelFontFile()],
      defaultFontFamily: FONT_FAMILY,
      monospaceFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      serifFamily: FONT_FAMILY,
    },
    logLevel: 'off',
  };
}

/** The label as a PNG, `scale` pixels per QR module (default 8). */
export function renderLabelPng(
  content: LabelContent,
  { scale = DEFAULT_SCALE }: LabelPngOptions = {},
): Buffer {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) {
    throw invalid('invalid-label', `scale must be a whole number of pixels per module, 1 to ${MAX_SCALE}`, [
      { field: 'scale', message: `must be an integer from 1 to ${MAX_SCALE}` },
    ]);
  }
  const { svg, width } = buildLabel(content);
  return new Resvg(svg, renderOptions(width * scale)).render().asPng();
}
