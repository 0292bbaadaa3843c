/** What every answer must be: declared status, declared media type, valid against its schema, errors as problems. */
import type { RawResponse } from '../support/raw-http.js';
import { routeOf, type Operation, type Spec } from './spec.js';
import type { FuzzRequest } from './requests.js';

const PROBLEM = 'application/problem+json';
/**
 * Answers with no route behind them: the router's 404, or what is checked before routing (the path's encoding
 * and length, the size of the headers, the key and RobotID-Purpose).
 */
const UNROUTED = new Set([400, 401, 404, 408, 414, 431]);

export const mediaTypeOf = (response: RawResponse) =>
  String(response.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();

const isBadUrl = (response: RawResponse) =>
  response.status === 400 && response.body.toString().includes('"urn:robotid:problem:bad-url"');

/**
 * The faults of one answer, as sentences; none when it is as the document says. `op`: the operation the request
 * was meant for (by default the one the router sends its path to).
 */
export function violations(
  spec: Spec,
  request: Pick<FuzzRequest, 'method' | 'path'>,
  response: RawResponse,
  op: Operation | undefined = routeOf(spec, request.method, request.path),
): string[] {
  const { status } = response;
  if (status === 0) return ['the connection closed without an answer'];
  // Any OPTIONS is a CORS preflight, answered for every path (cors.ts) and not an operation of the document;
  // only a path that is not a URL at all (bad percent-encoding) is refused first, as for every method.
  if (request.method === 'OPTIONS')
    return status === 204 || isBadUrl(response) ? [] : [`OPTIONS answered ${status}, not 204`];
  const faults: string[] = [];
  if (status >= 500) faults.push(`server error ${status}`);
  const media = mediaTypeOf(response);
  const declared = op?.responses.get(status);
  if (!op) {
    if (!UNROUTED.has(status)) faults.push(`${status} for a path no operation serves`);
  } else if (!declared) {
    faults.push(`status ${status} is not declared for ${op.id}`);
  }
  if (status >= 400 && media !== PROBLEM && !declared?.has(media)) {
    faults.push(`error ${status} is ${media || 'untyped'}, not ${PROBLEM}`);
  }
  // A status declared without content (204 No Content) is answered with none: no media type to match.
  const noContent = declared?.size === 0 && response.body.length === 0;
  if (declared && !noContent && !declared.has(media)) {
    faults.push(`${status} answered as ${media || 'untyped'}; declared: ${[...declared.keys()].join(', ')}`);
  }
  const text = response.body.toString('utf8');
  if (media.endsWith('json')) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [...faults, `${media} body is not JSON: ${text.slice(0, 80)}`];
    }
    if (media === PROBLEM) faults.push(...problemFaults(body, status));
    const validate = declared?.get(media);
    if (validate && !validate(body)) {
      const first = validate.errors?.slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message}`);
      faults.push(`${status} ${media} body does not match its schema: ${first?.join('; ')}`);
    }
  }
  return faults;
}

function problemFaults(body: unknown, status: number): string[] {
  const problem = body as { type?: unknown; title?: unknown; status?: unknown };
  const faults: string[] = [];
  if (typeof problem?.type !== 'string' || !problem.type.startsWith('urn:robotid:problem:')) {
    faults.push('problem without a urn:robotid:problem: type');
  }
  if (typeof problem?.title !== 'string') faults.push('problem without a title');
  if (problem?.status !== status) faults.push(`problem status ${String(problem?.status)} ≠ HTTP ${status}`);
  return faults;
}
