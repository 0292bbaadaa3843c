/**
 * The transparency log: sizes, tiles, leaves, checkpoints and cosignatures. Records, and this area's part of the
 * store interface (composed in ../store.ts).
 */
import type { MapNode } from '../../log/heads-map.js';
import type { TileKey } from '../../log/tiles.js';
import type { StoredEvent } from '../events/interface.js';
import type { Page, PageRequest } from '../page.js';

/** A checkpoint the registry signed: a C2SP signed note over a tlog-checkpoint body. */
export interface CheckpointRecord {
  size: number;
  rootHash: Buffer;
  /** The signed note, exactly as signed (body, blank line, the registry's signature line). */
  note: string;
  signedAt: string;
}

/** A witness's cosignature of one of the registry's checkpoints. */
export interface CosignatureRecord {
  size: number;
  /** The witness key's name. */
  witness: string;
  /** The signature line, ready to append to the checkpoint's note. */
  line: string;
  /** The witness's own timestamp in the cosignature (seconds since the epoch). */
  cosignedAt: number;
  receivedAt: string;
}

/** Leaves a robot gained in a range of the log, and the seq of its latest there. */
export interface RobotLeaves {
  robotId: string;
  added: number;
  lastSeq: number;
}

export interface LogReader {
  /** Leaves in the transparency log: always the number of events stored. */
  logSize(): Promise<number>;
  /** Stored tiles of the log's tree (src/log/tiles.ts), by `tileKeyString`; absent keys are not in the map. */
  readLogTiles(keys: TileKey[]): Promise<Map<string, Buffer>>;
  /** Events with seq in [from, to), in order: the log's leaves from index from − 1. */
  listEventsBySeq(from: number, to: number): Promise<StoredEvent[]>;
  latestCheckpoint(): Promise<CheckpointRecord | null>;
  getCheckpoint(size: number): Promise<CheckpointRecord | null>;
  /** Checkpoints in size order, after `page.after` (a size). */
  listCheckpoints(page: PageRequest): Promise<Page<CheckpointRecord>>;
  listCosignatures(size: number): Promise<CosignatureRecord[]>;
  /** Stored nodes of the robots' heads map (src/log/heads-map.ts) by path; absent paths are not in the map. */
  readHeadsNodes(paths: string[]): Promise<Map<string, MapNode>>;
  /** Each robot's leaves among the events with seq in (after, upTo]. */
  robotLeavesBetween(after: number, upTo: number): Promise<RobotLeaves[]>;
}

export interface LogWriter {
  /** Refused if a checkpoint of that size exists: the registry signs one tree head per size. */
  insertCheckpoint(checkpoint: CheckpointRecord): Promise<void>;
  /** Replaces the witness's earlier cosignature of the same checkpoint, if any. */
  putCosignature(cosignature: CosignatureRecord): Promise<void>;
  /** Writes (replaces) nodes of the robots' heads map, by path. */
  putHeadsNodes(nodes: ReadonlyMap<string, MapNode>): Promise<void>;
  /** Empties the heads map (before it is built again from the first leaf). */
  clearHeadsNodes(): Promise<void>;
}
