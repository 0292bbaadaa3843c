/** Whole tables as dialect-free rows (src/store/tables.ts): SQLite keeps booleans as 0/1. */
import type { RawLoader, RawReader, RawRow, RawValue, TableSpec } from '../tables.js';
import type { Connection } from './connection.js';

const columnList = (table: TableSpec) => table.columns.map((c) => c.name).join(', ');

function fromSqlite(table: TableSpec, row: RawValue[]): RawRow {
  return row.map((value, n) =>
    table.columns[n]!.kind === 'boolean' && value !== null ? value === 1 : value,
  );
}

function toSqlite(row: RawRow): RawValue[] {
  return row.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}

export function rawReaderOn(c: Connection): RawReader {
  return {
    schemaVersion: async () =>
      (c.stmt('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0,
    count: async (table) => (c.stmt(`SELECT count(*) AS n FROM ${table.name}`).get() as { n: number }).n,
    rows: async (table, after, limit) => {
      const keys = table.key.join(', ');
      const where = after ? `WHERE (${keys}) > (${table.key.map(() => '?').join(', ')})` : '';
      const rows = c
        .stmt(`SELECT ${columnList(table)} FROM ${table.name} ${where} ORDER BY ${keys} LIMIT ?`)
        .raw(true)
        .all(...toSqlite(after ?? []), limit) as RawValue[][];
      return rows.map((row) => fromSqlite(table, row));
    },
  };
}

export function rawLoaderOn(c: Connection): RawLoader {
  return {
    ...rawReaderOn(c),
    insert: async (table, rows) => {
      const verb = table.seededByMigrations ? 'INSERT OR REPLACE' : 'INSERT';
      const insert = c.stmt(
        `${verb} INTO ${table.name} (${columnList(table)}) VALUES (${table.columns.map(() => '?').join(', ')})`,
      );
      for (const row of rows) insert.run(...toSqlite(row));
    },
  };
}
