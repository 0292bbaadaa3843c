/** The checkpoint thread: its own connection, copying the WAL into the database whenever the writer asks. */
import { parentPort, workerData } from 'node:worker_threads';
import { Connection } from './connection.js';

const { file } = workerData as { file: string };
const connection = Connection.open(file, { checkpointOnly: true });

parentPort!.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    connection.db.close();
    process.exit(0);
  }
  // PASSIVE: copies what it can without waiting for, or blocking, the writer and the readers.
  connection.db.pragma('wal_checkpoint(PASSIVE)');
  parentPort!.postMessage('done');
});
