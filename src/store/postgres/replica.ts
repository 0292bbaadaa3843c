import type pg from 'pg';
import { DomainError } from '../../domain/errors.js';
import type { ReadScope } from '../read-session.js';

const LSN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** A WAL position as PostgreSQL prints it ('16/B374D848'), as a number that orders; null if it is not one. */
export function parseLsn(text: string): bigint | null {
  const match = LSN.exec(text);
  return match ? (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`) : null;
}

/** A position the server printed itself: always well formed. */
export const serverLsn = (text: string): bigint => parseLsn(text)!;

/** A position a client brought back (RobotID-Read-After): a malformed one is the client's error, said precisely. */
function clientLsn(text: string): bigint {
  const lsn = parseLsn(text);
  if (lsn === null)
    throw new DomainError(
      'invalid',
      'invalid-read-after',
      `read-after position '${text}' is not one this registry gave`,
      [
        {
          field: 'RobotID-Read-After',
          message: 'must be a commit position from a RobotID-Commit-Position header',
        },
      ],
    );
  return lsn;
}

/** A replay position read from the standby is trusted this long: reads do not each ask it again. */
const POSITION_TTL_MS = 200;
/** A session waiting for its own write re-reads the position at most this often (else the primary serves it). */
const RECHECK_AFTER_MS = 10;
/** After the standby failed to answer, reads go to the primary this long before it is tried again. */
const DOWN_FOR_MS = 1000;
/** Commits this close together share one entry in the lag record (the first's time: an overestimate, safe). */
const COALESCE_MS = 50;
/** Bounds on what is remembered; past them, entries merge into safe overestimates. */
const MAX_UNREPLAYED = 1000;
const MAX_SESSIONS = 10_000;

/**
 * Decides, per read, whether the streaming standby may serve it: the standby answers, has replayed the
 * migrations and the reading session's last commit, and is not behind this process's commits by more than
 * `maxLagMs`. Otherwise the primary serves it: a replica that is gone or late is never an error, only slower.
 */
export class ReplicaRouter {
  /** The standby's replay position, and when it was read (0: unknown). */
  private position = { lsn: -1n, at: 0 };
  private refreshing: Promise<void> | null = null;
  private downUntil = 0;
  /** Where each session's last commit ended, until the standby has replayed it. */
  private readonly sessions = new Map<string, bigint>();
  /** This process's commits the standby has not been seen to replay, oldest first: its lag. */
  private readonly unreplayed: { lsn: bigint; at: number }[] = [];
  /** A position every read needs (the migrations' end; sessions forgotten for space). */
  private floor = 0n;

  constructor(
    private readonly standby: pg.Pool,
    private readonly maxLagMs: number,
  ) {}

  /** A unit of work committed, ending at `lsn`, for `session` (if any). */
  committed(session: string | undefined, lsn: bigint, now = Date.now()): void {
    if (session !== undefined) this.remember(session, lsn);
    const last = this.unreplayed[this.unreplayed.length - 1];
    if (last && now - last.at < COALESCE_MS) last.lsn = lsn > last.lsn ? lsn : last.lsn;
    else this.unreplayed.push({ lsn, at: now });
    if (this.unreplayed.length > MAX_UNREPLAYED) {
      const [, second] = this.unreplayed.splice(1, 1);
      this.unreplayed[0]!.lsn = second!.lsn;
    }
  }

  /** Every read needs the standby to have replayed `lsn` (the schema's migrations). */
  require(lsn: bigint): void {
    if (lsn > this.floor) this.floor = lsn;
  }

  /** Whether a read in `scope` may go to the standby (at most one short query to it, and rarely). */
  async usable(scope: ReadScope): Promise<boolean> {
    const brought = scope.after === undefined ? 0n : clientLsn(scope.after);
    if (scope.latest || Date.now() < this.downUntil) return false;
    const own = (scope.session === undefined ? undefined : this.sessions.get(scope.session)) ?? 0n;
    const needed = [this.floor, own, brought].reduce((a, b) => (a > b ? a : b));
    const age = Date.now() - this.position.at;
    if (age > POSITION_TTL_MS || (needed > this.position.lsn && age > RECHECK_AFTER_MS)) await this.refresh();
    if (Date.now() < this.downUntil || needed > this.position.lsn) return false;
    const oldest = this.unreplayed[0];
    return oldest === undefined || Date.now() - oldest.at <= this.maxLagMs;
  }

  /** The standby failed a read: the primary serves reads for a while. */
  down(): void {
    this.downUntil = Date.now() + DOWN_FOR_MS;
    this.position = { lsn: -1n, at: 0 };
  }

  private remember(session: string, lsn: bigint): void {
    this.sessions.delete(session); // re-inserted last: the map's order is oldest write first
    this.sessions.set(session, lsn);
    if (this.sessions.size <= MAX_SESSIONS) return;
    const [oldest, position] = this.sessions.entries().next().value as [string, bigint];
    this.sessions.delete(oldest);
    this.require(position); // forgotten, but still read-your-writes: everyone waits for it instead
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.readPosition().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async readPosition(): Promise<void> {
    try {
      const { rows } = await this.standby.query<{ lsn: string | null }>(
        'SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END AS lsn',
      );
      const text = rows[0]?.lsn;
      // NULL: not (or no longer) a standby: its data may be anything, so it is not read.
      if (!text) return this.down();
      const lsn = serverLsn(text);
      this.position = { lsn, at: Date.now() };
      while (this.unreplayed[0] && this.unreplayed[0].lsn <= lsn) this.unreplayed.shift();
      for (const [session, position] of this.sessions) if (position <= lsn) this.sessions.delete(session);
    } catch {
      this.down();
    }
  }
}
