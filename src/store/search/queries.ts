import type { QueriesOf } from '../sql/queries.js';
import type { SearchReader, SearchWriter } from './interface.js';

// Not converted yet: the adapters' own functions serve this area (issue 17, in progress).
export const reads: Partial<QueriesOf<SearchReader>> = {};
export const writes: Partial<QueriesOf<SearchWriter>> = {};
