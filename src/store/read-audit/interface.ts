/**
 * The read audit: who read non-public data, why. Records, and this area's part of the store interface (composed in
 * ../store.ts).
 */
import type { Purpose } from '../../domain/policy/purposes.js';
import type { DataClass } from '../../domain/policy/table.js';
import type { Page, PageRequest } from '../page.js';

/** One read of non-public data (or an attempt at one), as the read audit records it. */
export interface ReadAuditRecord {
  at: string;
  orgId: string | null;
  keyId: string | null;
  /** The robot read; null for a query over many (a search, a bulk export). */
  robotId: string | null;
  /** What was asked, for a query: its canonical query string. */
  query: string | null;
  /** The data classes of the fields shown (or, when denied, asked for). */
  classes: DataClass[];
  purpose: Purpose | null;
  outcome: 'granted' | 'denied';
}

/** A stored read record: its id orders the records as they were written. */
export interface ReadAuditEntry extends ReadAuditRecord {
  id: number;
}

/** Read-audit search; every field narrows. `from` inclusive, `to` exclusive (ISO instants). */
export interface ReadAuditFilter {
  robotId?: string;
  orgId?: string;
  purpose?: Purpose;
  outcome?: 'granted' | 'denied';
  from?: string;
  to?: string;
}

export interface ReadAuditReader {
  /** Read records, newest first; `page.after` is the id to continue below (0: from the newest). */
  listReadAudit(filter: ReadAuditFilter, page: PageRequest): Promise<Page<ReadAuditEntry>>;
}

export interface ReadAuditWriter {
  /** Appends read records in the order given (one statement on a database server). */
  insertReadAudit(entries: ReadAuditRecord[]): Promise<void>;
}
