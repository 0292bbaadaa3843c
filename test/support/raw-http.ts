import type { Agent } from 'node:http';
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface RawRequest {
  method: string;
  /** Sent exactly as given (no normalisation, no encoding): what an attacker's client can put on the wire. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * The headers with the body's length when the caller set no framing. node:http frames a body itself only for
 * methods that usually carry one: a body sent with OPTIONS or GET would go out unframed, and the server would
 * rightly read it as a second, malformed request.
 */
function framed(req: RawRequest): Record<string, string> | undefined {
  if (req.body === undefined) return req.headers;
  const names = Object.keys(req.headers ?? {}).map((name) => name.toLowerCase());
  if (names.includes('content-length') || names.includes('transfer-encoding')) return req.headers;
  return { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) };
}

/**
 * One HTTP/1.1 request with node:http, which leaves the path as it is (fetch would normalise it). A connection
 * the server closes without an answer resolves as status 0.
 */
export function rawRequest(port: number, req: RawRequest, agent?: Agent): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: req.path,
        headers: framed(req),
        agent: agent ?? false,
        insecureHTTPParser: true,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    outgoing.setTimeout(30_000, () =>
      outgoing.destroy(new Error(`no answer in 30 s: ${req.method} ${req.path}`)),
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE')
        resolve({ status: 0, headers: {}, body: Buffer.alloc(0) });
      else reject(error);
    });
    outgoing.end(req.body);
  });
}
