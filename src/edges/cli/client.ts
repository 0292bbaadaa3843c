import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { CliError, ExitCode, exitCodeForStatus } from './exit-codes.js';
import type { components, paths } from './generated/openapi.js';

/**
 * The registry's API as openapi-fetch types it from the generated contract (`npm run openapi`). A call's data is
 * its `application/json` answer (what a JSON call asks for), or with `parseAs` its text or bytes; error answers
 * (`application/problem+json`) never reach the data: they are thrown as ApiError.
 */
export type Api = Client<paths, 'application/json'>;

/**
 * An RFC 9457 problem document as the registry sends it; every member optional, since it is read from whatever
 * answered with an error status.
 */
export type Problem = Partial<components['schemas']['Problem']>;

/** The registry answered with an error status; `problem` is its problem document when it sent one. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    const message = problem?.detail ?? problem?.title ?? `the registry answered HTTP ${status}`;
    const lines = new Set((problem?.errors ?? []).map((f) => `${f.field}: ${f.message}`));
    lines.delete(message); // already said as the headline
    super(exitCodeForStatus(status, problem?.type), message, [...lines]);
    this.name = 'ApiError';
  }
}

/** The request did not get an answer: connection refused, reset, timed out. Safe to retry if idempotent. */
export class NetworkError extends CliError {
  constructor(message: string) {
    super(ExitCode.unavailable, message);
    this.name = 'NetworkError';
  }
}

export type Auth = 'required' | 'optional';

export interface CallOptions {
  /** `required`: fail with exit code 4 before sending when no key is configured. Default `optional`. */
  auth?: Auth;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'the connection closed before an answer',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code;
  if (code) return REASONS[code] ? `${REASONS[code]} (${code})` : code;
  return cause?.message ?? (error as Error).message;
}

/** Parses and checks `--url`: http(s) only, no trailing slash. */
export function normaliseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(ExitCode.usage, `not a URL: ${raw} (expected e.g. http://127.0.0.1:8080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(ExitCode.usage, `the registry URL must be http or https, got ${raw}`);
  }
  return url.href.replace(/\/+$/, '');
}

/** What a call through the generated client resolves to (openapi-fetch's answer, narrowed to what we read). */
type Answer<D> = Promise<{ data?: D; response: Response }>;

/**
 * The registry's API for the CLI: openapi-fetch over the generated contract, with the bearer key and the reading
 * purpose sent, error statuses thrown as ApiError (the problem document attached), no answer as NetworkError.
 */
export class ApiClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly key: string | undefined,
    private readonly purpose?: string,
  ) {
    this.baseUrl = normaliseBaseUrl(baseUrl);
  }

  get hasKey(): boolean {
    return this.key !== undefined;
  }

  /**
   * Sends what `send` asks of the API; resolves to the body of the 2xx answer (parsed as the call's `parseAs`,
   * JSON by default).
   */
  async call<D>(send: (api: Api) => Answer<D>, options: CallOptions = {}): Promise<D> {
    return (await this.answer(send, options)).data;
  }

  /** As `call`, with the answer's headers (a `Link` to the next page). */
  async answer<D>(
    send: (api: Api) => Answer<D>,
    options: CallOptions = {},
  ): Promise<{ data: D; headers: Headers }> {
    const { data, response } = await this.exchange(send, options);
    // Every 2xx answer of the contract has a body: an empty one is no registry's (the client leaves data undefined).
    if (data === undefined) throw this.notARegistry();
    return { data, headers: response.headers };
  }

  /**
   * The headers of `OPTIONS <path>`: the EPCIS binding's discovery (capture limits), which the contract does not
   * list (an OPTIONS is answered before authentication). Null when the registry answered with an error status.
   */
  async discover(path: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Headers | null> {
    const response = await this.fetchWhole(
      new Request(`${this.baseUrl}${path}`, { method: 'OPTIONS' }),
      timeoutMs,
    );
    return response.ok ? response.headers : null;
  }

  /** A download (labels, notes, bundles): the answer's bytes and media type. */
  async download(
    send: (api: Api) => Answer<ArrayBuffer>,
    options: CallOptions = {},
  ): Promise<{ data: Buffer; contentType: string }> {
    const { data, response } = await this.exchange(send, options);
    return {
      data: Buffer.from(data ?? new ArrayBuffer(0)),
      contentType: response.headers.get('content-type') ?? '',
    };
  }

  private async exchange<D>(send: (api: Api) => Answer<D>, options: CallOptions) {
    if (options.auth === 'required' && this.key === undefined) {
      throw new CliError(
        ExitCode.auth,
        'no API key configured: pass --key, set ROBOTID_API_KEY, or run `robotid login --key <key>`',
      );
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const api = createClient<paths, 'application/json'>({
      baseUrl: this.baseUrl,
      headers: {
        authorization: this.key === undefined ? undefined : `Bearer ${this.key}`,
        'robotid-purpose': this.purpose,
      },
      fetch: (request) => this.fetchWhole(request, timeoutMs),
    });
    api.use(acceptByParseAs, errorStatusAsApiError);
    try {
      return await send(api);
    } catch (error) {
      // openapi-fetch parses a 2xx body as JSON unless the call says otherwise: this was no robotid registry.
      if (!(error instanceof SyntaxError)) throw error;
      throw this.notARegistry();
    }
  }

  private notARegistry(): CliError {
    return new CliError(
      ExitCode.unavailable,
      `${this.baseUrl} did not answer with JSON: is it a robotid registry?`,
    );
  }

  /** fetch, reading the whole body before it returns, so that a connection lost midway is a NetworkError too. */
  private async fetchWhole(request: Request, timeoutMs: number): Promise<Response> {
    try {
      const response = await fetch(request, { signal: AbortSignal.timeout(timeoutMs) });
      const body = await response.arrayBuffer();
      const { status, statusText, headers } = response;
      return new Response(body.byteLength === 0 ? null : body, { status, statusText, headers });
    } catch (error) {
      throw new NetworkError(
        `cannot reach the registry at ${this.baseUrl}: ${networkReason(error, timeoutMs)}`,
      );
    }
  }
}

/** JSON calls ask for JSON (some routes also speak HTML); text and byte downloads take what the route serves. */
const acceptByParseAs: Middleware = {
  onRequest({ request, options }) {
    if (!request.headers.has('accept'))
      request.headers.set('accept', options.parseAs === 'json' ? 'application/json' : '*/*');
    return request;
  },
};

const errorStatusAsApiError: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw new ApiError(response.status, await problemOf(response));
    return undefined;
  },
};

async function problemOf(response: Response): Promise<Problem | null> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return null;
  try {
    const parsed: unknown = JSON.parse(await response.text());
    return typeof parsed === 'object' && parsed !== null ? (parsed as Problem) : null;
  } catch {
    return null;
  }
}
