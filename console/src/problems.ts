// RFC 9457 problem documents as the console shows them: the problem's code, and each `errors` entry's JSON Pointer
// (RFC 6901) turned into the path of the form field it names. Pure, so that Node's test runner can check it.

/** `urn:robotid:problem:<code>` → `<code>`; undefined for anything else. */
export function problemCode(type: string | undefined): string | undefined {
  const prefix = 'urn:robotid:problem:';
  return type?.startsWith(prefix) ? type.slice(prefix.length) : undefined;
}

/**
 * The whole minutes a refusal's Retry-After (in seconds, RFC 9110) asks to wait, rounded up and at least 1: what a
 * locked sign-in tells the person. Without a usable header, 1.
 */
export function retryAfterMinutes(headers: Headers): number {
  const seconds = Number(headers.get('retry-after') ?? Number.NaN);
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds / 60)) : 1;
}

/** A JSON Pointer as a form field path: `/payload/replaced/0/new/serial` → ['payload', 'replaced', 0, 'new', 'serial']. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  const tokens = (pointer.startsWith('/') ? pointer.slice(1) : pointer).split('/');
  return tokens.map((token) => {
    const name = token.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^(0|[1-9][0-9]*)$/.test(name) ? Number(name) : name;
  });
}

export interface FieldProblem {
  path: (string | number)[];
  message: string;
}

/** The problem's field errors, each with the path of the field it names (relative to `under`, if given). */
export function fieldProblems(
  errors: readonly { field: string; message: string }[] | undefined,
  under: (string | number)[] = [],
): FieldProblem[] {
  return (errors ?? []).map((e) => {
    const path = pointerToPath(e.field);
    const relative = under.every((part, i) => path[i] === part) ? path.slice(under.length) : path;
    return { path: relative, message: e.message };
  });
}

/**
 * The registry's wording of the commonest field errors, as a message key of the console and its values, so that
 * they read in the user's language; undefined for the rest (shown as the registry wrote them).
 */
export function localMessage(message: string): { key: string; values: Record<string, string> } | undefined {
  if (message === 'is required') return { key: 'errors.fieldRequired', values: {} };
  const oneOf = /^must be one of: (.*)$/.exec(message);
  if (oneOf) return { key: 'errors.fieldOneOf', values: { values: oneOf[1]! } };
  return undefined;
}
