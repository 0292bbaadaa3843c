/**
 * The nameplate label in ZPL II, for the thermal label printers factories use (Zebra and the many printers that
 * speak its language): the same layout as the SVG and PNG (layout.ts), in the printer's dots. The printer draws the
 * QR code itself (`^BQ`, model 2, error correction M, the URL in byte mode) at a whole number of dots per module, `^BQ`'s magnification,
 * at most 10; the text in its scalable font 0, centred in a field block as wide as the label.
 */
import { labelLayout, type LabelContent, type LabelSize } from './label.js';

/** ZPL's largest `^BQ` magnification (dots per module). */
const MAX_MAGNIFICATION = 10;
/** Printers draw a `^BQ` symbol this many dots below its field origin (Zebra's documented quirk). */
const QR_TOP_OFFSET = 10;

/**
 * Field data with `^FH` hex escapes for the characters ZPL would read as commands (`^`, `~`) and for `_`, the
 * escape character itself. Everything else is sent as UTF-8 (`^CI28`).
 */
const fieldData = (text: string) =>
  text.replace(/[\^~_]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function renderLabelZpl(content: LabelContent, size: LabelSize = {}): string {
  const { layout, qrModules } = labelLayout(content, size);
  const { width, height, module, qrY, lines } = layout;
  const magnification = Math.min(module, MAX_MAGNIFICATION);
  const qrX = Math.floor((width - qrModules * magnification) / 2);
  const byteCount = String(Buffer.byteLength(content.url, 'utf8')).padStart(4, '0');
  const text = lines.map((line) => {
    const height = Math.round(line.fontSize);
    // ^FO places the field's top: the baseline less the font's ascent (about 0.8 em in font 0).
    const top = Math.max(0, Math.round(line.baseline - 0.8 * line.fontSize));
    return `^FO0,${top}^A0N,${height}^FB${width},1,0,C,0^FH^FD${fieldData(line.text)}^FS`;
  });
  return [
    '^XA',
    '^CI28',
    `^PW${width}`,
    `^LL${height}`,
    '^LH0,0',
    // Manual input, one byte-mode segment of so many bytes: the symbol the SVG and PNG have (label.ts).
    `^FO${qrX},${Math.max(0, qrY - QR_TOP_OFFSET)}^BQN,2,${magnification}^FH^FDMM,B${byteCount}${fieldData(content.url)}^FS`,
    ...text,
    '^XZ',
    '',
  ].join('\n');
}
