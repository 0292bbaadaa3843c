import { CliError, ExitCode, exitCodeForStatus } from './exit-codes.js';

/** An RFC 9457 problem document as the registry sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field: string; message: string; position?: number }[];
}

/** The registry answered with an error status; `problem` is its problem document when it sent one. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    const message = problem?.detail ?? problem?.title ?? `the registry answered HTTP ${status}`;
    const lines = new Set((problem?.errors ?? []).map((f) => `${f.field}: ${f.message}`));
    lines.delete(message); // already said as the headline
    super(exitCodeForStatus(status), message, [...lines]);
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

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** `required`: fail with exit code 4 before sending when no key is configured. Default `optional`. */
  auth?: Auth;
  timeoutMs?: number;
  /** Further request headers, e.g. GS1-Capture-Error-Behaviour. */
  headers?: Record<string, string>;
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

/** A small JSON client for the registry API: bearer key, problem documents as typed errors, exit codes. */
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

  /** A JSON request; resolves to the parsed body of a 2xx answer. */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const { body } = await this.send(method, path, options, 'application/json');
    const text = body.toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(
        ExitCode.unavailable,
        `${this.baseUrl} did not answer with JSON: is it a robotid registry?`,
      );
    }
  }

  /** A download (labels): the bytes and their media type. */
  async bytes(path: string, options: RequestOptions = {}): Promise<{ data: Buffer; contentType: string }> {
    const { body, contentType } = await this.send('GET', path, options, '*/*');
    return { data: body, contentType };
  }

  private async send(method: string, path: string, options: RequestOptions, accept: string) {
    if (options.auth === 'required' && this.key === undefined) {
      throw new CliError(
        ExitCode.auth,
        'no API key configured: pass --key, set ROBOTID_API_KEY, or run `robotid login --key <key>`',
      );
    }
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { ...options.headers, accept };
    if (this.key !== undefined) headers.authorization = `Bearer ${this.key}`;
    if (this.purpose !== undefined) headers['robotid-purpose'] = this.purpose;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let response: Response;
    let body: Buffer;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      throw new NetworkError(
        `cannot reach the registry at ${this.baseUrl}: ${networkReason(error, timeoutMs)}`,
      );
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (!response.ok) throw new ApiError(response.status, parseProblem(body, contentType));
    return { body, contentType };
  }
}

function parseProblem(body: Buffer, contentType: string): Problem | null {
  if (!contentType.includes('json')) return null;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Problem) : null;
  } catch {
    return null;
  }
}
