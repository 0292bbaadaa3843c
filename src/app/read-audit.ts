/** Who read which non-public data, when and why: the read audit's records and where they go. */
import type { DataClass } from '../domain/policy/table.js';

export interface ReadRecord {
  at: string;
  orgId: string | null;
  keyId: string | null;
  robotId: string | null;
  query: string | null;
  classes: DataClass[];
  purpose: string | null;
  outcome: 'granted' | 'denied';
}

export interface ReadAuditSink {
  record(entry: ReadRecord): void;
  flush(): Promise<void>;
}
