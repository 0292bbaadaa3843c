/**
 * `robotid serve --workers N`: a node:cluster primary that runs N server processes sharing one port. The primary
 * serves nothing itself; it prepares what the workers share, keeps N of them running, and stops them together.
 */
import cluster, { type Worker } from 'node:cluster';
import { pino, type Logger } from 'pino';
import { signCheckpoint } from '../app/log/checkpoints.js';
import { loadConfig, type ConfigOverrides } from './config.js';
import { openContext } from './runtime.js';

/** A worker that dies sooner than this after it started counts as failing fast: the next restart waits longer. */
const QUICK_DEATH_MS = 10_000;
const FIRST_RESTART_DELAY_MS = 250;
const MAX_RESTART_DELAY_MS = 30_000;
/** How long workers get to finish their requests on SIGTERM before they are killed. */
const STOP_GRACE_MS = 10_000;

/**
 * Creates or loads the log signing key, applies the migrations and signs a first checkpoint, once, before any
 * worker starts: workers starting together would otherwise race to create the key file (two keys, one log).
 */
async function prepareShared(overrides: ConfigOverrides): Promise<void> {
  const ctx = await openContext(loadConfig(overrides), { starts: true });
  try {
    await signCheckpoint(ctx);
  } finally {
    await ctx.close();
  }
}

/** Delay before restarting a worker: doubles with each consecutive fast death, so a crash loop does not spin. */
export const restartDelay = (fastDeaths: number) =>
  Math.min(FIRST_RESTART_DELAY_MS * 2 ** fastDeaths, MAX_RESTART_DELAY_MS);

class Supervisor {
  private stopping = false;
  /** Whether any worker ever listened: if none did, a dead worker is a start-up failure, not a crash. */
  private serving = false;
  private fastDeaths = 0;
  private readonly startedAt = new Map<number, number>();

  constructor(
    private readonly count: number,
    private readonly log: Logger,
  ) {}

  start() {
    cluster.on('exit', (worker, code, signal) => this.exited(worker, code, signal));
    for (let i = 0; i < this.count; i++) this.fork();
    process.on('SIGINT', () => void this.stop('SIGINT', 0));
    process.on('SIGTERM', () => void this.stop('SIGTERM', 0));
  }

  private fork() {
    const worker = cluster.fork();
    this.startedAt.set(worker.id, Date.now());
    worker.once('listening', (address) => {
      this.serving = true;
      this.log.info({ worker: worker.process.pid, port: address.port }, 'worker listening');
    });
  }

  private exited(worker: Worker, code: number | null, signal: string | null) {
    const lived = Date.now() - (this.startedAt.get(worker.id) ?? 0);
    this.startedAt.delete(worker.id);
    if (this.stopping) return;
    const pid = worker.process.pid;
    if (!this.serving) {
      // A bad setting or a busy port fails every worker alike: report it once and stop, as `serve` alone would.
      this.log.error({ worker: pid, code, signal }, 'a worker failed to start; stopping');
      void this.stop('worker start-up failure', code || 1);
      return;
    }
    this.fastDeaths = lived < QUICK_DEATH_MS ? this.fastDeaths + 1 : 0;
    const delay = restartDelay(this.fastDeaths);
    this.log.error({ worker: pid, code, signal, restartInMs: delay }, 'worker died unexpectedly; restarting');
    setTimeout(() => {
      if (!this.stopping) this.fork();
    }, delay);
  }

  /** SIGTERM to every worker (each finishes its requests and closes its store), then exit. */
  private async stop(reason: string, exitCode: number) {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info({ reason }, 'stopping the workers');
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    const exits = workers.map((w) =>
      w.isDead() ? Promise.resolve() : new Promise<void>((resolve) => w.once('exit', () => resolve())),
    );
    for (const w of workers) if (!w.isDead()) w.process.kill('SIGTERM');
    const late = setTimeout(() => {
      this.log.warn('workers did not stop in time; killing them');
      for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
    }, STOP_GRACE_MS);
    await Promise.all(exits);
    clearTimeout(late);
    this.log.info('all workers stopped');
    process.exit(exitCode);
  }
}

/** Runs the registry as `workers` processes sharing the configured port (the cluster's primary side). */
export async function serveCluster(overrides: ConfigOverrides, workers: number): Promise<void> {
  const config = loadConfig(overrides);
  const log = pino({ level: config.logLevel }).child({ role: 'primary' });
  await prepareShared(overrides);
  log.info({ workers, port: config.port }, 'starting the workers');
  new Supervisor(workers, log).start();
}
