/**
 * Query functions bound to a connection as the store interface's methods: each takes the connection first
 * (SQLite's answering at once, PostgreSQL's with a promise), so the wiring is written once, here.
 */
import type { Reader, Tx } from './store.js';
import { reads } from './queries.js';
import type { QueriesOf } from './sql/queries.js';

/** A unit of work's methods that are plain queries (savepoint is each adapter's own). */
export type Writer = Omit<Tx, keyof Reader | 'savepoint'>;

/** What an adapter provides: a function for every method of Reader and Writer, taking its connection `C`. */
export type Queries<C> = QueriesOf<Reader & Writer, C>;

type Query<C> = (c: C, ...args: unknown[]) => unknown;

/** The reader's methods are those the areas declare as reads (their `reads`); the rest write. */
const READS = new Set(Object.keys(reads));

function bind<C, M>(c: C, queries: Queries<C>, only: (name: string) => boolean): M {
  const methods = Object.entries(queries as unknown as Record<string, Query<C>>)
    .filter(([name]) => only(name))
    .map(([name, query]) => [name, async (...args: unknown[]) => query(c, ...args)]);
  return Object.fromEntries(methods) as M;
}

export const bindReader = <C>(c: C, queries: Queries<C>): Reader =>
  bind(c, queries, (name) => READS.has(name));

/** Reader and Writer methods on the connection of an open transaction. */
export const bindWriter = <C>(c: C, queries: Queries<C>): Reader & Writer => bind(c, queries, () => true);
