/** PDFs read back as a person would see them: pages rendered by pdf.js (its own canvas in Node), QR codes decoded. */
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { decodeQr } from './qr.js';

export const openPdf = (bytes: Buffer): Promise<PDFDocumentProxy> =>
  getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;

const MM_PT = 72 / 25.4;

/** What is used of the 2D context of the canvas pdf.js makes (@napi-rs/canvas in Node; the DOM's types are not loaded). */
interface Canvas2d {
  fillStyle: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
}

/**
 * The QR code in a square of the page (`x`, `y`, `size` in millimetres from the top-left corner), rendered at
 * `dpi` dots per inch: only that square is drawn (the viewport shifted onto it).
 */
export async function qrInSquare(
  pdf: PDFDocumentProxy,
  pageNumber: number,
  square: { x: number; y: number; size: number },
  dpi = 300,
): Promise<string | undefined> {
  const page = await pdf.getPage(pageNumber);
  const scale = dpi / 72;
  const side = Math.ceil(square.size * MM_PT * scale);
  const viewport = page.getViewport({
    scale,
    offsetX: -square.x * MM_PT * scale,
    offsetY: -square.y * MM_PT * scale,
  });
  const { canvas, context } = (
    pdf as unknown as {
      canvasFactory: { create(w: number, h: number): { canvas: unknown; context: Canvas2d } };
    }
  ).canvasFactory.create(side, side);
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, side, side);
  // pdf.js takes any canvas with a 2D context; its types name the DOM's.
  await page.render({ canvas: canvas as never, viewport }).promise;
  const image = context.getImageData(0, 0, side, side);
  return decodeQr({ width: side, height: side, data: Buffer.from(image.data.buffer) });
}
