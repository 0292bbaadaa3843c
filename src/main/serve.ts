import { defaultLogOrigin, loadConfig, type Config, type ConfigOverrides } from './config.js';
import { buildServer } from '../edges/http/server.js';
import { signCheckpoint, startCheckpointing } from '../app/log/checkpoints.js';
import { startNotifications } from '../app/notifications/background.js';
import { makeLogger } from './logging.js';
import { openContext } from './runtime.js';
import { setRecallWorkHooks, startRecallWorker } from '../app/recalls/work.js';
import { startComplianceChecking } from '../app/compliance/check.js';
import { startEpcisCaptureWorker } from '../app/epcis/capture.js';
import { openNoticeStream } from '../edges/nats/notice-stream.js';

/** Starts the registry and stops it cleanly on SIGINT/SIGTERM (in-flight requests finish, the store closes). */
export async function serve(overrides: ConfigOverrides = {}) {
  const config = loadConfig(overrides);
  const ctx = await openContext(config, { startThreads: true, starts: true });
  const app = await buildServer(ctx, {
    docsUi: true,
    loggerInstance: makeLogger({
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    }),
    consoleUrl: config.consoleUrl,
    trustProxy: config.trustProxy,
    limits: {
      inFlightBytesPerCaller: config.inFlightBytesPerCaller,
      inFlightBytesTotal: config.inFlightBytesTotal,
      bodyTimeoutMs: config.bodyTimeoutMs,
    },
  });
  try {
    await app.listen({ host: config.host, port: config.port });
    // A checkpoint now (so there is one to fetch; one already covering the log is kept), then every few seconds
    // while the log grows, by whichever process on the database leads the signing.
    await signCheckpoint(ctx);
  } catch (error) {
    // A busy port, a log this key must not sign: let go of the database too, so that the process exits with why.
    await app.close();
    await ctx.close();
    throw error;
  }
  const stopSigning = startCheckpointing(ctx, config.checkpointIntervalMs, {
    failed: (error) => app.log.error({ err: error }, 'could not sign a checkpoint'),
    leadershipChanged: (leading) =>
      app.log.info(
        { checkpointSigner: leading },
        leading
          ? 'this process now signs the periodic checkpoints'
          : 'another process signs the periodic checkpoints',
      ),
    signed: (checkpoint) =>
      app.log.info({ checkpointSigner: true, treeSize: checkpoint.size }, 'signed a checkpoint'),
  });
  setRecallWorkHooks({
    failed: (number, error) => app.log.error({ err: error, recall: number }, 'recall campaign work failed'),
  });
  const stopRecallWork = startRecallWorker(ctx, config.recallWorkIntervalMs, (error) =>
    app.log.error({ err: error }, 'could not resume recall campaign work'),
  );
  // EPCIS capture jobs too large to take before the answer, and those a stopped process left (docs/epcis.md).
  const stopEpcisCapture = startEpcisCaptureWorker(ctx, EPCIS_CAPTURE_INTERVAL_MS, (error) =>
    app.log.error({ err: error }, 'EPCIS capture job failed'),
  );
  // Webhooks always; the NATS stream when configured. Attempts in flight finish before the store closes.
  const stopNotifying = startNotifications(
    ctx,
    { intervalMs: config.notifyIntervalMs, ...natsStream(config) },
    { failed: (error, what) => app.log.error({ err: error }, `notifications: ${what} failed`) },
  );
  // The compliance rules, every interval, by whichever process leads the checking (docs/compliance.md).
  const stopChecking = startComplianceChecking(ctx, config.complianceIntervalMs, {
    failed: (error) => app.log.error({ err: error }, 'could not check compliance'),
    leadershipChanged: (leading) =>
      app.log.info(
        { complianceChecker: leading },
        leading ? 'this process now checks compliance' : 'another process checks compliance',
      ),
    ran: (run) => app.log.info({ complianceChecker: true, ...run }, 'checked compliance'),
  });
  announce(app.log, config, ctx.log);
  let stopping = false;
  const stop = async (signal: string) => {
    // A Ctrl-C reaches a cluster worker twice: from the terminal and from its primary.
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    stopSigning();
    stopRecallWork();
    stopChecking();
    await app.close();
    await stopEpcisCapture();
    await stopNotifying();
    await ctx.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return app;
}

/** How often the process leading 'epcis-capture' looks for queued capture jobs other processes accepted. */
const EPCIS_CAPTURE_INTERVAL_MS = 2_000;

/** Says where phones and verifiers reach the registry, and warns when the log is not named after it. */
function announce(
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void },
  config: Config,
  { origin, verifierKey }: { origin: string; verifierKey: string },
) {
  const publicUrl = config.publicBaseUrl;
  const facts = { dataDir: config.dataDir, publicUrl, logOrigin: origin, logKey: verifierKey };
  log.info(facts, `robotid registry ready at ${publicUrl} (log ${origin}); API docs at ${publicUrl}/docs`);
  if (origin !== defaultLogOrigin(config))
    log.warn(
      { logOrigin: origin, publicUrl },
      `the log is named ${origin} (ROBOTID_LOG_ORIGIN), not after the public URL (${defaultLogOrigin(config)}): ` +
        'tlog-tiles clients that find a log by its URL need to be told the URL; docs/operations.md, "Moving a registry"',
    );
}

/** The notice stream's opener when ROBOTID_NATS_URL names a NATS server (docs/notifications.md). */
function natsStream(config: Config) {
  const url = config.natsUrl;
  if (url === undefined) return {};
  const options = { url, stream: config.natsStream, subjectPrefix: config.natsSubjectPrefix };
  return { openStream: () => openNoticeStream(options) };
}
