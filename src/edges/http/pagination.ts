import { invalid, type FieldIssue } from '../../domain/errors.js';
import type { Page, PageRequest } from '../../store/store.js';

/** Cursors are opaque to clients: base64url of the position after which the next page starts. */
export function decodePage(query: { cursor?: string; limit?: number }): PageRequest {
  const limit = query.limit ?? 100;
  if (query.cursor === undefined) return { after: 0, limit };
  const decoded = Buffer.from(query.cursor, 'base64url').toString('utf8');
  const match = /^p(\d{1,15})$/.exec(decoded);
  if (!match) {
    const issue: FieldIssue = { field: 'query:/cursor', message: 'not a cursor this API handed out' };
    throw invalid('invalid-cursor', 'the cursor is malformed', [issue]);
  }
  return { after: Number(match[1]), limit };
}

export const encodePage = <T>(page: Page<T>) => ({
  items: page.items,
  nextCursor: page.next === null ? null : Buffer.from(`p${page.next}`).toString('base64url'),
});
