/** The checkpoint thread: its own connection, copying the WAL into the database whenever the writer asks. */
import { parentPort, workerData } from 'node:worker_threads';
import { Connection } from './connection.js';
import { CHECKPOINT_IDLE } from './checkpointer.js';

const { file, state } = workerData as { file: string; state: Int32Array };
const connection = Connection.open(file, { checkpointOnly: true });

parentPort!.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    connection.db.close();
    process.exit(0);
  }
  // PASSIVE: copies what it can without waiting for, or blocking, the writer and the readers.
  try {
    connection.db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // The database file could not grow (a full disk) or be written: the pages stay in the WAL, where every commit
    // is already durable, and the next checkpoint copies them. Thrown on, it would end this thread and its writer.
  } finally {
    // Said in shared memory first: a writer busy with one batch after another may not read its messages for long.
    Atomics.store(state, 0, CHECKPOINT_IDLE);
    parentPort!.postMessage('done');
  }
});
