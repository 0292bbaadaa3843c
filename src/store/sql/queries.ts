import type { Db } from './db.js';

/**
 * An area's part of the store interface (`M`) as query functions taking the database first: what an area's
 * queries.ts exports as `reads` and `writes`, and what an adapter may override for a query whose SQL must differ
 * (with `C` its own connection type). The compiler checks every method is there, with its parameters and result.
 */
export type QueriesOf<M, C = Db> = {
  [K in keyof M]: M[K] extends (...args: infer A) => Promise<infer R>
    ? (db: C, ...args: A) => R | Promise<R>
    : never;
};
