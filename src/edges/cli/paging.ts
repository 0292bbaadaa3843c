import type { Page } from './api-types.js';
import type { ApiClient, Auth } from './client.js';

/** One page of a list endpoint, or with `all` every page (following `nextCursor`) joined into one. */
export async function listPages<T>(
  client: ApiClient,
  path: string,
  query: Record<string, string | undefined>,
  options: { all: boolean; auth: Auth; headers?: Record<string, string> },
): Promise<Page<T>> {
  const limit = options.all ? 1000 : undefined;
  const { auth, headers } = options;
  let page = await client.json<Page<T>>('GET', path, { query: { ...query, limit }, auth, headers });
  if (!options.all) return page;
  const items = [...page.items];
  while (page.nextCursor !== null) {
    page = await client.json<Page<T>>('GET', path, {
      query: { ...query, limit, cursor: page.nextCursor },
      auth,
      headers,
    });
    items.push(...page.items);
  }
  return { items, nextCursor: null };
}
