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
}

const scopes = new AsyncLocalStorage<ReadScope>();

/** Runs `work` as session `id`: its reads see the writes the session made before. */
export function withReadSession<T>(id: string, work: () => T): T {
  return scopes.run({ ...scopes.getStore(), session: id }, work);
}

/** Runs `work` with reads that see every committed write, whoever made it. */
export function withLatestReads<T>(work: () => T): T {
  return scopes.run({ ...scopes.getStore(), latest: true }, work);
}

export const currentReadScope = (): ReadScope => scopes.getStore() ?? {};
