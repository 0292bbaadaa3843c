import { initialStatus } from '../../domain/lifecycle/machine.js';
import type { RobotStatus } from '../../domain/lifecycle/status.js';
import type { NewEvent, Tx } from '../../store/store.js';

/** A robot as the batch has left it so far. */
export interface RobotState {
  robotId: string;
  status: RobotStatus;
  /**
   * Events of this robot accepted earlier in this batch and not written yet, in order (for corrections and repeated
   * ids); a streamed capture writes chunk by chunk, after which they are the robot's stored events.
   */
  pending: NewEvent[];
  softwareChanged: boolean;
  /**
   * Whether the robot has stored events (a status snapshot is written with every robot's events, so a robot read
   * from its issuance has none, until the batch writes some): a client's event id needs no lookup among them then.
   */
  hadEvents: boolean;
}

const untouched = (robotId: string, status: RobotStatus, hadEvents: boolean): RobotState => ({
  robotId,
  status,
  pending: [],
  softwareChanged: false,
  hadEvents,
});

/**
 * The robots a batch touches, each read once: its status snapshot or, for a robot without events yet, its
 * issuance. Null for an ID never issued.
 */
export class RobotStates {
  private readonly states = new Map<string, RobotState | null>();

  constructor(private readonly tx: Tx) {}

  /** Reads the robots not read yet all at once: on a database server a round trip per robot would cost most. */
  async prefetch(ids: ReadonlySet<string>): Promise<void> {
    const unseen = [...ids].filter((id) => !this.states.has(id));
    const statuses = await this.tx.getRobotStatuses(unseen);
    const fresh = unseen.filter((id) => !statuses.has(id));
    const issued = fresh.length > 0 ? await this.tx.getRobots(fresh) : new Map();
    for (const robotId of unseen) {
      const manufacturerId = issued.get(robotId)?.manufacturerId;
      const snapshot = statuses.get(robotId);
      const status = snapshot ?? (manufacturerId ? initialStatus(manufacturerId) : null);
      this.states.set(robotId, status ? untouched(robotId, status, snapshot !== undefined) : null);
    }
  }

  /** The robot as read so far: undefined when not read yet (then `load` it), null when never issued. */
  peek(robotId: string): RobotState | null | undefined {
    return this.states.get(robotId);
  }

  /** Reads one robot that `prefetch` did not. */
  async load(robotId: string): Promise<RobotState | null> {
    if (this.states.has(robotId)) return this.states.get(robotId)!;
    const status = await this.tx.getRobotStatus(robotId);
    const issued = status ? null : await this.tx.getRobot(robotId);
    const initial = status ?? (issued ? initialStatus(issued.manufacturerId) : null);
    const state: RobotState | null = initial ? untouched(robotId, initial, status !== null) : null;
    this.states.set(robotId, state);
    return state;
  }
}
