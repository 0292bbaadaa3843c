import type { QueriesOf } from '../sql/queries.js';
import type { CaptureJobReader, CaptureJobRecord, CaptureJobWriter } from './interface.js';

interface CaptureJobRow {
  id: string;
  seq: number | string;
  org_id: string;
  key_id: string;
  mode: CaptureJobRecord['mode'];
  state: CaptureJobRecord['state'];
  event_count: number | string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  result: string | null;
}

const toJob = (row: CaptureJobRow): CaptureJobRecord => ({
  id: row.id,
  seq: Number(row.seq),
  orgId: row.org_id,
  keyId: row.key_id,
  mode: row.mode,
  state: row.state,
  eventCount: Number(row.event_count),
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  result: row.result,
});

/** Every column but the document (it may be tens of megabytes, and a client polls its job). */
const SUMMARY =
  'id, seq, org_id, key_id, mode, state, event_count, created_at, started_at, finished_at, result';

export const reads: QueriesOf<CaptureJobReader> = {
  async getCaptureJob(db, id) {
    const row = await db.get<CaptureJobRow>(`SELECT ${SUMMARY} FROM epcis_capture_jobs WHERE id = ?`, [id]);
    return row && toJob(row);
  },
  async captureJobDocument(db, id) {
    const row = await db.get<{ document: string | null }>(
      'SELECT document FROM epcis_capture_jobs WHERE id = ?',
      [id],
    );
    return row?.document ?? null;
  },
  listCaptureJobs: async (db, orgId, limit) =>
    (
      await db.all<CaptureJobRow>(
        `SELECT ${SUMMARY} FROM epcis_capture_jobs WHERE org_id = ? ORDER BY seq DESC LIMIT ?`,
        [orgId, limit],
      )
    ).map(toJob),
  captureJobsIn: async (db, state, limit) =>
    (
      await db.all<CaptureJobRow>(
        `SELECT ${SUMMARY} FROM epcis_capture_jobs WHERE state = ? ORDER BY seq LIMIT ?`,
        [state, limit],
      )
    ).map(toJob),
};

export const writes: QueriesOf<CaptureJobWriter> = {
  // Every unit of work holds the writers' lock, so seqs follow commit order (as notices' ids do).
  async insertCaptureJob(db, job) {
    await db.run(
      `INSERT INTO epcis_capture_jobs
         (id, seq, org_id, key_id, mode, state, event_count, created_at, document)
       VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM epcis_capture_jobs), ?, ?, ?, 'queued', ?, ?, ?)`,
      [job.id, job.orgId, job.keyId, job.mode, job.eventCount, job.createdAt, job.document],
    );
  },
  async claimCaptureJob(db, id, startedAt) {
    const { changes } = await db.run(
      "UPDATE epcis_capture_jobs SET state = 'running', started_at = ? WHERE id = ? AND state = 'queued'",
      [startedAt, id],
    );
    return changes > 0;
  },
  async finishCaptureJob(db, id, finishedAt, result) {
    await db.run(
      "UPDATE epcis_capture_jobs SET state = 'done', finished_at = ?, result = ?, document = NULL WHERE id = ?",
      [finishedAt, result, id],
    );
  },
  async requeueCaptureJob(db, id) {
    await db.run(
      "UPDATE epcis_capture_jobs SET state = 'queued', started_at = NULL WHERE id = ? AND state = 'running'",
      [id],
    );
  },
  requeueRunningCaptureJobs: async (db) =>
    (
      await db.run(
        "UPDATE epcis_capture_jobs SET state = 'queued', started_at = NULL WHERE state = 'running'",
      )
    ).changes,
};
