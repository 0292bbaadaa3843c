import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { decodeQr, type RgbaImage as Image } from '../support/qr.js';
import { Resvg } from '@resvg/resvg-js';
import { DomainError } from '../../src/domain/errors.js';
import {
  DEFAULT_SCALE,
  labelFontFile,
  renderLabelPng,
  renderLabelSvg,
  type LabelContent,
} from '../../src/edges/label/label.js';

const ID = 'CN-7K2A-H1X9B4-R0000000000000123-5F';
const SHORT: LabelContent = { url: `http://localhost:8080/r/${ID}`, caption: ID };
const LONG: LabelContent = {
  url: `https://robotid.registry.example.gov.cn/public/nameplate-lookup/v1/r/${ID}`,
  caption: ID,
};

const isDark = (image: Image, x: number, y: number) => {
  const i = (y * image.width + x) * 4;
  return (image.data[i] ?? 255) < 128;
};

/** The rows that contain dark pixels, as [first, last] bounds of the QR symbol and of the caption beneath. */
function darkRows(image: Image): number[] {
  const rows: number[] = [];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (isDark(image, x, y)) {
        rows.push(y);
        break;
      }
    }
  }
  return rows;
}

/** Runs of consecutive dark rows: the QR symbol is one block, the caption another. */
function blocks(rows: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const y of rows) {
    const last = out.at(-1);
    if (last && y === last[1] + 1) last[1] = y;
    else out.push([y, y]);
  }
  return out;
}

