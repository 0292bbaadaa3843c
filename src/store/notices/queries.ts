import type { QueriesOf } from '../sql/queries.js';
import type { NoticeReader, NoticeWriter } from './interface.js';

// Not converted yet: the adapters' own functions serve this area (issue 17, in progress).
export const reads: Partial<QueriesOf<NoticeReader>> = {};
export const writes: Partial<QueriesOf<NoticeWriter>> = {};
