import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { Resvg } from '@resvg/resvg-js';
import { create as createQr } from 'qrcode';
import { decodeQr, type RgbaImage as Image } from '../support/qr.js';
import { DomainError } from '../../src/domain/errors.js';
import {
  DEFAULT_DPI,
  DEFAULT_SIZE_MM,
  MIN_SIZE_MM,
  renderLabelPng,
  renderLabelSvg,
  type LabelContent,
  type LabelSize,
} from '../../src/edges/label/label.js';
import { renderLabelZpl } from '../../src/edges/label/zpl.js';

const ID = 'CN-7K2A-H1X9B4-R0000000000000123-5F';
const SHORT: LabelContent = { url: `http://localhost:8080/r/${ID}`, caption: ID };
const LONG: LabelContent = {
  url: `https://robotid.registry.example.gov.cn/public/nameplate-lookup/v1/r/${ID}`,
  caption: ID,
};
const dots = (mm: number, dpi: number) => Math.round((mm * dpi) / 25.4);

const isDark = (image: Image, x: number, y: number) => {
  const i = (y * image.width + x) * 4;
  return (image.data[i] ?? 255) < 128;
};

/** Runs of consecutive rows with dark pixels: the QR symbol is one block, each line of text another. */
function blocks(image: Image): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let y = 0; y < image.height; y++) {
    let dark = false;
    for (let x = 0; x < image.width && !dark; x++) dark = isDark(image, x, y);
    if (!dark) continue;
    const last = out.at(-1);
    if (last && y === last[1] + 1) last[1] = y;
    else out.push([y, y]);
  }
  return out;
}

/** The pHYs chunk of a PNG: pixels per unit on each axis, and the unit (1: the metre). */
function density(png: Buffer): { x: number; y: number; unit: number } | undefined {
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    if (type === 'pHYs') {
      const data = png.subarray(at + 8, at + 8 + length);
      return { x: data.readUInt32BE(0), y: data.readUInt32BE(4), unit: data.readUInt8(8) };
    }
    if (type === 'IDAT') return undefined; // pHYs must come before the image data
    at += 12 + length;
  }
  return undefined;
}

