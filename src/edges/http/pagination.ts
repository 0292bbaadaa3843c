import { invalid } from '../../domain/errors.js';
import type { Page, PageRequest } from '../../store/store.js';

/** Cursors are opaque to clients: base64url of the position after which the next page starts. */
function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

const badCursor = () =>
  invalid('invalid-cursor', 'the cursor is malformed', [
    { field: 'query:/cursor', message: 'not a cursor this API handed out' },
  ]);

/** Lists ordered by a sequence number. */
export function decodePage(query: { cursor?: string; limit?: number }): PageRequest {
  const limit = query.limit ?? 100;
  if (query.cursor === undefined) return { after: 0, limit };
  const match = /^p(\d{1,15})$/.exec(decodeCursor(query.cursor));
  if (!match) throw badCursor();
  return { after: Number(match[1]), limit };
}

/** Lists ordered by a text key (robot IDs). */
export function decodeKeyPage(query: { cursor?: string; limit?: number }): PageRequest<string> {
  const limit = query.limit ?? 100;
  if (query.cursor === undefined) return { after: '', limit };
  const match = /^k([0-9A-Z]{1,64})$/.exec(decodeCursor(query.cursor));
  if (!match) throw badCursor();
  return { after: match[1]!, limit };
}

export const encodePage = <T, K extends number | string>(page: Page<T, K>) => ({
  items: page.items,
  nextCursor:
    page.next === null
      ? null
      : Buffer.from(`${typeof page.next === 'number' ? 'p' : 'k'}${page.next}`).toString('base64url'),
});
