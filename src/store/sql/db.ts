/**
 * The dialect seam (as Kysely draws it): queries are written once, with `?` placeholders, against `Db`; each adapter
 * implements `Db` over its driver and supplies a `Dialect` for the few expressions the two databases spell
 * differently. Everything else that differs (connections, transactions, the writer thread, migrations, leadership,
 * replicas, backups, and the handful of queries whose SQL must differ) stays in the adapter's own folder.
 */

/** What the two SQL dialects spell differently. Only what queries written once need; extend with care. */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** Makes a text expression compare by its bytes (PostgreSQL's default collation is the locale's). */
  byteOrder(expression: string): string;
  /**
   * A list sent as one `?` parameter (`listValue`), as a FROM item: rows `a(value)` to join with, a driving table.
   * (PostgreSQL rechecks `= ANY(array)` against the whole array for every row it filters.)
   */
  readonly rowsOfList: string;
  /** `expression` is one of the list sent as one `?` parameter (`listValue`), of texts or of integers. */
  inList(expression: string, of?: 'text' | 'integer'): string;
  /** The one parameter `rowsOfList` and `inList` take. */
  listValue(items: readonly (string | number)[]): unknown;
  /**
   * Many rows sent as one `?` parameter (a JSON array of objects, `JSON.stringify`d; Buffers as hex strings), as a
   * FROM item named `alias` with these typed columns, in the array's order: one statement for a batch, written once.
   */
  jsonRecords(alias: string, columns: Record<string, ColumnType>): string;
  /** A text field of a JSON document stored as TEXT. `field` is a fixed name, never input. */
  jsonText(column: string, field: string): string;
  /**
   * A boolean column is true, spelled as each database's partial indexes on it say it (`late = 1` / `WHERE late`):
   * only that spelling, not a parameter, lets the planner use such an index.
   */
  isTrue(column: string): string;
  /**
   * The text `expression` contains the text of the one `?` parameter, letter case ignored (Unicode lower case on both:
   * SQLite's own lower() knows only ASCII). A plain substring: `%` and `_` are not patterns.
   */
  containsIgnoringCase(expression: string): string;
}

/** A column's type in `jsonRecords`: bytes travel as hex text. */
export type ColumnType = 'text' | 'integer' | 'boolean' | 'bytes';

/** The outcome of a statement that returns no rows. */
export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

/**
 * One database connection (or pool) as queries see it: asynchronous so that a database server fits; SQLite answers
 * at once. Parameters are `?`; booleans are sent as the database's own (SQLite: 1 and 0), and come back as they are
 * stored (SQLite: 1 and 0; map them with `Boolean`). JSON is TEXT in both. BIGINT and INTEGER come back as numbers.
 */
export interface Db {
  readonly dialect: Dialect;
  /** Rows of a fixed SQL text (prepared once and kept). */
  all<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** The first row, if any. */
  get<Row>(sql: string, params?: readonly unknown[]): Promise<Row | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<RunResult>;
  /** Rows of SQL built for this one call (a search's filters): not kept as a prepared statement. */
  adHoc<Row>(sql: string, params: readonly unknown[]): Promise<Row[]>;
}
