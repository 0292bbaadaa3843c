import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildServer } from '../../../src/edges/http/server.js';
import { languageFromAcceptLanguage } from '../../../src/edges/http/page.js';
import { manufacturerWithModel } from '../../support/fixtures.js';
import { startHarness, type Harness } from '../../support/harness.js';

describe('the landing page', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('GET / is a page that says what this is, with a lookup box and the API reference', async () => {
    const res = await h.call('GET', '/', { headers: { accept: 'text/html' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(String(res.headers.vary), /Accept-Language/);
    const page = String(res.body);
    assert.match(page, /^<!doctype html><html lang="en">/);
    assert.match(page, /National registry of humanoid robots/);
    assert.match(page, /<form action="\/r" method="get">[\s\S]*<input id="id" name="id"/);
    assert.match(page, /<a href="\/docs">/);
    assert.match(page, /<a href="\?lang=zh" hreflang="zh-CN" lang="zh-CN">中文<\/a>/);
    assert.match(page, /<a href="\/console\/">Registry console<\/a>/, 'the console this server serves');
  });

  test('speaks Chinese to a Chinese browser, and the switch wins over Accept-Language', async () => {
    const zh = await h.call('GET', '/', { headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    assert.match(String(zh.body), /^<!doctype html><html lang="zh-CN">/);
    assert.match(String(zh.body), /人形机器人国家登记系统/);
    assert.match(String(zh.body), /<input type="hidden" name="lang" value="zh">/);
    const en = await h.call('GET', '/?lang=en', { headers: { 'accept-language': 'zh-CN' } });
    assert.match(String(en.body), /<html lang="en">/);
    assert.equal((await h.call('GET', '/?lang=fr')).status, 400);
  });

  test('links the console configured elsewhere instead of its own', async () => {
    const app = await buildServer(h.ctx, { consoleUrl: 'https://console.registry.test/' });
    try {
      const res = await app.inject({ method: 'GET', url: '/' });
      assert.match(res.body, /<a href="https:\/\/console\.registry\.test\/">Registry console<\/a>/);
    } finally {
      await app.close();
    }
  });

  test('the lookup box leads to the robot’s public page', async () => {
    const m = await manufacturerWithModel(h);
    const issued = await h.call('POST', '/v1/ids', { key: m.key, body: { model: m.model.code, count: 1 } });
    const id = issued.body.ids[0] as string;
    const res = await h.call('GET', `/r?id=${encodeURIComponent(` ${id}\n`)}&lang=zh`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/r/${id}?lang=zh`);
    const robot = await h.call('GET', String(res.headers.location), { headers: { accept: 'text/html' } });
    assert.equal(robot.status, 200);
    assert.equal((await h.call('GET', '/r?id=%20')).headers.location, '/');
    assert.equal((await h.call('GET', '/r')).status, 400);
  });
});

test('Accept-Language: the most preferred range decides, Chinese for any zh, English otherwise', () => {
  const cases: [string | undefined, 'en' | 'zh'][] = [
    [undefined, 'en'],
    ['', 'en'],
    ['zh', 'zh'],
    ['ZH-cn', 'zh'],
    ['zh-TW,en;q=0.5', 'zh'],
    ['en-US,zh;q=0.9', 'en'],
    ['fr;q=0.9, zh;q=0.5', 'en'],
    ['zh;q=0, de', 'en'],
    ['de;q=0.2, zh-Hans;q=0.8', 'zh'],
    ['zhx', 'en'],
  ];
  for (const [header, expected] of cases) assert.equal(languageFromAcceptLanguage(header), expected, header);
});
