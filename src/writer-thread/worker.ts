/**
 * The writer thread: owns a writer connection to the embedded database and runs the store part of captures
 * (state machine, SQL), so that the HTTP thread keeps parsing, validating and hashing the next batch meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { applyCaptureGroup } from '../app/capture/index.js';
import type { AppContext } from '../app/context.js';
import { logSettings } from '../app/log/settings.js';
import { SqliteStore } from '../store/sqlite/index.js';
import type { CaptureReply, GroupReply, GroupRequest, WriterSetup } from './protocol.js';

const setup = workerData as WriterSetup;
// This thread runs only captures, which never nest units of work: no need to track async context for the check.
// It is the one writer under bulk load: its checkpoints run beside it, and its cache holds a batch's pages.
const store = SqliteStore.open(setup.file, {
  nestingGuard: false,
  backgroundCheckpoints: true,
  cacheMb: 64,
  withoutLog: setup.withoutLog,
});
const ctx: AppContext = {
  store,
  now: () => new Date(),
  publicBaseUrl: setup.publicBaseUrl,
  operatorCountry: setup.operatorCountry,
  deadlines: setup.deadlines,
  log: logSettings(setup.logKey, setup.witnesses),
  close: () => store.close(),
};

async function handle({ id, group }: GroupRequest): Promise<GroupReply> {
  try {
    const outcomes = await applyCaptureGroup(ctx, group);
    const replies = outcomes.map((o): CaptureReply => {
      if (o.ok) return { ok: true, result: o.result };
      const { kind, code, message, fields, extensions } = o.error;
      return { ok: false, domainError: { kind, code, message, fields, extensions } };
    });
    return { id, replies };
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    return { id, crash: { message, stack } };
  }
}

parentPort!.on('message', (message: GroupRequest | 'close') => {
  if (message === 'close') {
    void store.close().then(() => process.exit(0));
    return;
  }
  void handle(message).then((reply) => parentPort!.postMessage(reply));
});
