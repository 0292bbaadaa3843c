// The files a bulk import reads (docs/console.md#bulk-import): NDJSON, one event per line in the wire shape of
// POST /v1/events; CSV and XLSX, a table with its headers on the first row. Each row keeps its number in the file
// (the header is row 1), so that the rejected-rows file can say which row it was. Pure and DOM-free, so that Node's
// test runner reads real files with it; exceljs is loaded only when an XLSX file is read (its own chunk).
import Papa from 'papaparse';
import type { Message } from './message.js';

export type Format = 'ndjson' | 'csv' | 'xlsx';

/** A table row: its number in the file and its cells, one per header; `problem` when it cannot be read. */
export interface TableRow {
  row: number;
  cells: string[];
  problem?: Message;
}

export interface Table {
  format: 'csv' | 'xlsx';
  headers: string[];
  rows: TableRow[];
}

/** An NDJSON line: its number, its text and, when it is a JSON object, that object. */
export interface Line {
  row: number;
  text: string;
  value?: Record<string, unknown>;
  problem?: Message;
}

export interface Lines {
  format: 'ndjson';
  lines: Line[];
}

export type ImportFile = Table | Lines;

/** The format a file's name says it is in; undefined for anything else. */
export function formatOf(name: string): Format | undefined {
  const extension = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (extension === 'ndjson' || extension === 'jsonl') return 'ndjson';
  if (extension === 'csv') return 'csv';
  if (extension === 'xlsx') return 'xlsx';
  return undefined;
}

export async function readImportFile(format: Format, bytes: Uint8Array): Promise<ImportFile> {
  if (format === 'xlsx') return parseXlsx(bytes);
  const text = new TextDecoder().decode(bytes);
  return format === 'csv' ? parseCsv(text) : parseNdjson(text);
}

/** The registry refuses a whole batch for a NUL character (docs/api.md), so a row holding one is refused here. */
const hasNul = (text: string) => text.includes('\u0000');
const unreadable: Message = { key: 'import.reasons.unreadable' };

export function parseNdjson(text: string): Lines {
  const lines: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\uFEFF/, '');
    if (line.trim() === '') return;
    const row = i + 1;
    if (hasNul(line)) return lines.push({ row, text: line, problem: unreadable });
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return lines.push({ row, text: line, problem: { key: 'import.reasons.notJson' } });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return lines.push({ row, text: line, problem: { key: 'import.reasons.notAnEvent' } });
    lines.push({ row, text: line, value: value as Record<string, unknown> });
  });
  return { format: 'ndjson', lines };
}

/** A table from its rows of cells (the first one the headers); blank rows are left out, numbers kept. */
function tableOf(format: Table['format'], grid: { row: number; cells: string[] }[]): Table {
  const [head, ...body] = grid;
  const headers = (head?.cells ?? []).map((h) => h.trim());
  while (headers.length > 0 && headers.at(-1) === '') headers.pop();
  const rows = body
    .filter(({ cells }) => cells.some((c) => c.trim() !== ''))
    .map(({ row, cells }): TableRow => {
      const extra = cells.slice(headers.length).some((c) => c.trim() !== '');
      const fitted = headers.map((_, i) => cells[i] ?? '');
      if (extra)
        return {
          row,
          cells: fitted,
          problem: {
            key: 'import.reasons.tooManyCells',
            values: { cells: cells.length, columns: headers.length },
          },
        };
      return hasNul(fitted.join('')) ? { row, cells: fitted, problem: unreadable } : { row, cells: fitted };
    });
  return { format, headers, rows };
}

/** CSV with the delimiter it uses (comma, semicolon, tab…), quotes as RFC 4180 has them; a BOM is dropped. */
export function parseCsv(text: string): Table {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
  const broken = new Set(parsed.errors.filter((e) => e.type === 'Quotes').map((e) => e.row));
  const table = tableOf(
    'csv',
    parsed.data.map((cells, i) => ({ row: i + 1, cells })),
  );
  // Papa counts data rows from 0, the header included: record i is row i + 1.
  for (const row of table.rows) if (broken.has(row.row - 1)) row.problem = unreadable;
  return table;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A spreadsheet cell as text. A date cell holds a wall-clock time without a zone (exceljs hands it over as that
 * time in UTC): written without an offset, so that it is read as the person's local time, like typed text.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const midnight = value.getUTCHours() + value.getUTCMinutes() + value.getUTCSeconds() === 0;
    return midnight
      ? date
      : `${date}T${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
  }
  if (typeof value !== 'object') return String(value);
  const cell = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
  if (cell.richText) return cell.richText.map((r) => r.text).join('');
  if (cell.text !== undefined) return cellText(cell.text);
  if ('result' in cell) return cellText(cell.result);
  return '';
}

/** The first worksheet of an XLSX workbook. */
export async function parseXlsx(bytes: Uint8Array): Promise<Table> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const grid: { row: number; cells: string[] }[] = [];
  sheet?.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value);
    });
    grid.push({ row: number, cells: Array.from(cells, (c) => c ?? '') });
  });
  return tableOf('xlsx', grid);
}
