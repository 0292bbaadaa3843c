/**
 * Whole tables as dialect-free rows (src/store/tables.ts). The pool's type parsers already give numbers, booleans
 * and Buffers, so rows pass through as they are.
 */
import type { RawLoader, RawReader, RawRow, TableSpec } from '../tables.js';
import type { Connection } from './connection.js';

const columnList = (table: TableSpec) => table.columns.map((c) => c.name).join(', ');
const placeholders = (from: number, count: number) =>
  Array.from({ length: count }, (_, n) => `$${from + n}`).join(', ');

/** PostgreSQL takes at most 65,535 parameters a statement. */
const MAX_PARAMETERS = 60_000;

async function arrayRows(c: Connection, text: string, values: unknown[]): Promise<RawRow[]> {
  return (await c.db.query<RawRow>({ text, values, rowMode: 'array' })).rows;
}

export function rawReaderOn(c: Connection): RawReader {
  return {
    schemaVersion: async () =>
      (await c.row<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations'))?.v ?? 0,
    count: async (table) =>
      Number((await c.adHocRows<{ n: string }>(`SELECT count(*) AS n FROM ${table.name}`, []))[0]!.n),
    rows: async (table, after, limit) => {
      const keys = table.key.join(', ');
      const where = after ? `WHERE (${keys}) > (${placeholders(1, after.length)})` : '';
      const limitAt = (after?.length ?? 0) + 1;
      return arrayRows(
        c,
        `SELECT ${columnList(table)} FROM ${table.name} ${where} ORDER BY ${keys} LIMIT $${limitAt}`,
        [...(after ?? []), limit],
      );
    },
  };
}

function insertSql(table: TableSpec, rowCount: number): string {
  const width = table.columns.length;
  const tuples = Array.from({ length: rowCount }, (_, r) => `(${placeholders(r * width + 1, width)})`);
  const update = table.columns.filter((col) => !table.key.includes(col.name));
  const onConflict = table.seededByMigrations
    ? ` ON CONFLICT (${table.key.join(', ')}) DO UPDATE SET ${update.map((col) => `${col.name} = excluded.${col.name}`).join(', ')}`
    : '';
  return `INSERT INTO ${table.name} (${columnList(table)}) VALUES ${tuples.join(', ')}${onConflict}`;
}

export function rawLoaderOn(c: Connection): RawLoader {
  return {
    ...rawReaderOn(c),
    insert: async (table, rows) => {
      const perStatement = Math.floor(MAX_PARAMETERS / table.columns.length);
      for (let from = 0; from < rows.length; from += perStatement) {
        const chunk = rows.slice(from, from + perStatement);
        await c.adHocRows(insertSql(table, chunk.length), chunk.flat());
      }
    },
  };
}
