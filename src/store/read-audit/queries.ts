import type { QueriesOf } from '../sql/queries.js';
import type { ReadAuditReader, ReadAuditWriter } from './interface.js';

// Not converted yet: the adapters' own functions serve this area (issue 17, in progress).
export const reads: Partial<QueriesOf<ReadAuditReader>> = {};
export const writes: Partial<QueriesOf<ReadAuditWriter>> = {};
