/**
 * Content coding (RFC 9110 §12.5.3): whether an Accept-Encoding header lets us send gzip. `gzip` (or `x-gzip`) with
 * a weight above 0 does; so does `*` when gzip is not named with weight 0.
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const weights = new Map<string, number>();
  for (const entry of text.split(',')) {
    const [name = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (name === '') continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isNaN(weight) ? 0 : weight);
  }
  const gzip = weights.get('gzip') ?? weights.get('x-gzip');
  if (gzip !== undefined) return gzip > 0;
  return (weights.get('*') ?? 0) > 0;
}
