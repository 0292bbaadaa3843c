/** One page of a list endpoint: its items and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Which page to fetch: `limit` when all pages are wanted, `cursor` after the first. */
export interface PageRequest {
  limit?: number;
  cursor?: string;
}

/** One page of a list endpoint, or with `all` every page (following `nextCursor`) joined into one. */
export async function listPages<T>(
  all: boolean,
  fetchPage: (request: PageRequest) => Promise<Page<T>>,
): Promise<Page<T>> {
  const limit = all ? 1000 : undefined;
  let page = await fetchPage({ limit });
  if (!all) return page;
  const items = [...page.items];
  while (page.nextCursor !== null) {
    page = await fetchPage({ limit, cursor: page.nextCursor });
    items.push(...page.items);
  }
  return { items, nextCursor: null };
}
