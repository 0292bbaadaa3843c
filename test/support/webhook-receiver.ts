import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { freePort } from './ports.js';

export interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** What the receiver does with its n-th request (0-based): answer a status, maybe after a delay. */
export type Behaviour = (n: number) => { status: number; delayMs?: number };

/**
 * A real HTTP receiver on a loopback port, down until `start` and again after `stop`: every request it reads is
 * recorded with the status it answered.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private server: Server | null = null;

  private constructor(
    readonly port: number,
    public behaviour: Behaviour,
  ) {}

  static async on(behaviour: Behaviour): Promise<WebhookReceiver> {
    return new WebhookReceiver(await freePort(), behaviour);
  }

  get url() {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const { status, delayMs = 0 } = this.behaviour(this.received.length);
        this.received.push({
          at: Date.now(),
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          status,
        });
        const timer = setTimeout(() => response.writeHead(status).end('{}'), delayMs);
        response.on('close', () => clearTimeout(timer));
      });
    });
    this.server = server;
    return new Promise((resolve) => server.listen(this.port, '127.0.0.1', resolve));
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
