/**
 * Real Chromium for end-to-end tests (Debian's /usr/bin/chromium driven by playwright-core). The browser is a child
 * of the test file registered with the reaper, so it is ended however the file ends; pages fail the test on a page
 * error or a console error (a CSP violation, a failed load, an uncaught exception), and every timeout is bounded
 * so that no test waits forever.
 */
import { after, before } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { atExit, reaped } from './reaper.js';

export const CHROMIUM = '/usr/bin/chromium';

/** What a test waits for at most, for any one browser action or navigation. */
const ACTION_TIMEOUT_MS = 15_000;

const screenshotDir = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * One Chromium for a test file's tests: launched before them and closed after them, on every path. Call at the top
 * of the file; the function it returns gives the browser inside the tests.
 */
export function browserForFile(): () => LaunchedBrowser {
  let launched: LaunchedBrowser | undefined;
  before(async () => {
    launched = await launchBrowser();
  });
  after(async () => {
    await launched?.close();
  });
  return () => {
    if (!launched) throw new Error('the browser of this file is launched in before()');
    return launched;
  };
}

/**
 * Starts headless Chromium with nothing that calls home (updates, sync, background fetches). `args` adds to the
 * defaults (say fakeCameraArgs). Closed by `close()`, or killed with its process group when the test file ends.
 */
export async function launchBrowser(options: { args?: string[] } = {}): Promise<LaunchedBrowser> {
  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
    // The reaper ends the browser on a signal; Playwright's own handlers would race it.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 60_000,
  });
  const child = reaped(server.process());
  // Playwright starts Chromium in a process group of its own: kill the whole group (renderers, zygote) too.
  const pid = child.pid;
  const unregister = atExit(() => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone already
    }
  });
  let browser: Browser;
  try {
    browser = await chromium.connect(server.wsEndpoint(), { timeout: 30_000 });
  } catch (error) {
    await server.kill();
    unregister();
    throw error;
  }
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await server.close().catch(() => server.kill());
      unregister();
    },
  };
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Every page error and console error so far, as text. */
  errors: string[];
  /** Fails with the page's errors, if it had any since it opened (or since the last `clearErrors`). */
  assertNoErrors(): void;
  clearErrors(): void;
  close(): Promise<void>;
}

/**
 * Opens `url` in a fresh context (no cookies shared with other pages) and waits for it to load; fails if the page
 * threw or logged a console error meanwhile. `allowConsole` lists console errors that are expected (say a 401 the
 * page asks for on purpose), matched against "<text> (<url>)". Call `assertNoErrors()` again after acting on the page.
 */
export async function openPage(
  browser: Browser,
  url: string,
  options: {
    context?: BrowserContextOptions;
    allowConsole?: RegExp[];
    /** Readies the context before the page opens (say a session cookie, or an init script). */
    prepare?: (context: BrowserContext) => Promise<void>;
  } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options.context });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
  await options.prepare?.(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('crash', () => errors.push('the page crashed'));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    // Matched as reported: the text, then where it arose (a failed load's URL).
    const line = `${message.text()}${where ? ` (${where})` : ''}`;
    if (options.allowConsole?.some((allowed) => allowed.test(line))) return;
    errors.push(`console error: ${line}`);
  });
  const opened: OpenedPage = {
    page,
    context,
    errors,
    assertNoErrors() {
      if (errors.length > 0) {
        throw new Error(`${page.url()} reported ${errors.length} error(s):\n  ${errors.join('\n  ')}`);
      }
    },
    clearErrors() {
      errors.length = 0;
    },
    close: () => context.close(),
  };
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response && response.status() >= 400) errors.push(`HTTP ${response.status()} for ${url}`);
    opened.assertNoErrors();
  } catch (error) {
    await context.close();
    throw error;
  }
  return opened;
}

