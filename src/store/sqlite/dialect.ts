import type { Dialect } from '../sql/db.js';

/** SQLite's spelling of what differs (src/store/sql/db.ts). Text compares by bytes already (BINARY collation). */
export const sqliteDialect: Dialect = {
  name: 'sqlite',
  byteOrder: (expression) => expression,
  // A list travels as one JSON array: SQLite has no array type, and a statement per list length would pile up.
  rowsOfList: 'json_each(?) AS a',
  inList: (expression) => `${expression} IN (SELECT value FROM json_each(?))`,
  listValue: (items) => JSON.stringify(items),
  jsonText: (column, field) => `json_extract(${column}, '$.${field}')`,
  // Booleans are INTEGER 1 and 0.
  isTrue: (column) => `${column} = 1`,
  // unicode_lower is registered on every connection (connection.ts).
  containsIgnoringCase: (expression) => `instr(unicode_lower(${expression}), unicode_lower(?)) > 0`,
  jsonRecords: (alias, columns) => {
    const fields = Object.entries(columns).map(([name, type]) => {
      const value = `json_extract(value, '$.${name}')`;
      return `${type === 'bytes' ? `unhex(${value})` : value} AS ${name}`;
    });
    return `(SELECT ${fields.join(', ')} FROM json_each(?) ORDER BY key) AS ${alias}`;
  },
};

/** better-sqlite3 binds numbers, strings, bigints, Buffers and null: a boolean is stored as SQLite's 1 or 0. */
export function sqliteParams(params: readonly unknown[]): unknown[] {
  let converted: unknown[] | null = null;
  for (let i = 0; i < params.length; i++) {
    const value = params[i];
    if (typeof value === 'boolean') {
      converted ??= params.slice();
      converted[i] = value ? 1 : 0;
    }
  }
  return converted ?? (params as unknown[]);
}
