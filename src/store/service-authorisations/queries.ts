import type { QueriesOf } from '../sql/queries.js';
import type { ServiceAuthorisationReader, ServiceAuthorisationWriter } from './interface.js';

// Not converted yet: the adapters' own functions serve this area (issue 17, in progress).
export const reads: Partial<QueriesOf<ServiceAuthorisationReader>> = {};
export const writes: Partial<QueriesOf<ServiceAuthorisationWriter>> = {};
