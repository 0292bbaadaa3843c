/**
 * Who is reading, for stores that serve reads from a replica (PostgreSQL with a streaming standby): a caller that
 * wrote must still read its own writes, so a store remembers where each session's last commit ended and sends its
 * reads to a replica only once the replica has replayed that far. The edges open a session per caller (the HTTP
 * edge: one per API key); use cases need not know. Stores without replicas ignore all of this.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ReadScope {
  /** The session's name (an API key id); reads and writes made under the same name see each other. */
  session?: string;
  /** Reads must see every committed write (the primary's): key checks, where a replica's lag would be a hole. */
  latest?: boolean;
  /**
   * A commit position a client brings back (from an answer of another server process): reads must see it.
   * Opaque here; a store that cannot parse it refuses it as `invalid`.
   */
  after?: string;
  /** Set by the store when a unit of work commits in this scope: the position for the client to bring back. */
  committedAt?: string;
}

const scopes = new AsyncLocalStorage<ReadScope>();

/** Runs `work` with reads that see every committed write, whoever made it. */
export function withLatestReads<T>(work: () => T): T {
  return scopes.run({ ...scopes.getStore(), latest: true }, work);
}

/** Runs `work` in `scope`, which the store may annotate (`committedAt`) for the caller to read afterwards. */
export function withReadScope<T>(scope: ReadScope, work: () => T): T {
  return scopes.run(scope, work);
}

export const currentReadScope = (): ReadScope => scopes.getStore() ?? {};
