import type { QueriesOf } from '../sql/queries.js';
import type { IncidentReader, IncidentWriter } from './interface.js';

// Not converted yet: the adapters' own functions serve this area (issue 17, in progress).
export const reads: Partial<QueriesOf<IncidentReader>> = {};
export const writes: Partial<QueriesOf<IncidentWriter>> = {};
