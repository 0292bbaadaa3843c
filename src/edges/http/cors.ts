import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { PURPOSE_HEADER_KEY } from './purpose.js';
import { COMMIT_POSITION_HEADER, READ_AFTER_HEADER } from './read-scope.js';

/**
 * Cross-origin reads and writes from any web page (docs/api.md, "Browsers"): a foreign inspector's verifier page
 * reads the log and public records; a web app that holds its own API key sends it like any other client.
 * This is safe because the only ambient credential, the console's session cookie, never works for another site: it
 * is SameSite=Strict, a change it authenticates must carry the registry's own Origin (auth.ts), and credentialed
 * CORS (Access-Control-Allow-Credentials) is never answered, so no other page reads what it returns. A key is only
 * ever sent explicitly (`Authorization: Bearer …`), which another site's page cannot do with a key it does not have.
 * Every OPTIONS request is answered (204), with or without Origin: a preflight is never a 404.
 */
export async function installCors(app: FastifyInstance) {
  await app.register(cors, {
    origin: '*',
    credentials: false,
    strictPreflight: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'authorization',
      'content-type',
      PURPOSE_HEADER_KEY,
      READ_AFTER_HEADER,
      'gs1-capture-error-behaviour',
      'gs1-epcis-version',
      'gs1-cbv-version',
      'x-request-id',
    ],
    // Beyond the CORS-safelisted response headers, those a client acts on.
    exposedHeaders: [
      COMMIT_POSITION_HEADER,
      'retry-after',
      'www-authenticate',
      'location',
      'content-disposition',
      'server-timing',
      'gs1-epcis-version',
      'gs1-cbv-version',
      'gs1-epcis-capture-limit',
      'gs1-epcis-capture-file-size-limit',
      'gs1-capture-error-behaviour',
    ],
    maxAge: 7200,
  });
}
