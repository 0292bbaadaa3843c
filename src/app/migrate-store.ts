/**
 * Copies a whole registry from one store to another (SQLite to PostgreSQL), table by table in key order, a page
 * at a time: one snapshot of the source, one transaction on the target, so a failure leaves the target empty.
 * Then proves the copy: equal row counts, the same log, and the signed checkpoints' roots recomputed from the
 * target's own tree (the full audit when the log's key is known).
 */
import { DomainError } from '../domain/errors.js';
import type { Verifier } from '../log/note.js';
import type { Store } from '../store/store.js';
import {
  keyOf,
  TABLES,
  type RawLoader,
  type RawReader,
  type RawRow,
  type RawTables,
  type TableSpec,
} from '../store/tables.js';
import { logStateOf, logStateProblems, type LogState } from './backup.js';
import { auditLog, type AuditReport } from './log/audit.js';

export type CopyableStore = Store & RawTables;

export interface MigrateReport {
  tables: { name: string; rows: number; copied: number }[];
  source: { logSize: number; checkpoint: { size: number; rootHash: string } | null };
  target: LogState;
  audit: AuditReport | null;
  problems: string[];
  ok: boolean;
}

export interface MigrateOptions {
  /** The log's verifier key: with it, the target's whole log is audited against every signed checkpoint. */
  verifier?: Verifier;
  /** Rows read and written per page. */
  pageRows?: number;
  progress?: (table: string, copied: number, total: number) => void;
}

/** Refuses a target that holds anything (the migrations' own log_state row aside). */
async function assertEmpty(target: RawLoader) {
  const holding: string[] = [];
  for (const table of TABLES.filter((t) => !t.seededByMigrations)) {
    const rows = await target.count(table);
    if (rows > 0) holding.push(`${table.name} (${rows})`);
  }
  if (holding.length > 0)
    throw new DomainError(
      'invalid',
      'target-not-empty',
      `the target registry is not empty: it holds rows in ${holding.join(', ')}; migrate only into an empty database or schema`,
    );
}

/** Copies one table page by page; returns the source's row count and the last row copied. */
async function copyTable(
  source: RawReader,
  target: RawLoader,
  table: (typeof TABLES)[number],
  options: MigrateOptions,
): Promise<{ rows: number; copied: number; last: RawRow | null }> {
  const rows = await source.count(table);
  let copied = 0;
  let last: RawRow | null = null;
  for (;;) {
    const page = await source.rows(table, last && keyOf(table, last), options.pageRows ?? 5000);
    if (page.length === 0) break;
    try {
      await target.insert(table, page);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `copying ${table.name} after key ${JSON.stringify(last && keyOf(table, last))}: ${reason} (nothing was committed: the target is as empty as before)`,
        { cause: error },
      );
    }
    copied += page.length;
    last = page[page.length - 1]!;
    options.progress?.(table.name, copied, rows);
  }
  return { rows, copied, last };
}

/** A named column's value in a row of `table`. */
const valueOf = (table: TableSpec, row: RawRow, column: string) =>
  row[table.columns.findIndex((c) => c.name === column)];

export async function migrateStore(
  source: CopyableStore,
  target: CopyableStore,
  options: MigrateOptions = {},
): Promise<MigrateReport> {
  const copied = await source.snapshot((reader) =>
    target.load(async (loader) => {
      await assertEmpty(loader);
      const tables: MigrateReport['tables'] = [];
      let logSize = 0;
      let checkpoint: MigrateReport['source']['checkpoint'] = null;
      for (const table of TABLES) {
        const result = await copyTable(reader, loader, table, options);
        tables.push({ name: table.name, rows: result.rows, copied: result.copied });
        // The source's log as copied: its size, and its latest checkpoint (the last row, in size order).
        if (table.name === 'log_state' && result.last) logSize = Number(valueOf(table, result.last, 'size'));
        if (table.name === 'log_checkpoints' && result.last)
          checkpoint = {
            size: Number(valueOf(table, result.last, 'size')),
            rootHash: (valueOf(table, result.last, 'root_hash') as Buffer).toString('base64'),
          };
      }
      return { tables, source: { logSize, checkpoint } };
    }),
  );
  return verifyCopy(copied.tables, copied.source, target, options.verifier);
}

/** After the commit: counts read back from the target, its log state, and the audit. */
async function verifyCopy(
  tables: MigrateReport['tables'],
  source: MigrateReport['source'],
  target: CopyableStore,
  verifier: Verifier | undefined,
): Promise<MigrateReport> {
  const problems: string[] = [];
  const counts = await target.snapshot(async (r) => {
    // One after another: a snapshot is one session, which runs one query at a time.
    const n: number[] = [];
    for (const table of TABLES) n.push(await r.count(table));
    return n;
  });
  tables.forEach((t, n) => {
    if (t.copied !== t.rows || counts[n] !== t.rows)
      problems.push(
        `${t.name}: ${t.rows} rows in the source, ${t.copied} copied, ${counts[n]} in the target`,
      );
  });
  const state = await logStateOf(target);
  problems.push(...logStateProblems(source, state));
  const audit = verifier ? await target.read((r) => auditLog(r, verifier)) : null;
  if (audit && !audit.ok) problems.push(...audit.findings.map((f) => `audit: ${f.kind}: ${f.message}`));
  return { tables, source, target: state, audit, problems, ok: problems.length === 0 };
}
