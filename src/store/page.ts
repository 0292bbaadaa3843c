/** A page of a listing, and how to ask for the next one (keyset pagination: no counting, no offsets). */
export interface Page<T, K = number> {
  items: T[];
  /** Position of the last item, to continue after; null on the last page. The edge makes it an opaque cursor. */
  next: K | null;
}

export interface PageRequest<K = number> {
  /** Position after which to continue (decoded cursor); 0 (or '') for the first page. */
  after: K;
  limit: number;
}
