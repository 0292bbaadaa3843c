/**
 * Accepted lifecycle events and what they leave: each robot's snapshot, fitted components, software. Records, and
 * this area's part of the store interface (composed in ../store.ts).
 */
import type { Component, EventType, SoftwareVersion } from '../../domain/lifecycle/events.js';
import type { RobotStatus } from '../../domain/lifecycle/status.js';
import type { LeafLink } from '../../log/leaf.js';
import type { Page, PageRequest } from '../page.js';

/** A robot's snapshot after a unit of work, with the seq of its last event then. */
export interface RobotStatusEntry {
  robotId: string;
  status: RobotStatus;
  lastSeq: number;
}

export interface SoftwareEntry {
  robotId: string;
  software: SoftwareVersion[];
}

export interface SerialisedPart {
  partNumber: string;
  serial: string;
}

/** How `findFittedComponents` keys its answer. */
export const serialisedPartKey = (p: SerialisedPart) => `${p.partNumber}\u0000${p.serial}`;

export interface ComponentChange {
  robotId: string;
  seq: number;
  fitted: Component[];
  removed: Component[];
}

/** An accepted lifecycle event as stored. */
export interface StoredEvent {
  /** Its place in the one total order of accepted events; its transparency-log leaf index is seq − 1. */
  seq: number;
  robotId: string;
  eventId: string;
  type: EventType;
  eventTime: string;
  recordTime: string;
  orgId: string;
  keyId: string;
  payload: unknown;
  /** The payload as stored: RFC 8785 canonical JSON, the bytes the log commits to. */
  payloadJson: string;
  /** SHA-256 of the event's canonical content: tells a retry from a reused event id. */
  contentHash: Buffer;
  /** Reported after the deadline for its type. */
  late: boolean;
  /** Random salt of the log leaf's commitment to this record (see src/log/leaf.ts). */
  salt: Buffer;
  /** Its leaf's version and link to the robot's previous leaf: the store chains each event it inserts. */
  leaf: LeafLink;
}

export type NewEvent = Omit<StoredEvent, 'seq' | 'payloadJson' | 'leaf'> & {
  /** The payload as canonical JSON text, when the caller has it already (else serialised here). */
  payloadJson?: string;
  /** Its leaf's commitment to the record, when the caller computed it already (else computed here). */
  commitment?: Buffer;
  /**
   * The caller knows the robot has no stored event (a capture that read it without events): its leaf links to no
   * earlier one, without the robot's latest leaf being looked up. Unsaid, it is looked up.
   */
  firstOfRobot?: boolean;
};

export interface EventScanFilter {
  types?: readonly EventType[];
  eventIds?: readonly string[];
  /** ISO 8601 UTC, as record times are stored: from (inclusive), before (exclusive). */
  recordedFrom?: string;
  recordedBefore?: string;
}

export interface EventReader {
  findEvent(robotId: string, eventId: string): Promise<StoredEvent | null>;
  /** A robot's accepted events in acceptance order. */
  listEvents(robotId: string): Promise<StoredEvent[]>;
  getRobotStatus(robotId: string): Promise<RobotStatus | null>;
  /** The snapshots of those robots among `ids` that have events, by ID. */
  getRobotStatuses(ids: string[]): Promise<Map<string, RobotStatus>>;
  /**
   * Accepted events after `after` (a seq) in acceptance order, at most `limit`, of these types and ids and recorded
   * in this time range when given (the EPCIS query's store side; access is the caller's to decide).
   */
  scanEvents(after: number, limit: number, filter: EventScanFilter): Promise<StoredEvent[]>;
  /** An organisation's events reported after their deadline, in acceptance order. */
  listLateEvents(orgId: string, page: PageRequest): Promise<Page<StoredEvent>>;
  /** The robot in which a component with this part number and serial is fitted now, if any. */
  findFittedComponent(partNumber: string, serial: string): Promise<string | null>;
  /** The robot each of these parts is fitted in now, by `serialisedPartKey`; parts fitted nowhere are absent. */
  findFittedComponents(parts: SerialisedPart[]): Promise<Map<string, string>>;
}

export interface EventWriter {
  /**
   * Appends events in the given order and, in the same unit of work, their leaves to the transparency log: the
   * store never holds an event that is not in the log, or the reverse. Each leaf is a version 2 leaf naming the
   * robot's previous leaf (the batch's own events chained in order). Returns the seq each was given.
   */
  insertEvents(events: NewEvent[]): Promise<number[]>;
  /** Replaces each robot's snapshot. */
  putRobotStatuses(entries: RobotStatusEntry[]): Promise<void>;
  recordComponentChanges(changes: ComponentChange[]): Promise<void>;
  /** Replaces each robot's recorded software versions. */
  putSoftware(entries: SoftwareEntry[]): Promise<void>;
}
