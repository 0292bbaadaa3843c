import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../src/app/context.js';
import { getPublicRobot, type RobotView } from '../../../src/app/robots.js';
import { runDemo } from '../../../src/demo/run.js';
import type { LifecycleState } from '../../../src/domain/lifecycle/status.js';
import { buildServer } from '../../../src/edges/http/server.js';
import { loadConfig } from '../../../src/main/config.js';
import { openContext } from '../../../src/main/runtime.js';

/** The demo's data (Chinese manufacturers and models); this seed and size leave a robot in every barred state. */
const DEMO = { robots: 400, seed: 20261125, now: new Date('2026-11-25T00:00:00Z') };

describe('the scan page (what a phone shows after scanning a nameplate)', () => {
  let dataDir: string;
  let ctx: AppContext;
  let app: FastifyInstance;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'robotid-scan-'));
    ctx = await openContext(loadConfig({ dataDir, publicBaseUrl: 'https://registry.test' }, {}));
    await runDemo(ctx, DEMO);
    app = await buildServer(ctx);
  });
  after(async () => {
    await app?.close();
    await ctx?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Robots in a state, as the public sees them; `pick` chooses among them. */
  async function robotsIn(state: LifecycleState): Promise<RobotView[]> {
    const page = await ctx.store.read((r) => r.findRobots({ state }, { after: '', limit: 50 }));
    return Promise.all(page.items.map((item) => getPublicRobot(ctx, item.id)));
  }

  async function scan(robot: RobotView, headers: Record<string, string> = {}, query = '') {
    const res = await app.inject({
      method: 'GET',
      url: `/r/${robot.printed}${query}`,
      headers: { accept: 'text/html,application/xhtml+xml', ...headers },
    });
    assert.equal(res.statusCode, 200);
    return res;
  }

  /** The alerts at the top of the page, as text. */
  const alerts = (html: string) =>
    [...html.matchAll(/<p class="stop" role="alert">([^<]*)<\/p>/g)].map((m) => m[1]);
  const field = (html: string, name: string) =>
    new RegExp(`<dt>${name}</dt><dd( class="(\\w+)")?>([^<]*)</dd>`).exec(html);

  test('a stolen robot is flagged as an alert, like a stop-use order, and its certification is not valid', async () => {
    const [stolen] = await robotsIn('stolen');
    assert.ok(stolen, 'the demo has a stolen robot');
    const html = (await scan(stolen)).body;
    assert.deepEqual(
      alerts(html).map((a) => a!.slice(0, 14)),
      ['REPORTED STOLE'],
    );
    assert.equal(field(html, 'State')?.[2], 'bad');
    assert.equal(field(html, 'State')?.[3], 'reported stolen');
    assert.equal(field(html, 'Certification')?.[2], 'bad');
    assert.doesNotMatch(field(html, 'Certification')?.[3] ?? '', /^valid/);
  });

  test('a recycled or scrapped robot with an unexpired certificate is not shown as validly certified', async () => {
    for (const [state, flag] of [
      ['recycled', 'RECYCLED'],
      ['decommissioned', 'SCRAPPED'],
    ] as const) {
      const robots = await robotsIn(state);
      const certified = robots.find((r) => r.certification.status === 'valid');
      assert.ok(certified, `the demo has a ${state} robot whose certificate has not expired`);
      const html = (await scan(certified)).body;
      assert.equal(alerts(html).length, 1);
      assert.match(alerts(html)[0]!, new RegExp(`^${flag} — `));
      const cert = field(html, 'Certification');
      assert.equal(cert?.[2], 'bad');
      assert.match(cert?.[3] ?? '', /^not in force: this robot may not be operated/);
    }
  });

  test('a robot in use shows its valid certification in green and no alert', async () => {
    const robot = (await robotsIn('in_use')).find((r) => r.certification.status === 'valid' && !r.stopUse);
    assert.ok(robot);
    const html = (await scan(robot)).body;
    assert.deepEqual(
      alerts(html).filter((a) => !a!.startsWith('RECALL')),
      [],
    );
    assert.equal(field(html, 'Certification')?.[2], 'ok');
    assert.match(field(html, 'Certification')?.[3] ?? '', /^valid \(/);
  });

  test('speaks Chinese to a Chinese phone, English to others, and offers the switch', async () => {
    const [stolen] = await robotsIn('stolen');
    assert.ok(stolen);
    const zh = await scan(stolen, { 'accept-language': 'zh-CN,zh;q=0.9' });
    assert.match(String(zh.headers.vary), /Accept-Language/);
    assert.match(String(zh.headers.vary), /\bAccept\b/);
    assert.match(zh.body, /^<!doctype html><html lang="zh-CN">/);
    assert.match(zh.body, /<h1>已登记机器人<\/h1>/);
    assert.match(alerts(zh.body)[0]!, /^已报被盗 — /);
    assert.match(zh.body, /<dt>状态<\/dt><dd class="bad">已报被盗<\/dd>/);
    assert.ok(zh.body.includes(stolen.manufacturer.name), 'the manufacturer’s (Chinese) name');
    assert.match(zh.body, /<a href="\?lang=en" hreflang="en" lang="en">English<\/a>/);
    const en = await scan(stolen, { 'accept-language': 'en-GB,en;q=0.9' });
    assert.match(en.body, /^<!doctype html><html lang="en">/);
    assert.match(en.body, /<a href="\?lang=zh" hreflang="zh-CN" lang="zh-CN">中文<\/a>/);
    const switched = await scan(stolen, { 'accept-language': 'en-GB' }, '?lang=zh');
    assert.match(switched.body, /<html lang="zh-CN">/);
    const missing = await app.inject({
      method: 'GET',
      url: `/r/${stolen.printed.slice(0, 12)}R0000000099999999`,
      headers: { accept: 'text/html', 'accept-language': 'zh' },
    });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /<h1>未登记的机器人<\/h1>/);
  });

  test('API clients still get JSON, and the answer varies on Accept', async () => {
    const [stolen] = await robotsIn('stolen');
    const res = await app.inject({
      method: 'GET',
      url: `/r/${stolen!.printed}`,
      headers: { accept: 'application/json' },
    });
    assert.equal(res.json().state, 'stolen');
    assert.match(String(res.headers.vary), /\bAccept\b/);
  });
});