/** A full-page screenshot as test-artifacts/screenshots/<name>.png (CI keeps the folder); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  // Transitions finished first: a tab switch or a drawer caught half-way shows a state the page is never in.
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

/**
 * The axe-core violations of the page at impact serious or critical, one readable line each (empty: none).
 * `within`: CSS selectors of the parts to judge, instead of the whole page (axe takes seconds a thousand elements).
 */
export async function seriousViolations(page: Page, within: string[] = []): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  for (const selector of within) builder.include(selector);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const where = v.nodes
        .slice(0, 5)
        .map(
          (node) => `\n      at ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`,
        )
        .join('');
      const more = v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : '';
      return `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})${where}${more}`;
    });
}

/**
 * Fails when axe-core finds a serious or critical accessibility violation on the page (or in the parts `within`
 * selects: seriousViolations), listing them.
 */
export async function assertAccessible(page: Page, within: string[] = []): Promise<void> {
  const found = await seriousViolations(page, within);
  if (found.length > 0) {
    throw new Error(
      `${page.url()} has ${found.length} serious or critical accessibility violation(s):\n  ${found.join('\n  ')}`,
    );
  }
}

export interface VirtualAuthenticator {
  authenticatorId: string;
  /** The credentials it holds (CDP WebAuthn.getCredentials). */
  credentials(): Promise<
    { credentialId: string; isResidentCredential: boolean; rpId?: string; userHandle?: string }[]
  >;
}

/**
 * A platform authenticator (CTAP2, internal, resident keys, user verification that always succeeds) for the page's
 * browser context, through the DevTools protocol: passkey ceremonies then complete without a person.
 */
export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    authenticatorId,
    async credentials() {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      return credentials;
    },
  };
}

/**
 * Chromium's fake camera showing `png` (say a QR label the registry renders): the image centred with a white
 * margin, written as a Y4M file (4:2:0), and the flags that make getUserMedia deliver it without a permission
 * prompt. The file is removed when the test file ends.
 */
export function fakeCameraArgs(png: Buffer, options: { margin?: number } = {}): string[] {
  const image = PNG.sync.read(png);
  const margin = options.margin ?? 32;
  // 4:2:0 needs even sizes.
  const width = (image.width + 2 * margin + 1) & ~1;
  const height = (image.height + 2 * margin + 1) & ~1;
  const luma = Buffer.alloc(width * height, 235); // white in BT.601 studio range
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 4;
      const alpha = image.data[i + 3]! / 255;
      // Transparent pixels show the white margin's colour.
      const [r, g, b] = [0, 1, 2].map((c) => image.data[i + c]! * alpha + 255 * (1 - alpha)) as [
        number,
        number,
        number,
      ];
      luma[(y + margin) * width + x + margin] = Math.round(
        16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255,
      );
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128); // grey: the QR needs no colour
  const header = `YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`;
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const dir = mkdtempSync(join(tmpdir(), 'robotid-camera-'));
  const file = join(dir, 'camera.y4m');
  writeFileSync(file, Buffer.concat([Buffer.from(header), frame, frame]));
  atExit(() => rmSync(dir, { recursive: true, force: true }));
  return [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${file}`,
  ];
}

/** In the page (a string: the tests are type-checked without the DOM's types): one camera frame's RGBA pixels. */
const READ_CAMERA_FRAME = `(async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: true });
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = stream;
  await video.play();
  while (video.videoWidth === 0) await new Promise((r) => setTimeout(r, 20));
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  context.drawImage(video, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
  for (const track of stream.getTracks()) track.stop();
  return { width: pixels.width, height: pixels.height, data: Array.from(pixels.data) };
})()`;

/** One frame of the page's camera (getUserMedia, drawn on a canvas), as an RGBA image (say for decodeQr). */
export async function cameraFrame(page: Page): Promise<{ width: number; height: number; data: Buffer }> {
  const frame: { width: number; height: number; data: number[] } = await page.evaluate(READ_CAMERA_FRAME);
  return { width: frame.width, height: frame.height, data: Buffer.from(frame.data) };
}
