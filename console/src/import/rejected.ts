// The registry's answer to a batch (POST /v1/events with GS1-Capture-Error-Behaviour: proceed) as refusals of the
// rows it came from, and the rejected-rows file the person downloads: each rejected row as the file had it, with
// its row number, the field at fault and the reason in the person's language (docs/console.md#bulk-import). Pure,
// so that Node's test runner checks it.
import Papa from 'papaparse';
import type { paths } from '../api/schema.js';
import type { Line, Table } from './formats.js';
import type { Message } from './message.js';
import { localMessage, pointerToPath } from '../problems.js';
import type { Refused } from './rows.js';

/** The answer to POST /v1/events (201 when all were recorded, 200 otherwise: the same shape). */
export type CaptureResult = paths['/v1/events']['post']['responses'][200]['content']['application/json'];

/** An issue the registry named, as a message: the console's words for it where it has them (problems.ts). */
function messageOf(text: string): Message {
  const local = localMessage(text);
  return local ? { key: local.key, values: local.values } : { text };
}

/**
 * The refusals among a batch's results. `rows[i]` is the row the batch's i-th event came from; `fieldName` names a
 * field of the event (its path: ['payload', 'kind']) as the person knows it, say by the column mapped to it.
 */
export function refusalsOf(
  result: CaptureResult,
  rows: number[],
  fieldName: (path: (string | number)[]) => string,
): Refused[] {
  return result.results.flatMap((r) => {
    if (r.outcome !== 'rejected' || !r.problem) return [];
    // Each issue's pointer is into the batch (/events/3/payload/kind); what follows /events/3 is the event's field.
    const issues = r.problem.fields.map((f) => ({
      path: pointerToPath(f.field).slice(2),
      message: f.message,
    }));
    const named = issues.filter((i) => i.path.length > 0);
    const field = [...new Set(named.map((i) => fieldName(i.path)))].join(', ');
    const reasons = named.length > 0 ? named.map((i) => messageOf(i.message)) : [{ text: r.problem.message }];
    return [{ row: rows[r.index]!, refusal: { field, reason: joined(reasons) } }];
  });
}

/**
 * For a table: a field of the event (['payload', 'kind']) by the header of the column mapped to it, else by its
 * dotted path (payload.kind).
 */
export const columnNamer =
  (headers: string[], columns: (string | null)[]) =>
  (path: (string | number)[]): string => {
    const dotted = path.join('.');
    const column = columns.indexOf(dotted);
    return column >= 0 ? headers[column]! : dotted;
  };

/** Several messages as one (a row may break several rules). */
const joined = (messages: Message[]): Message => (messages.length === 1 ? messages[0]! : { all: messages });

const byRow = (refused: Refused[]) => [...refused].sort((a, b) => a.row - b.row);

/**
 * The rejected rows of a table (CSV or XLSX) as CSV: its headers and `row`, `field`, `reason`; each rejected row's
 * cells as read. A byte-order mark first, so that spreadsheet programs read it as UTF-8.
 */
export function rejectedCsv(table: Table, refused: Refused[], say: (m: Message) => string): string {
  const cells = new Map(table.rows.map((r) => [r.row, r.cells]));
  const rows = byRow(refused).map(({ row, refusal }) => [
    ...(cells.get(row) ?? table.headers.map(() => '')),
    String(row),
    refusal.field,
    say(refusal.reason),
  ]);
  return `\uFEFF${Papa.unparse([[...table.headers, 'row', 'field', 'reason'], ...rows], { newline: '\r\n' })}\r\n`;
}

/**
 * The rejected lines of an NDJSON file as NDJSON: `{ row, field, reason, event }`, the event as the line held it
 * (or `line`, its text, when it was not JSON).
 */
export function rejectedNdjson(lines: Line[], refused: Refused[], say: (m: Message) => string): string {
  const byNumber = new Map(lines.map((l) => [l.row, l]));
  return byRow(refused)
    .map(({ row, refusal }) => {
      const line = byNumber.get(row);
      const original = line?.value ? { event: line.value } : { line: line?.text ?? '' };
      return `${JSON.stringify({ row, field: refusal.field, reason: say(refusal.reason), ...original })}\n`;
    })
    .join('');
}