describe('renderLabelPng: physical size', () => {
  const sizes: Array<[string, LabelSize, number, number]> = [
    ['the default', {}, DEFAULT_SIZE_MM, DEFAULT_DPI],
    ['the smallest at 300 dpi', { sizeMm: MIN_SIZE_MM, dpi: 300 }, MIN_SIZE_MM, 300],
    ['the smallest at 203 dpi (a thermal printer)', { sizeMm: MIN_SIZE_MM, dpi: 203 }, MIN_SIZE_MM, 203],
    ['50mm at 600 dpi', { sizeMm: 50, dpi: 600 }, 50, 600],
  ];
  for (const [name, size, mm, dpi] of sizes) {
    it(`is size × dpi pixels wide, says its dpi, and its QR code reads back (${name})`, () => {
      for (const content of [SHORT, LONG]) {
        const buffer = renderLabelPng(content, size);
        const png = PNG.sync.read(buffer);
        assert.equal(png.width, dots(mm, dpi));
        assert.deepEqual(density(buffer), {
          x: Math.round(dpi / 0.0254),
          y: Math.round(dpi / 0.0254),
          unit: 1,
        });
        assert.equal(decodeQr(png), content.url);
        assert.ok(png.height > png.width && png.height < png.width * 1.6, `height ${png.height}`);
      }
    });
  }

  it('draws crisp modules on whole pixels', () => {
    const png = PNG.sync.read(renderLabelPng(SHORT, { sizeMm: 25, dpi: 203 }));
    const [qr] = blocks(png);
    assert.ok(qr);
    for (let y = qr[0]; y <= qr[1]; y++) {
      for (let x = 0; x < png.width; x++) {
        const v = png.data[(y * png.width + x) * 4];
        assert.ok(v === 0 || v === 255, `pixel (${x}, ${y}) is ${v}`);
      }
    }
  });

  it('prints the ID in text at least 2 mm high at the default size, then "Scan to verify at" the registry', () => {
    const png = PNG.sync.read(renderLabelPng(LONG));
    const found = blocks(png);
    // The symbol; the ID on two lines (broken after a hyphen); "Scan to verify at"; the host.
    assert.equal(found.length, 5, `dark row blocks ${JSON.stringify(found)}`);
    const [qr, caption] = found as [[number, number], [number, number]];
    const modulePx =
      (qr[1] - qr[0] + 1) /
      createQr([{ data: Buffer.from(LONG.url), mode: 'byte' }], { errorCorrectionLevel: 'M' }).modules.size;
    assert.ok(caption[0] - qr[1] > 4 * modulePx, `the quiet zone under the symbol: ${caption[0] - qr[1]} px`);
    // "CN-7K2A-H1X9B4-": capitals and digits, no descenders, so its height is the cap height: 0.698 em.
    const capHeightMm = ((caption[1] - caption[0] + 1) * 25.4) / DEFAULT_DPI;
    assert.ok(capHeightMm / 0.698 >= 2, `caption em ${(capHeightMm / 0.698).toFixed(2)} mm`);
    const svg = renderLabelSvg(LONG);
    assert.match(
      svg,
      /<desc id="label-desc">CN-7K2A-H1X9B4-\nR0000000000000123-5F\nScan to verify at\nrobotid\.registry\.example\.gov\.cn<\/desc>/,
    );
  });

  it('refuses sizes and resolutions it cannot print, naming the parameter', () => {
    const refuses = (size: LabelSize, field: string, message: RegExp) =>
      assert.throws(
        () => renderLabelPng(SHORT, size),
        (e: unknown) =>
          e instanceof DomainError &&
          e.code === 'invalid-label' &&
          e.fields[0]?.field === field &&
          message.test(e.message),
      );
    refuses({ sizeMm: 19.9 }, 'size', /from 20mm to 100mm/);
    refuses({ sizeMm: 101 }, 'size', /from 20mm to 100mm/);
    refuses({ sizeMm: Number.NaN }, 'size', /from 20mm/);
    refuses({ dpi: 99 }, 'dpi', /from 100 to 1200/);
    refuses({ dpi: 1201 }, 'dpi', /from 100 to 1200/);
    refuses({ dpi: 300.5 }, 'dpi', /whole number/);
    refuses({ sizeMm: 20, dpi: 100 }, 'size', /20mm label at 100 dpi gives 1 dots per QR module; at least 3/);
    assert.throws(
      () => renderLabelPng({ url: SHORT.url, caption: 'X'.repeat(40) }, { sizeMm: 20 }),
      (e: unknown) => e instanceof DomainError && e.fields[0]?.field === 'caption',
    );
  });
});

describe('renderLabelSvg', () => {
  it('has its size in millimetres and its text as outlines: it renders the same without any font', () => {
    for (const content of [SHORT, LONG]) {
      const svg = renderLabelSvg(content, { sizeMm: 25, dpi: 300 });
      assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"/);
      assert.match(
        svg,
        /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* width="2[45]\.\d+mm" height="[\d.]+mm" viewBox="0 0 295 \d+"/,
      );
      assert.doesNotMatch(svg, /<text|font-family|@font-face/);
      const noFonts = new Resvg(svg, {
        fitTo: { mode: 'width', value: dots(25, 300) },
        font: { loadSystemFonts: false },
      }).render();
      const image = { width: noFonts.width, height: noFonts.height, data: noFonts.pixels };
      assert.equal(decodeQr(image), content.url);
      assert.ok(blocks(image).length >= 5, 'the text is drawn without any font');
      const png = PNG.sync.read(renderLabelPng(content, { sizeMm: 25, dpi: 300 }));
      assert.equal(png.width, image.width);
      const differing = png.data.filter((v, i) => Math.abs(v - (image.data[i] ?? 0)) > 1).length;
      assert.equal(differing, 0, 'the PNG is the SVG');
    }
  });

  it('has a white background, the modules as one path, a title and a description', () => {
    const svg = renderLabelSvg(LONG);
    assert.match(svg, /<rect width="\d+" height="\d+" fill="#ffffff"\/>/);
    assert.match(svg, /<path d="M[^"]+" fill="#000000" shape-rendering="crispEdges"\/>/);
    assert.match(svg, /<title id="label-title">CN-7K2A-H1X9B4-R0000000000000123-5F: https:\/\/robotid\./);
    assert.match(svg, /aria-labelledby="label-title label-desc"/);
  });

  it('escapes the caption and the URL', () => {
    const url = 'https://x.example/r/a?b=1&c=<2>';
    const svg = renderLabelSvg({ url, caption: `<&> "q" 'single'` });
    assert.match(svg, /<desc id="label-desc">&lt;&amp;&gt; &quot;q&quot; &apos;single&apos;\n/);
    assert.match(
      svg,
      /<title id="label-title">&lt;&amp;&gt; .*https:\/\/x\.example\/r\/a\?b=1&amp;c=&lt;2&gt;<\/title>/,
    );
    assert.doesNotMatch(svg, /<&>|c=<2>/);
    assert.equal(decodeQr(PNG.sync.read(renderLabelPng({ url, caption: '<&>' }))), url);
  });

  it('rejects control characters and an empty or oversized URL', () => {
    const reject = (content: LabelContent, field: string) =>
      assert.throws(
        () => renderLabelSvg(content),
        (e: unknown) =>
          e instanceof DomainError && e.code === 'invalid-label' && e.fields[0]?.field === field,
      );
    reject({ url: SHORT.url, caption: 'CN\u0000' }, 'caption');
    reject({ url: SHORT.url, caption: 'CN\uD800' }, 'caption');
    assert.throws(
      () => renderLabelSvg({ url: SHORT.url, caption: '🤖-\u0007' }),
      (e: unknown) => e instanceof DomainError && e.fields[0]?.position === 3,
    );
    reject({ url: '', caption: ID }, 'url');
    reject({ url: `https://x.example/${'a'.repeat(3000)}`, caption: ID }, 'url');
  });
});

