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

/** One line on a terminal, redrawn in place at most ten times a second (unless forced). */
class TerminalLine {
  private lastRender = 0;
  private drawn = false;
  protected readonly started = Date.now();

  protected constructor(private readonly stream: NodeJS.WriteStream) {}

  protected draw(render: (seconds: number, width: number) => string, force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastRender < RENDER_INTERVAL_MS) return;
    this.lastRender = now;
    const width = Math.max(40, this.stream.columns || 80);
    this.stream.write(`\r${render((now - this.started) / 1000, width)}\x1b[K`);
    this.drawn = true;
  }

  /** Removes the line, so that what is printed next starts on a clean line. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** `[####------]  40%  <tail>`: the numbers first, the bar in what room is left (none on a narrow terminal). */
function barLine(fraction: number, tail: string, width: number): string {
  const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const room = width - 1 - tail.length - percent.length - 5;
  if (room < 10) return `${percent}  ${tail}`.slice(0, width - 1);
  const barWidth = room >= 30 ? 30 : 10;
  const filled = Math.round(fraction * barWidth);
  return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${percent}  ${tail}`;
}

export class ProgressBar extends TerminalLine {
  private constructor(
    stream: NodeJS.WriteStream,
    /** The input's size in bytes, when known: the total number of lines is estimated from it. */
    private readonly totalBytes: number | null,
  ) {
    super(stream);
  }

  /** A bar on stderr, or null when stderr is not a terminal (a log file gets the summary only). */
  static onStderr(totalBytes: number | null): ProgressBar | null {
    return process.stderr.isTTY === true ? new ProgressBar(process.stderr, totalBytes) : null;
  }

  update(state: ProgressState, force = false): void {
    this.draw((seconds, width) => this.render(state, seconds, width), force);
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
    return barLine(fraction, tail, width);
  }
}

/** Events done out of a known total, and what is under way (an EPCIS capture's jobs), with the time taken. */
export class CountBar extends TerminalLine {
  private constructor(
    stream: NodeJS.WriteStream,
    private readonly total: number,
  ) {
    super(stream);
  }

  /** A bar on stderr, or null when stderr is not a terminal. */
  static onStderr(total: number): CountBar | null {
    return process.stderr.isTTY === true ? new CountBar(process.stderr, total) : null;
  }

  update(done: number, note: string, force = false): void {
    this.draw((seconds, width) => countLine(done, this.total, note, seconds, width), force);
  }
}

/** `[###-------]  33%  1,000 / 3,000 events  <note>  1.5 s`, within `width` columns. */
export function countLine(done: number, total: number, note: string, seconds: number, width: number): string {
  const tail = `${formatCount(done)} / ${formatCount(total)} events  ${note}  ${formatDuration(seconds)}`;
  return barLine(total > 0 ? Math.min(1, done / total) : 1, tail, width);
}
