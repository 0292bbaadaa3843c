/** RFC 8785 canonical JSON: what hashes and the transparency log commit to, byte for byte. */
import canonicalizeModule from 'canonicalize';

// The package is CommonJS (`module.exports = fn`) but its types declare a default export.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/** Canonical JSON of a JSON value. */
export const canonicalJson = (value: unknown): string => canonicalize(value)!;