describe('renderLabelZpl', () => {
  it('is one well-formed ZPL II label: the QR code of the URL, the ID and the note in text fields', () => {
    const zpl = renderLabelZpl(LONG);
    assert.ok(zpl.startsWith('^XA\n'), zpl);
    assert.ok(zpl.trimEnd().endsWith('^XZ'), zpl);
    assert.equal(zpl.match(/\^XA/g)?.length, 1);
    assert.equal(zpl.match(/\^XZ/g)?.length, 1);
    assert.match(zpl, /\^CI28\n/, 'UTF-8');
    assert.match(zpl, new RegExp(`\\^PW${dots(DEFAULT_SIZE_MM, DEFAULT_DPI)}\\n`));
    assert.match(zpl, /\^LL\d+\n/);
    // Manual input: one byte-mode segment of so many bytes, the URL.
    const qr = /\^FO(\d+),(\d+)\^BQN,2,(\d+)\^FH\^FDMM,B(\d{4})([^^]+)\^FS/.exec(zpl);
    assert.ok(qr, zpl);
    assert.equal(Number(qr[4]), LONG.url.length);
    assert.equal(qr[5], LONG.url);
    // Every command line is a field: ^FO … ^FD … ^FS, and the texts are the layout's lines.
    const fields = zpl.split('\n').filter((line) => line.startsWith('^FO'));
    for (const field of fields)
      assert.match(field, /^\^FO\d+,\d+\^(A0N,\d+\^FB\d+,1,0,C,0|BQN,2,\d+)\^FH\^FD[^^~]*\^FS$/);
    const texts = fields.slice(1).map((f) => /\^FD(.*)\^FS$/.exec(f)?.[1]);
    assert.deepEqual(texts, [
      'CN-7K2A-H1X9B4-',
      'R0000000000000123-5F',
      'Scan to verify at',
      'robotid.registry.example.gov.cn',
    ]);
  });

  it('gives the QR code as many dots per module as the printer’s resolution allows, at most 10', () => {
    const magnification = (size: LabelSize) => Number(/\^BQN,2,(\d+)/.exec(renderLabelZpl(SHORT, size))?.[1]);
    // The short URL is a 33-module symbol: 41 modules with the quiet zone.
    assert.equal(magnification({ dpi: 203 }), Math.floor(dots(30, 203) / 41));
    assert.equal(magnification({ dpi: 300 }), Math.floor(dots(30, 300) / 41));
    assert.equal(magnification({ sizeMm: 20, dpi: 203 }), 3);
    assert.equal(magnification({ dpi: 600 }), 10);
  });

  it('escapes what ZPL would read as commands', () => {
    const zpl = renderLabelZpl({ url: 'https://x.example/r/a_b', caption: 'A^XZ~JR_' });
    assert.match(zpl, /\^FDMM,B0023https:\/\/x\.example\/r\/a_5Fb\^FS/);
    assert.match(zpl, /\^FDA_5EXZ_7EJR_5F\^FS/);
    assert.equal(zpl.match(/\^XZ/g)?.length, 1);
  });
});
