/**
 * A page as a person's browser gets it: real Chromium (test/support/browser.ts), a cold cache each run. Measures
 * the time from navigation start to interactive (the page's own ready marker: a performance mark it sets, or an
 * element it shows once usable) and the JavaScript it loads (bytes on the wire, and gzip-compressed at level 6 as
 * a server would send it, so the figure does not depend on whether this server compresses).
 */
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** The value at `p` percent of ascending `sorted` (nearest rank). */
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * When the page counts as interactive: a `performance.mark(name)` it sets, the first element matching a selector,
 * or a text shown (say the robot's ID, once its data arrived).
 */
export type ReadyMarker = { mark: string } | { selector: string } | { text: string };

export interface PageFigures {
  url: string;
  runs: number;
  /** Navigation start to the ready marker, over the runs (ms). */
  interactiveMs: { median: number; p95: number; max: number };
  /** The scripts loaded before the ready marker (first run): count, bytes on the wire, and gzip at level 6. */
  scripts: number;
  jsTransferredBytes: number;
  jsGzipBytes: number;
  jsBytes: number;
}

/** The page's globals this bench reads (the bench is type-checked without the DOM's types). */
interface PageGlobals {
  document: { querySelector(selector: string): unknown; body: { innerText: string } | null };
}

/**
 * Waits in the page for `ready`; answers its time since navigation start (the page's performance clock), checked
 * every frame: when the marker is found, that frame's time is when it appeared. A function, not a string to
 * evaluate: the console's Content-Security-Policy allows no eval.
 */
async function readyAt(page: Page, ready: ReadyMarker, timeout: number): Promise<number> {
  const handle = await page.waitForFunction(
    (marker: ReadyMarker) => {
      const { document } = globalThis as unknown as PageGlobals;
      if ('mark' in marker) return performance.getEntriesByName(marker.mark, 'mark')[0]?.startTime;
      const found =
        'selector' in marker
          ? document.querySelector(marker.selector) !== null
          : (document.body?.innerText.includes(marker.text) ?? false);
      return found ? performance.now() : undefined;
    },
    ready,
    { timeout, polling: 'raf' },
  );
  return (await handle.jsonValue()) as number;
}

/**
 * Opens `url` `runs` times, each in a new context (cold cache); `prepare` readies each context first (say a
 * session cookie). Fails if the page does not become ready within `timeoutMs`.
 */
export async function measurePage(
  browser: Browser,
  url: string,
  options: {
    ready: ReadyMarker;
    runs?: number;
    timeoutMs?: number;
    prepare?: (context: BrowserContext) => Promise<void>;
  },
): Promise<PageFigures> {
  const runs = options.runs ?? 5;
  const timeout = options.timeoutMs ?? 30_000;
  const times: number[] = [];
  let js = { scripts: 0, jsTransferredBytes: 0, jsGzipBytes: 0, jsBytes: 0 };
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      await options.prepare?.(context);
      const page = await context.newPage();
      const scripts: Promise<{ wire: number; body: Buffer }>[] = [];
      if (run === 0) {
        page.on('response', (response) => {
          if (response.request().resourceType() !== 'script') return;
          scripts.push(
            Promise.all([response.body(), response.request().sizes()]).then(([body, sizes]) => ({
              body,
              wire: sizes.responseBodySize,
            })),
          );
        });
      }
      await page.goto(url, { waitUntil: 'commit', timeout });
      times.push(await readyAt(page, options.ready, timeout));
      if (run === 0) {
        const loaded = await Promise.all(scripts);
        js = {
          scripts: loaded.length,
          jsTransferredBytes: loaded.reduce((sum, s) => sum + s.wire, 0),
          jsGzipBytes: loaded.reduce((sum, s) => sum + gzipSync(s.body, { level: 6 }).length, 0),
          jsBytes: loaded.reduce((sum, s) => sum + s.body.length, 0),
        };
      }
    } finally {
      await context.close();
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    url,
    runs,
    interactiveMs: {
      median: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      max: round(sorted[sorted.length - 1]!),
    },
    ...js,
  };
}

/** One line for the bench's output. */
export const describePage = (name: string, f: PageFigures) =>
  `${name}: interactive in ${f.interactiveMs.median} ms median (p95 ${f.interactiveMs.p95}, max ${f.interactiveMs.max}; ${f.runs} cold runs); ` +
  `JS ${f.scripts} file(s), ${(f.jsGzipBytes / 1024).toFixed(1)} kB gzip (${(f.jsTransferredBytes / 1024).toFixed(1)} kB on the wire, ${(f.jsBytes / 1024).toFixed(1)} kB raw)`;