describe('renderLabelPng', () => {
  for (const [name, content] of [
    ['short http URL', SHORT],
    ['long https URL with a path prefix', LONG],
  ] as const) {
    it(`encodes the URL exactly (${name})`, () => {
      const png = PNG.sync.read(renderLabelPng(content));
      assert.equal(decodeQr(png), content.url);
    });
  }

  it('is a valid PNG of sensible size', () => {
    const buffer = renderLabelPng(LONG);
    assert.deepEqual([...buffer.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const png = PNG.sync.read(buffer);
    // Width and height are whole modules at 8 px per module.
    assert.equal(png.width % DEFAULT_SCALE, 0);
    assert.equal(png.height % DEFAULT_SCALE, 0);
    assert.ok(png.width >= 300 && png.width <= 800, `width ${png.width}`);
    assert.ok(png.height >= png.width * 0.9 && png.height <= png.width * 1.5, `height ${png.height}`);
    assert.ok(buffer.length < 100_000, `${buffer.length} bytes`);
  });

  it('draws crisp modules on whole pixels', () => {
    const png = PNG.sync.read(renderLabelPng(SHORT, { scale: 5 }));
    assert.equal(png.width % 5, 0);
    // Every pixel of the QR area is pure black or pure white: no anti-aliased module edges.
    const [qr] = blocks(darkRows(png));
    assert.ok(qr);
    for (let y = qr[0]; y <= qr[1]; y++) {
      for (let x = 0; x < png.width; x++) {
        const v = png.data[(y * png.width + x) * 4];
        assert.ok(v === 0 || v === 255, `pixel (${x}, ${y}) is ${v}`);
      }
    }
    // The symbol's top edge is on a module boundary: 4 quiet-zone modules above it.
    assert.equal(qr[0], 4 * 5);
    assert.equal(decodeQr(png), SHORT.url);
  });

  it('renders the caption with the font under the QR code', () => {
    const png = PNG.sync.read(renderLabelPng(LONG));
    const found = blocks(darkRows(png));
    assert.equal(found.length, 2, `dark row blocks ${JSON.stringify(found)}`);
    const [qr, caption] = found as [[number, number], [number, number]];
    // The quiet zone under the symbol stays clear: at least 4 modules between the QR code and the caption.
    assert.ok(caption[0] - qr[1] > 4 * DEFAULT_SCALE, `gap ${caption[0] - qr[1]}`);
    // Glyphs are several pixels tall and cover a good share of the label's width.
    assert.ok(caption[1] - caption[0] >= 10, `caption height ${caption[1] - caption[0]}`);
    let left = png.width;
    let right = 0;
    let dark = 0;
    for (let y = caption[0]; y <= caption[1]; y++) {
      for (let x = 0; x < png.width; x++) {
        if (!isDark(png, x, y)) continue;
        dark++;
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
    assert.ok(dark > 500, `${dark} dark caption pixels`);
    assert.ok(right - left > png.width * 0.8, `caption spans ${left}..${right} of ${png.width}`);
    // Centered.
    assert.ok(
      Math.abs(left - (png.width - 1 - right)) <= DEFAULT_SCALE,
      `margins ${left} / ${png.width - 1 - right}`,
    );
  });

  it('renders a shorter caption too, and different captions differently', () => {
    const a = renderLabelPng({ url: SHORT.url, caption: 'CN-0000' });
    const b = renderLabelPng({ url: SHORT.url, caption: 'CN-0001' });
    assert.notDeepEqual(a, b);
    assert.equal(decodeQr(PNG.sync.read(a)), SHORT.url);
  });

  it('rejects a scale that is not a whole number of pixels', () => {
    for (const scale of [0, 2.5, 65, Number.NaN]) {
      assert.throws(
        () => renderLabelPng(SHORT, { scale }),
        (e: unknown) => e instanceof DomainError && e.kind === 'invalid' && e.fields[0]?.field === 'scale',
      );
    }
  });
});

describe('renderLabelSvg', () => {
  it('is a standalone SVG that decodes to the URL when rendered', () => {
    for (const content of [SHORT, LONG]) {
      const svg = renderLabelSvg(content);
      assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"/);
      assert.match(svg, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* viewBox="0 0 \d+ \d+"/);
      const rendered = new Resvg(svg, {
        fitTo: { mode: 'zoom', value: 2 },
        font: { loadSystemFonts: false, fontFiles: [labelFontFile()], defaultFontFamily: 'IBM Plex Mono' },
      }).render();
      const image = { width: rendered.width, height: rendered.height, data: rendered.pixels };
      assert.equal(decodeQr(image), content.url);
    }
  });

  it('has a white background, one path of modules, a title and the caption in a monospace font', () => {
    const svg = renderLabelSvg(LONG);
    assert.match(svg, /<rect width="\d+" height="\d+" fill="#ffffff"\/>/);
    assert.equal(svg.match(/<path /g)?.length, 1);
    assert.match(svg, /<path d="M[^"]+" fill="#000000" shape-rendering="crispEdges"\/>/);
    assert.match(svg, /<title id="label-title">CN-7K2A-H1X9B4-R0000000000000123-5F: https:\/\/robotid\./);
    assert.match(svg, /aria-labelledby="label-title"/);
    assert.match(svg, /font-family="IBM Plex Mono, DejaVu Sans Mono, monospace"/);
    assert.match(svg, /text-anchor="middle"[^>]*>CN-7K2A-H1X9B4-R0000000000000123-5F<\/text>/);
  });

  it('escapes the caption and the URL', () => {
    const svg = renderLabelSvg({ url: 'https://x.example/r/a?b=1&c=<2>', caption: `<&> "quoted" 'single'` });
    assert.match(svg, />&lt;&amp;&gt; &quot;quoted&quot; &apos;single&apos;<\/text>/);
    assert.match(
      svg,
      /<title id="label-title">&lt;&amp;&gt; .*https:\/\/x\.example\/r\/a\?b=1&amp;c=&lt;2&gt;<\/title>/,
    );
    assert.doesNotMatch(svg, /<&>|c=<2>/);
    // Still well-formed enough for resvg, which rejects broken XML.
    const png = PNG.sync.read(renderLabelPng({ url: 'https://x.example/r/a?b=1&c=<2>', caption: '<&>' }));
    assert.equal(decodeQr(png), 'https://x.example/r/a?b=1&c=<2>');
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
