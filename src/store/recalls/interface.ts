/**
 * Recall campaigns and their affected robots. Records, and this area's part of the store interface (composed in
 * ../store.ts).
 */
import type { RecallCriteria, RecallDraft, RecallRobotState } from '../../domain/safety/recalls.js';
import type { Page, PageRequest } from '../page.js';

/** A recall campaign as stored (src/domain/safety/recalls.ts). */
export interface RecallRecord extends RecallDraft {
  /** RC-<year>-<6 digits>. */
  number: string;
  /** The manufacturer whose campaign it is; null for a regulator's campaign across manufacturers (a part's). */
  manufacturerId: string | null;
  /** Robot ID prefixes the campaign may touch (a manufacturer's own); null: every robot. */
  scope: string[] | null;
  openedBy: string;
  openedByKey: string;
  openedAt: string;
  status: 'open' | 'closed';
  closedAt: string | null;
  /** 'computing' until the affected set has been found once (resumed after a restart), 'ready' after. */
  affectedSet: 'computing' | 'ready';
  computedAt: string | null;
}

export type RecallChange = Partial<Pick<RecallRecord, 'status' | 'closedAt' | 'affectedSet' | 'computedAt'>>;

/** One affected robot's place in a campaign. */
export interface RecallRobot {
  recall: string;
  robotId: string;
  /** Who held the robot when it was found affected (whom the campaign notified). */
  custodianId: string;
  state: RecallRobotState;
  matchedAt: string;
  /** When its state last changed (remedied, exempt…). */
  changedAt: string;
  /** The service event that remedied it. */
  remedySeq: number | null;
  /** The stop-use order's `suspended` event, for a campaign with stop-use. */
  suspensionSeq: number | null;
  /** For a campaign with stop-use: 'ordered', or why the order was refused (e.g. another order is in force). */
  stopUse: string | null;
  note: string | null;
}

export interface RecallRobotFilter {
  state?: RecallRobotState;
  custodianId?: string;
  /** Only robots whose ID starts with one of these (a manufacturer's own). */
  idPrefixes?: string[];
  /** Only robots still to be given the campaign's stop-use order. */
  stopUsePending?: boolean;
}

export interface StopUseOutcome {
  robotId: string;
  seq: number | null;
  outcome: string;
}

export interface RecallStateChange {
  recall: string;
  robotId: string;
  state: RecallRobotState;
  at: string;
  remedySeq?: number;
  note?: string | null;
}

/** A campaign's completion: robots per state now, and day by day how many were affected and remedied by then. */
export interface RecallProgress {
  byState: Record<RecallRobotState, number>;
  series: { date: string; affected: number; remedied: number }[];
}

export interface RecallFilter {
  status?: 'open' | 'closed';
  manufacturerId?: string;
}

export interface RecallReader {
  getRecall(number: string): Promise<RecallRecord | null>;
  /** Campaigns newest first; `page.after` is a campaign's place in that order (0: from the newest). */
  listRecalls(filter: RecallFilter, page: PageRequest): Promise<Page<RecallRecord>>;
  /** Open campaigns, for matching robots as their components and software change. */
  listOpenRecalls(): Promise<RecallRecord[]>;
  /** IDs of the robots that may match (within `scope`), in ID order: a superset read from the index that narrows
   *  most; `addRecallCandidates` decides. */
  findRecallCandidates(criteria: RecallCriteria, scope: string[] | null): Promise<string[]>;
  /** Every campaign entry of these robots (any state). */
  listRecallEntries(robotIds: string[]): Promise<RecallRobot[]>;
  /** A campaign's robots in ID order after `page.after`. */
  listRecallRobots(
    number: string,
    filter: RecallRobotFilter,
    page: PageRequest<string>,
  ): Promise<Page<RecallRobot, string>>;
  /** Robots per state now (RecallProgress without the series: cheap, from the state index). */
  recallCounts(number: string): Promise<RecallProgress['byState']>;
  recallProgress(number: string): Promise<RecallProgress>;
}

export interface RecallWriter {
  insertRecall(recall: RecallRecord, seq: number): Promise<void>;
  updateRecall(number: string, change: RecallChange): Promise<void>;
  /**
   * Adds to a campaign those of `candidates` that its criteria still match now (checked again in this unit of work,
   * so a part replaced meanwhile is not counted) and that it does not hold yet, as notified at `at`. Returns them
   * with their custodians.
   */
  addRecallCandidates(
    recall: RecallRecord,
    candidates: string[],
    at: string,
  ): Promise<{ robotId: string; custodianId: string }[]>;
  /** Adds robots matched already (by a capture, in memory), as notified at `at`; ones held already are skipped. */
  addRecallRobots(
    entries: { recall: string; robotId: string; custodianId: string }[],
    at: string,
  ): Promise<void>;
  /** Moves robots in campaigns, in the batch's order (a robot twice: the later move; a remedy stays recorded). */
  putRecallStates(changes: RecallStateChange[]): Promise<void>;
  /**
   * Records the stop-use order each robot got under a campaign (its event's seq), or why it was refused; a robot
   * twice in the batch: the later outcome.
   */
  setRecallStopUse(number: string, entries: StopUseOutcome[]): Promise<void>;
}
