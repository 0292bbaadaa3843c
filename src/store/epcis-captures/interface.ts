/**
 * EPCIS capture jobs (the EPCIS 2.0 REST binding's `/capture/{captureID}`): each document accepted, kept until its
 * events are taken, then what became of them. Records, and this area's part of the store interface (composed in
 * ../store.ts).
 */

/** queued: accepted, waiting its turn; running: being taken; done: finished, `result` says how. */
export type CaptureJobState = 'queued' | 'running' | 'done';

export interface CaptureJobRecord {
  id: string;
  /** Order of acceptance: background jobs are taken in it. */
  seq: number;
  orgId: string;
  keyId: string;
  mode: 'rollback' | 'proceed';
  state: CaptureJobState;
  eventCount: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** What the job found (JSON), once done. */
  result: string | null;
}

export type NewCaptureJob = Pick<
  CaptureJobRecord,
  'id' | 'orgId' | 'keyId' | 'mode' | 'eventCount' | 'createdAt'
> & {
  /** The document as accepted, kept until the job is done (then the events are in the registry). */
  document: string;
};

/** Jobs are read without their documents (tens of megabytes, polled by clients); the runner reads its own. */
export interface CaptureJobReader {
  getCaptureJob(id: string): Promise<CaptureJobRecord | undefined>;
  /** The job's document as accepted: null once it is done (or when there is no such job). */
  captureJobDocument(id: string): Promise<string | null>;
  /** An organisation's jobs, newest first. */
  listCaptureJobs(orgId: string, limit: number): Promise<CaptureJobRecord[]>;
  /** Jobs in `state`, oldest first. */
  captureJobsIn(state: CaptureJobState, limit: number): Promise<CaptureJobRecord[]>;
}

export interface CaptureJobWriter {
  /** A new job, queued; its seq follows every job before it. */
  insertCaptureJob(job: NewCaptureJob): Promise<void>;
  /** Takes a queued job to run: false when it was not queued (another runner has it, or it is done). */
  claimCaptureJob(id: string, startedAt: string): Promise<boolean>;
  finishCaptureJob(id: string, finishedAt: string, result: string): Promise<void>;
  /** A running job back in the queue (its run failed and will be tried again). */
  requeueCaptureJob(id: string): Promise<void>;
  /** Jobs left running (their process stopped) back in the queue; how many. */
  requeueRunningCaptureJobs(): Promise<number>;
}
