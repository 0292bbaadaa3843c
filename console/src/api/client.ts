// The registry's API as the console calls it: openapi-fetch over the types generated from openapi.json
// (schema.ts, `npm run openapi`). The session cookie goes with every request to the registry's own origin and
// nowhere else; no token is kept in the page.
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });

export type Problem = components['schemas']['Problem'];

/** What a failed call throws, so that TanStack Query hands it to the page as `error`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** The data of an openapi-fetch answer, or an ApiError carrying its problem document. */
export function ok<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.response.ok && answer.data !== undefined) return answer.data;
  if (answer.response.ok) return undefined as T; // 204
  throw new ApiError(answer.response.status, answer.error as Problem | undefined);
}
