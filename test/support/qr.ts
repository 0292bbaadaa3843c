import jsqr from 'jsqr';

// jsqr is CommonJS with `exports.default`; under NodeNext the default import is the whole module object.
const jsQR = jsqr.default;

export interface RgbaImage {
  width: number;
  height: number;
  data: Buffer;
}

/** Reads a QR code back from an RGBA image, as a phone would; undefined when none is found. */
export function decodeQr(image: RgbaImage): string | undefined {
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}
