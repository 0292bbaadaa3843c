/**
 * Label sheets: many robots' labels at once, for an office printer (a PDF of A4 pages, as many labels a page as fit
 * at the chosen width) or for a label printer (ZPL, one ^XA…^XZ label per robot, as zpl.ts renders one).
 *
 * A PDF label is the QR symbol of the robot's URL (the same symbol as every other rendering: `qrMatrix`), drawn as
 * vector squares so it prints crisp at any printer's resolution, with the quiet zone inside the label's width, and
 * the robot ID under it in the bundled monospace font, wrapped after its hyphens as the nameplate does. Sheet labels
 * go smaller than the nameplate (it adds "Scan to verify at" and the host): down to 10 mm.
 */
import PDFDocument from 'pdfkit';
import { invalid } from '../../domain/errors.js';
import { labelFontFile, qrMatrix, type LabelContent, type LabelSize } from './label.js';
import { MONO_ADVANCE, QUIET_ZONE, wrapAfterHyphens } from './layout.js';
import { renderLabelZpl } from './zpl.js';

export const SHEET_MIN_MM = 10;
export const SHEET_MAX_MM = 60;

/** A4 portrait, its printable margin and the gap between labels (to cut them apart), in millimetres. */
const PAGE = { width: 210, height: 297 };
const MARGIN_MM = 10;
const GAP_MM = 3;
/** Caption size bounds (em, mm): as large as fits in three lines, never below what a loupe still reads. */
const CAPTION_MAX_MM = 2.5;
const CAPTION_MIN_MM = 0.7;
const CAPTION_LINES = 3;
const LINE_HEIGHT = 1.25;
const BOTTOM_MM = 0.5;

const pt = (mm: number) => (mm * 72) / 25.4;

export interface SheetGeometry {
  /** Label width and height, millimetres. */
  width: number;
  height: number;
  columns: number;
  rows: number;
  perPage: number;
}

interface Caption {
  lines: string[];
  emMm: number;
}

/** The largest caption (0.1 mm steps) whose lines, broken after hyphens, fit the label's width in three lines. */
function caption(text: string, widthMm: number): Caption {
  for (let tenths = CAPTION_MAX_MM * 10; tenths >= CAPTION_MIN_MM * 10; tenths--) {
    const emMm = tenths / 10;
    const lines = wrapAfterHyphens(text, Math.floor(widthMm / (emMm * MONO_ADVANCE)));
    if (lines && lines.length <= CAPTION_LINES) return { lines, emMm };
  }
  throw invalid('invalid-label', `the ID ${text} does not fit a label ${widthMm}mm wide`, [
    { field: '/sizeMm', message: 'too small for the ID' },
  ]);
}

function checkSheetSize(sizeMm: number) {
  if (!(sizeMm >= SHEET_MIN_MM && sizeMm <= SHEET_MAX_MM))
    throw invalid('invalid-label', `sheet labels are from ${SHEET_MIN_MM}mm to ${SHEET_MAX_MM}mm wide`, [
      { field: '/sizeMm', message: `must be from ${SHEET_MIN_MM} to ${SHEET_MAX_MM}` },
    ]);
}

/** Every label of a sheet is laid out alike: the tallest caption (all IDs have the same form) decides. */
export function sheetGeometry(captions: readonly Caption[], sizeMm: number): SheetGeometry {
  const lines = Math.max(1, ...captions.map((c) => c.lines.length));
  const em = Math.max(0, ...captions.map((c) => c.emMm));
  const height = sizeMm + lines * LINE_HEIGHT * em + BOTTOM_MM;
  const fit = (room: number, size: number) => Math.max(1, Math.floor((room + GAP_MM) / (size + GAP_MM)));
  const columns = fit(PAGE.width - 2 * MARGIN_MM, sizeMm);
  const rows = fit(PAGE.height - 2 * MARGIN_MM, height);
  return { width: sizeMm, height, columns, rows, perPage: columns * rows };
}

/** The labels as a PDF of A4 pages, in the order given, left to right and top to bottom. */
export async function renderLabelSheetPdf(labels: readonly LabelContent[], sizeMm: number): Promise<Buffer> {
  checkSheetSize(sizeMm);
  const width = sizeMm;
  const captions = labels.map((l) => caption(l.caption, width - 1));
  const geometry = sheetGeometry(captions, sizeMm);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    info: { Title: 'robotid labels', Creator: 'robotid' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('label', labelFontFile());
  labels.forEach((label, i) => {
    const onPage = i % geometry.perPage;
    if (onPage === 0) doc.addPage();
    const x = MARGIN_MM + (onPage % geometry.columns) * (width + GAP_MM);
    const y = MARGIN_MM + Math.floor(onPage / geometry.columns) * (geometry.height + GAP_MM);
    drawLabel(doc, label, captions[i]!, x, y, width);
  });
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

/** One label at (x, y) mm: the symbol with its quiet zone, `width` mm square, and the ID under it. */
function drawLabel(
  doc: PDFKit.PDFDocument,
  label: LabelContent,
  text: Caption,
  x: number,
  y: number,
  width: number,
) {
  const matrix = qrMatrix(label.url);
  const module = width / (matrix.length + 2 * QUIET_ZONE);
  const origin = { x: x + QUIET_ZONE * module, y: y + QUIET_ZONE * module };
  matrix.forEach((row, r) => {
    for (let c = 0; c < row.length;) {
      if (!row[c]) {
        c++;
        continue;
      }
      const start = c;
      while (row[c]) c++;
      doc.rect(
        pt(origin.x + start * module),
        pt(origin.y + r * module),
        pt((c - start) * module),
        pt(module),
      );
    }
  });
  doc.fill('#000000');
  const em = pt(text.emMm);
  doc.font('label').fontSize(em).fillColor('#000000');
  text.lines.forEach((line, i) => {
    doc.text(line, pt(x), pt(y + width) + i * LINE_HEIGHT * em, {
      width: pt(width),
      align: 'center',
      lineBreak: false,
    });
  });
}

/** The labels as ZPL II: one ^XA…^XZ label each, as a label printer prints a roll (zpl.ts). */
export function renderLabelSheetZpl(labels: readonly LabelContent[], size: LabelSize): string {
  return labels.map((label) => renderLabelZpl(label, size)).join('');
}
