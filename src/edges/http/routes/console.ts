import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendProblem } from '../problems.js';

/**
 * Where `npm run build:console` writes the console (console/vite.config.ts): dist-console/ at the package root,
 * four folders up from this file both as source (src/edges/http/routes) and as built (dist/edges/http/routes).
 */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../../dist-console/', import.meta.url));

/** Where the console is served. */
export const CONSOLE_PATH = '/console/';

/** Vite's content-hashed files: a changed file gets a new name, so each name can be cached for ever. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The nonce placeholder in console/index.html, replaced for each response. */
const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/**
 * No inline script at all, and styles only from the console's own files or carrying this response's nonce: antd
 * writes its styles at run time (CSS-in-JS) and puts the nonce the page hands it on each of them (console/src/app.tsx).
 * Images may be data: URLs (the TOTP QR code is drawn in the page). No plug-ins, no framing, no <base> elsewhere.
 */
export const consoleCsp = (nonce: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');

export interface ConsoleOptions {
  /** The built console (index.html and assets/); DEFAULT_CONSOLE_DIR when not given. */
  dir?: string;
}

/**
 * `/console/`: the registry console, a single-page application. Its hashed assets are files; any other path under
 * /console/ is one of its pages, answered with index.html so that a page's address can be reloaded or shared.
 * Before `npm run build:console` has run there is nothing to serve: 503 `console-not-built`.
 */
export async function consoleRoutes(app: FastifyInstance, options: ConsoleOptions = {}) {
  const dir = options.dir ?? DEFAULT_CONSOLE_DIR;
  const assets = join(dir, 'assets');
  let index: string | undefined;
  /** index.html, read once it exists (the console may be built while the registry runs). */
  const indexHtml = () => {
    if (index === undefined && existsSync(join(dir, 'index.html')))
      index = readFileSync(join(dir, 'index.html'), 'utf8');
    return index;
  };

  const notBuilt = (request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(
      request,
      reply,
      503,
      'console-not-built',
      'The console has not been built on this server: run `npm run build:console` (npm install does it)',
    );

  if (existsSync(assets))
    await app.register(fastifyStatic, {
      root: assets,
      prefix: `${CONSOLE_PATH}assets/`,
      decorateReply: false,
      index: false,
      wildcard: true,
      cacheControl: false,
      // The .br and .gz copies npm run build:console writes beside each asset, to browsers that accept them
      // (Vary: Accept-Encoding); the file itself to others.
      preCompressed: true,
      etag: true,
      lastModified: false,
      setHeaders: (reply) => {
        reply.header('cache-control', IMMUTABLE);
        reply.header('x-content-type-options', 'nosniff');
      },
    });
  else
    app.get(`${CONSOLE_PATH}assets/*`, { schema: { hide: true } }, async (request, reply) =>
      notBuilt(request, reply),
    );

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const html = indexHtml();
    if (html === undefined) return notBuilt(request, reply);
    const nonce = randomBytes(16).toString('base64');
    return reply
      .header('content-security-policy', consoleCsp(nonce))
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .type('text/html; charset=utf-8')
      .send(html.replaceAll(NONCE_PLACEHOLDER, nonce));
  };
  app.get('/console', { schema: { hide: true } }, async (_request, reply) =>
    reply.code(301).header('location', CONSOLE_PATH).send(),
  );
  app.get(CONSOLE_PATH, { schema: { hide: true } }, page);
  app.get(`${CONSOLE_PATH}*`, { schema: { hide: true } }, page);
}
