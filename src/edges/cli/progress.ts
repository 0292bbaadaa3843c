/** A one-line progress bar on a terminal (stderr): redrawn in place, at most ten times a second. */

const RENDER_INTERVAL_MS = 100;

export const formatCount = (n: number) => Math.round(n).toLocaleString('en-US');

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(s % 60).padStart(2, '0')} s`;
}

export interface ProgressState {
  /** Lines of the input done (answered by the registry or rejected before sending). */
  lines: number;
  /** Bytes of the input those lines took. */
  bytes: number;
  /** Events sent and answered so far. */
  events: number;
}

export class ProgressBar {
  private lastRender = 0;
  private drawn = false;
  private readonly started = Date.now();

  private constructor(
    private readonly stream: NodeJS.WriteStream,
    /** The input's size in bytes, when known: the total number of lines is estimated from it. */
    private readonly totalBytes: number | null,
  ) {}

  /** A bar on stderr, or null when stderr is not a terminal (a log file gets the summary only). */
  static onStderr(totalBytes: number | null): ProgressBar | null {
    return process.stderr.isTTY === true ? new ProgressBar(process.stderr, totalBytes) : null;
  }

  update(state: ProgressState, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastRender < RENDER_INTERVAL_MS) return;
    this.lastRender = now;
    const width = Math.max(40, this.stream.columns || 80);
    const text = this.render(state, (now - this.started) / 1000, width);
    this.stream.write(`\r${text}\x1b[K`);
    this.drawn = true;
  }

  /** Removes the bar, so that what is printed next starts on a clean line. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  private render(state: ProgressState, seconds: number, width: number): string {
    const rate = seconds > 0 ? state.events / seconds : 0;
    const fraction =
      this.totalBytes !== null && this.totalBytes > 0 ? Math.min(1, state.bytes / this.totalBytes) : null;
    const estimate =
      fraction !== null && state.bytes > 0 && fraction < 1
        ? ` / ~${formatCount((state.lines * this.totalBytes!) / state.bytes)}`
        : '';
    const eta =
      fraction !== null && fraction > 0 && fraction < 1
        ? `  ETA ${formatDuration((seconds / fraction) * (1 - fraction))}`
        : '';
    const tail = `${formatCount(state.lines)}${estimate} lines  ${formatCount(rate)} events/s${eta}`;
    if (fraction === null) return tail.slice(0, width - 1);
    const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
    // The numbers first: the bar takes what room is left, and is left out on a narrow terminal.
    const room = width - 1 - tail.length - percent.length - 5;
    if (room < 10) return `${percent}  ${tail}`.slice(0, width - 1);
    const barWidth = room >= 30 ? 30 : 10;
    const filled = Math.round(fraction * barWidth);
    return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${percent}  ${tail}`;
  }
}
