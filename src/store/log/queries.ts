import type { QueriesOf } from '../sql/queries.js';
import type { LogReader, LogWriter } from './interface.js';

// Not converted yet: the adapters' own functions serve this area (issue 17, in progress).
export const reads: Partial<QueriesOf<LogReader>> = {};
export const writes: Partial<QueriesOf<LogWriter>> = {};
