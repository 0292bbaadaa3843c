import type { Dialect } from '../sql/db.js';

/** PostgreSQL's spelling of what differs (src/store/sql/db.ts). */
export const postgresDialect: Dialect = {
  name: 'postgres',
  // Text columns have the database's default collation, which may be a locale's: "C" compares bytes.
  byteOrder: (expression) => `${expression} COLLATE "C"`,
  rowsOfList: 'unnest(?::text[]) AS a(value)',
  inList: (expression, of = 'text') => `${expression} = ANY(?::${of === 'text' ? 'text' : 'bigint'}[])`,
  listValue: (items) => items,
  // JSON documents are TEXT (their exact bytes matter), so they are cast to read a field.
  jsonText: (column, field) => `(${column}::json ->> '${field}')`,
  isTrue: (column) => column,
  // lower() follows the database's ctype: Unicode letters in a UTF-8 locale (as the registry's database has).
  containsIgnoringCase: (expression) => `strpos(lower(${expression}), lower(?)) > 0`,
  jsonRecords: (alias, columns) => {
    const entries = Object.entries(columns);
    const fields = entries.map(([name, type]) =>
      type === 'bytes' ? `decode(${name}, 'hex') AS ${name}` : name,
    );
    const types = entries.map(
      ([name, type]) => `${name} ${type === 'integer' ? 'bigint' : type === 'bytes' ? 'text' : type}`,
    );
    return `(SELECT ${fields.join(', ')} FROM json_to_recordset(?::json) AS r(${types.join(', ')})) AS ${alias}`;
  },
};

const numbered = new Map<string, string>();

/** SQL written with `?` placeholders as PostgreSQL's `$1, $2…` (string literals and quoted names left alone). */
export function numberPlaceholders(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    text = renumber(sql);
    if (numbered.size < 10_000) numbered.set(sql, text);
  }
  return text;
}

function renumber(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}
