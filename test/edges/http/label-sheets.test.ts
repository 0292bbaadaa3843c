// POST /v1/label-sheets: a PDF of A4 pages whose QR codes read back as the robots' URLs, in order, as many a page as
// fit; ZPL with one label per robot; only the caller's robots.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseRobotId } from '../../../src/domain/id/index.js';
import { manufacturerWithModel } from '../../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import { openPdf, qrInSquare } from '../../support/pdf.js';

const COUNT = 45;

for (const store of testStores)
  describe(`label sheets (${store.name})`, () => {
    let h: Harness;
    let maker: Awaited<ReturnType<typeof manufacturerWithModel>>;
    let other: Awaited<ReturnType<typeof manufacturerWithModel>>;
    let robots: string[];
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      maker = await manufacturerWithModel(h);
      other = await manufacturerWithModel(h);
      const issued = await h.call('POST', '/v1/ids', {
        key: maker.key,
        body: { model: maker.model.code, count: COUNT },
      });
      robots = (issued.body.ids as string[]).map((printed) => printed.slice(0, 29));
    });
    after(() => h.close());

    const sheet = (key: string, body: Record<string, unknown>) =>
      h.app.inject({
        method: 'POST',
        url: '/v1/label-sheets',
        headers: { authorization: `Bearer ${key}` },
        payload: body,
      });
    const urlOf = (id: string) => `https://registry.test/r/${parseRobotId(id, 'id').printed}`;

    test('a PDF: A4 pages of 40 mm labels, 4 by 5 a page, whose QR codes read back in order', async () => {
      const res = await sheet(maker.key, { robotIds: robots, sizeMm: 40, format: 'pdf' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/pdf');
      const pdf = await openPdf(res.rawPayload);
      // 190 mm of width takes 4 labels of 40 mm with 3 mm between; 277 mm of height 5 rows of 40 mm + the ID.
      const perPage = 20;
      assert.equal(pdf.numPages, Math.ceil(COUNT / perPage));
      const page = await pdf.getPage(1);
      const [, , width, height] = page.view;
      assert.deepEqual([Math.round(width!), Math.round(height!)], [595, 842], 'A4 in points');
      const rowPitch = (277 + 3) / 5; // at least the label's height plus the gap: rows are spaced by the geometry
      const square = (i: number, pitchY: number) => ({
        x: 10 + (i % 4) * 43,
        y: 10 + Math.floor(i / 4) * pitchY,
        size: 40,
      });
      // The first row's codes, then a whole page by the layout's own row pitch, found from the second row.
      const decoded: (string | undefined)[] = [];
      for (let i = 0; i < 4; i++) decoded.push(await qrInSquare(pdf, 1, square(i, 0), 200));
      assert.deepEqual(decoded, robots.slice(0, 4).map(urlOf));
      let pitch: number | undefined;
      for (let y = 45; y < rowPitch + 3 && pitch === undefined; y += 0.5)
        if ((await qrInSquare(pdf, 1, { x: 10, y, size: 40 }, 150)) === urlOf(robots[4]!)) pitch = y - 10;
      assert.ok(pitch !== undefined, 'the second row is under the first');
      // Every label of the last page, which holds the remainder.
      const last = COUNT - (pdf.numPages - 1) * perPage;
      for (let i = 0; i < last; i++) {
        const at = square(i, pitch);
        const found = await qrInSquare(pdf, pdf.numPages, { ...at, y: at.y - 1, size: 42 }, 200);
        assert.equal(found, urlOf(robots[(pdf.numPages - 1) * perPage + i]!), `label ${i} of the last page`);
      }
    });

    test('10 mm labels still read back', async () => {
      const res = await sheet(maker.key, { robotIds: robots.slice(0, 3), sizeMm: 10, format: 'pdf' });
      assert.equal(res.statusCode, 200, res.body);
      const pdf = await openPdf(res.rawPayload);
      assert.equal(pdf.numPages, 1);
      for (let i = 0; i < 3; i++)
        assert.equal(await qrInSquare(pdf, 1, { x: 10 + i * 13, y: 10, size: 10 }, 1200), urlOf(robots[i]!));
    });

    test('ZPL: one ^XA…^XZ label per robot, each with its URL', async () => {
      const res = await sheet(maker.key, {
        robotIds: robots.slice(0, 7),
        sizeMm: 30,
        format: 'zpl',
        dpi: 203,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      const labels = res.body.match(/\^XA[\s\S]*?\^XZ/g) ?? [];
      assert.equal(labels.length, 7);
      assert.equal((res.body.match(/\^XA/g) ?? []).length, 7);
      labels.forEach((label, i) => assert.ok(label.includes(urlOf(robots[i]!)), `label ${i}`));
      const small = await sheet(maker.key, { robotIds: robots.slice(0, 1), sizeMm: 12, format: 'zpl' });
      assert.equal(small.statusCode, 400, 'a printer label is the nameplate: from 20 mm');
      assert.equal(small.json().errors[0].field, '/sizeMm');
    });

    test("only the caller's robots; sizes in range", async () => {
      const res = await sheet(other.key, { robotIds: [robots[1]], sizeMm: 30, format: 'pdf' });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().errors[0].field, '/robotIds/0');
      assert.equal(
        (await sheet(maker.key, { robotIds: [robots[0]], sizeMm: 9, format: 'pdf' })).statusCode,
        400,
      );
      assert.equal(
        (await sheet(maker.key, { robotIds: [robots[0]], sizeMm: 61, format: 'pdf' })).statusCode,
        400,
      );
      const anonymous = await h.app.inject({
        method: 'POST',
        url: '/v1/label-sheets',
        payload: { robotIds: [robots[0]], sizeMm: 30, format: 'pdf' },
      });
      assert.equal(anonymous.statusCode, 401);
    });
  });
