/**
 * The writer thread: owns a writer connection to the database and runs the store part of captures (state machine,
 * SQL), so that the HTTP thread keeps parsing, validating and hashing the next batch meanwhile.
 */
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { abandonCapture, applyCaptureGroup } from '../../app/capture/index.js';
import type { AppContext } from '../../app/context.js';
import { DomainError } from '../../domain/errors.js';
import { logSettings } from '../../app/log/settings.js';
import { PostgresStore } from '../../store/postgres/index.js';
import { SqliteStore } from '../../store/sqlite/index.js';
import type { Store } from '../../store/store.js';
import type {
  CaptureReply,
  GroupReply,
  GroupRequest,
  StreamMessage,
  WriterDatabase,
  WriterSetup,
} from './protocol.js';
import { DEFAULT_EXPORT_POLICY } from '../../domain/policy/export.js';
import { DEFAULT_COMPLIANCE_RULES } from '../../domain/safety/compliance.js';

function openStore(database: WriterDatabase): Store {
  // Captures only: a unit of work at a time, so two connections (the transaction's, and one for a read beside it).
  if (database.kind === 'postgres')
    return PostgresStore.open(database.url, { ...database.options, poolSize: 2 });
  // This thread runs only captures, which never nest units of work: no need to track async context for the check.
  // It is the one writer under bulk load: its checkpoints run beside it, and its cache holds a batch's pages.
  return SqliteStore.open(database.file, {
    nestingGuard: false,
    backgroundCheckpoints: true,
    cacheMb: 64,
    withoutLog: database.withoutLog,
    storage: database.storage,
  });
}

const setup = workerData as WriterSetup;
const store = openStore(setup.database);
const ctx: AppContext = {
  store,
  now: () => new Date(),
  publicBaseUrl: setup.publicBaseUrl,
  operatorCountry: setup.operatorCountry,
  deadlines: setup.deadlines,
  exportPolicy: DEFAULT_EXPORT_POLICY, // the writer thread reads nothing out
  compliance: DEFAULT_COMPLIANCE_RULES, // nor checks compliance
  log: logSettings(setup.logKey, setup.witnesses),
  // Captures write; they read nothing for anyone. A read recorded here would bypass the embedded store's writer
  // turn (this thread's connection writes only inside it), so it is a programming error, said loudly.
  readAudit: {
    record: () => {
      throw new Error('the writer thread records no reads: record them on the HTTP thread');
    },
    flush: async () => undefined,
  },
  close: () => store.close(),
};

const asData = ({ kind, code, message, fields, extensions }: DomainError): CaptureReply => ({
  ok: false,
  domainError: { kind, code, message, fields, extensions },
});

async function handle({ id, group }: GroupRequest): Promise<GroupReply> {
  try {
    const outcomes = await applyCaptureGroup(ctx, group);
    return { id, replies: outcomes.map((o) => (o.ok ? { ok: true, result: o.result } : asData(o.error))) };
  } catch (error) {
    // A fault of the whole group that the store could name (the database gone or busy: 503): each capture's answer.
    if (error instanceof DomainError) return { id, replies: group.map(() => asData(error)) };
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    return { id, crash: { message, stack } };
  }
}

/** The chunks of the streamed captures sent and not yet answered, by their GroupRequest's id, as they come. */
const streams = new Map<number, Readable>();

/** A streamed capture's chunks as they come, to be taken in its transaction as it reads them. */
function openStream(id: number): Readable {
  const chunks = new Readable({ objectMode: true, read: () => undefined });
  // Abandoned before its capture reads it (waiting for its turn, say): its reader meets the error when it reads,
  // rather than the thread as an uncaught one.
  chunks.on('error', () => undefined);
  streams.set(id, chunks);
  return chunks;
}

function follow(message: StreamMessage): void {
  const chunks = streams.get(message.stream);
  if (!chunks) return;
  if ('chunk' in message) chunks.push(message.chunk);
  else if ('end' in message) chunks.push(null);
  // Refused inside the capture's savepoint: undone and audited as any refused capture; the sender has the reason.
  else chunks.destroy(abandonCapture(message.abandon));
}

let done: Promise<void> = Promise.resolve();
parentPort!.on('message', (message: GroupRequest | StreamMessage | 'close') => {
  if (message === 'close') {
    void store.close().then(() => process.exit(0));
    return;
  }
  if ('stream' in message && typeof message.stream === 'number') return follow(message);
  const request = message as GroupRequest;
  if (request.stream) request.group[0]!.chunks = openStream(request.id);
  // One group at a time, in the order sent (a group waiting on PostgreSQL must not let the next overtake it).
  done = done
    .then(() => handle(request))
    .then((reply) => {
      streams.delete(request.id);
      parentPort!.postMessage(reply);
    });
});
