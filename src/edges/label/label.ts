/**
 * The robot's nameplate label: a QR code of the robot's public URL, the ID's display form under it, then "Scan to
 * verify at" and the registry's host. Sizes are physical (layout.ts): `sizeMm` wide at `dpi` dots per inch.
 *
 * The SVG is in printer dots (its viewBox) with its width and height in millimetres, and its text is drawn as glyph
 * outlines from the bundled font, so it looks the same in every viewer and on every printer, with or without the
 * font. The PNG is that SVG at one pixel a dot, with its density (pHYs) saying the dpi, so it prints at its size.
 */
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { create as createQr } from 'qrcode';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { invalid } from '../../domain/errors.js';
import { dotsToMm, layout, type LabelSize, type Layout } from './layout.js';

export {
  DEFAULT_DPI,
  DEFAULT_SIZE_MM,
  MAX_DPI,
  MAX_SIZE_MM,
  MIN_DPI,
  MIN_SIZE_MM,
  parseMillimetres,
  type LabelSize,
} from './layout.js';

export interface LabelContent {
  /** What the QR code encodes, e.g. `https://registry.example/r/CN-7K2A-…`. */
  url: string;
  /** Printed under the code, e.g. the robot ID's display form. */
  caption: string;
}

const FONT_FAMILY = 'IBM Plex Mono';
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

/**
 * The QR matrix (error correction M) as rows of booleans, dark = true. The URL is one byte-mode segment, as a
 * label printer encodes it (zpl.ts), so that every format has the same symbol and so the same layout.
 */
export function qrMatrix(url: string): boolean[][] {
  let modules;
  try {
    ({ modules } = createQr([{ data: Buffer.from(url, 'utf8'), mode: 'byte' }], {
      errorCorrectionLevel: 'M',
    }));
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

/** One path of horizontal runs of dark modules, `module` dots each, from (x0, y0) dots. */
function modulesPath(matrix: boolean[][], x0: number, y0: number, module: number): string {
  const parts: string[] = [];
  matrix.forEach((row, y) => {
    for (let x = 0; x < row.length;) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (row[x]) x++;
      const run = (x - start) * module;
      parts.push(`M${x0 + start * module} ${y0 + y * module}h${run}v${module}h-${run}z`);
    }
  });
  return parts.join('');
}

/** The host the URL names: the registry a reader can check the label against. */
function registryHost(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

const fmt = (n: number) => String(Math.round(n * 1000) / 1000);

/** Path of the bundled IBM Plex Mono TTF. */
export const labelFontFile = (): string => fileURLToPath(FONT_FILE);

/** Only the bundled font, never the machine's: the outlines are the same everywhere. */
const FONT_OPTIONS: ResvgRenderOptions['font'] = {
  loadSystemFonts: false,
  fontFiles: [labelFontFile()],
  defaultFontFamily: FONT_FAMILY,
  monospaceFamily: FONT_FAMILY,
};

/**
 * The text lines as glyph outlines: resvg lays the text out with the bundled font and writes it back as paths in
 * the same user space (no transform, as the viewBox is the canvas), which we draw as one path.
 */
function textOutlines({ width, height, lines }: Layout): string {
  const texts = lines.map(
    (line) =>
      `<text x="${fmt(width / 2)}" y="${fmt(line.baseline)}" text-anchor="middle" font-family="${FONT_FAMILY}" font-size="${fmt(line.fontSize)}">${escapeXml(line.text)}</text>`,
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${texts.join('')}</svg>`;
  const simplified = new Resvg(svg, { font: FONT_OPTIONS, logLevel: 'off' }).toString();
  return [...simplified.matchAll(/<path [^>]*\bd="([^"]+)"/g)].map((m) => m[1]).join(' ');
}

interface Built {
  svg: string;
  layout: Layout;
}

function buildLabel(content: LabelContent, size: LabelSize): Built {
  checkContent(content);
  const { url, caption } = content;
  const matrix = qrMatrix(url);
  const geometry = layout(matrix.length, caption, registryHost(url), size);
  const { width, height, module, qrX, qrY, dpi, lines } = geometry;
  const title = caption === '' ? url : `${caption}: ${url}`;
  const svg = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${fmt(dotsToMm(width, dpi))}mm" height="${fmt(dotsToMm(height, dpi))}mm" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="label-title label-desc">`,
    `<title id="label-title">${escapeXml(title)}</title>`,
    `<desc id="label-desc">${escapeXml(lines.map((l) => l.text).join('\n'))}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<path d="${modulesPath(matrix, qrX, qrY, module)}" fill="#000000" shape-rendering="crispEdges"/>`,
    `<path d="${textOutlines(geometry)}" fill="#000000"/>`,
    '</svg>',
    '',
  ].join('\n');
  return { svg, layout: geometry };
}

/** The label as a standalone SVG document, its text as outlines (no font needed to show it). */
export function renderLabelSvg(content: LabelContent, size: LabelSize = {}): string {
  return buildLabel(content, size).svg;
}

/** The label as a PNG, one pixel a printer dot, its pHYs chunk giving the dpi. */
export function renderLabelPng(content: LabelContent, size: LabelSize = {}): Buffer {
  const { svg, layout: geometry } = buildLabel(content, size);
  const png = new Resvg(svg, {
    fitTo: { mode: 'width', value: geometry.width },
    background: '#ffffff',
    font: { loadSystemFonts: false },
    logLevel: 'off',
  })
    .render()
    .asPng();
  return withDensity(png, geometry.dpi);
}

/** The pHYs chunk (pixels per metre, both axes) inserted after IHDR, which PNG requires to come first. */
function withDensity(png: Buffer, dpi: number): Buffer {
  const IHDR_END = 8 + 4 + 4 + 13 + 4; // signature, length, type, 13 bytes of data, CRC
  const perMetre = Math.round(dpi / 0.0254);
  const body = Buffer.alloc(4 + 9);
  body.write('pHYs', 0, 'latin1');
  body.writeUInt32BE(perMetre, 4);
  body.writeUInt32BE(perMetre, 8);
  body.writeUInt8(1, 12); // unit: the metre
  const chunk = Buffer.alloc(4 + body.length + 4);
  chunk.writeUInt32BE(9, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), 4 + body.length);
  const rest = png.subarray(IHDR_END);
  if (rest.subarray(4, 8).toString('latin1') === 'pHYs') throw new Error('resvg wrote a pHYs chunk already');
  return Buffer.concat([png.subarray(0, IHDR_END), chunk, rest]);
}

/** What ZPL needs from the layout (zpl.ts): the QR code's size in modules and the layout. */
export function labelLayout(
  content: LabelContent,
  size: LabelSize = {},
): { layout: Layout; qrModules: number } {
  checkContent(content);
  const qrModules = qrMatrix(content.url).length;
  return { layout: layout(qrModules, content.caption, registryHost(content.url), size), qrModules };
}
