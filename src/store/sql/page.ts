import type { Page } from '../page.js';

/**
 * A page query's rows: `limit + 1` were asked for, so that a next page can be told without counting. `next` is the
 * position of the page's last row (its `seq`, unless `position` says otherwise).
 */
export function pageOf<Row, T, K = number>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
  position: (row: Row) => K = (row) => (row as { seq: K }).seq,
): Page<T, K> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(map), next: more && kept.length > 0 ? position(kept[kept.length - 1]!) : null };
}
