import type { Component, EventType, SoftwareVersion } from './events.js';

/** Whether two lists of installed software say the same, target by target in order. */
export const sameSoftware = (a: readonly SoftwareVersion[], b: readonly SoftwareVersion[]): boolean =>
  a === b ||
  (a.length === b.length && a.every((s, i) => s.target === b[i]!.target && s.version === b[i]!.version));

export const STATES = [
  'issued',
  'manufactured',
  'certified',
  'in_distribution',
  'sold',
  'in_use',
  'lost',
  'stolen',
  'exported',
  'decommissioned',
  'recycled',
] as const;
export type LifecycleState = (typeof STATES)[number];

export interface Certification {
  standard: string;
  certificateNumber: string;
  certifierId: string;
  result: 'pass' | 'fail';
  validUntil: string | null;
  eventTime: string;
}

/**
 * Everything the registry derives from a robot's accepted events: the state machine's input and output.
 * Plain JSON (no Sets or Maps) so that it can be stored as a snapshot and sent between threads.
 */
export interface RobotStatus {
  state: LifecycleState;
  /** Where `recovered` / `imported` return to: the state before lost, stolen or exported. */
  resumeState: LifecycleState | null;
  /** A stop-use order is in force (orthogonal to the state). */
  suspension: { orderNumber: string; since: string } | null;
  manufacturerId: string;
  /** The organisation holding the robot (the holder after the last transfer); the manufacturer at first. */
  custodianId: string;
  /** Shipped and not yet received: who is to receive it. */
  inTransitTo: string | null;
  /** The owner/operator after sale or transfer. */
  operatorId: string | null;
  /** The latest certification reported (pass or fail). */
  certification: Certification | null;
  components: Component[];
  software: SoftwareVersion[];
  productionDate: string | null;
  site: { siteType: string; region: string } | null;
  /** eventTime of the first activation (absent before): when the robot went into use. */
  activatedAt?: string;
  /** eventTime of the latest inspection or maintenance (absent if none): when the next service falls due. */
  lastServicedAt?: string;
  /** eventTime of the latest accepted event; later reports may not go back before it. */
  lastEventTime: string | null;
  eventCount: number;
}

/** What the state machine answers when an event may not be recorded now. */
export interface Rejection {
  /** conflict: not allowed in the robot's state (HTTP 409); forbidden: not this reporter's to report (403);
   *  invalid: the event contradicts itself or the robot (400). */
  kind: 'conflict' | 'forbidden' | 'invalid';
  code: string;
  message: string;
  state: LifecycleState;
  /** The event types this reporter may report now. */
  allowed: EventType[];
  /** JSON pointer inside the event, when one field is at fault. */
  field?: string;
}
