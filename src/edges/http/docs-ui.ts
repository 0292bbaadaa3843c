/**
 * The API reference at /docs: Swagger UI, made usable by everyone (axe-core: no serious or critical violation).
 * Its stock page fails on contrast (coloured method badges, green buttons), nests the operation's deep link in its
 * toggle button, and leaves its server picker unnamed; the "explore" top bar (an unlabelled URL box, a logo without
 * text) serves nothing here, the document being this server's own.
 */
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';

/** Colours of Swagger UI's, darkened to a contrast of at least 4.5:1 on white (and white on them). */
const CSS = `
.swagger-ui .opblock.opblock-get .opblock-summary-method{background:#1a5e9c}
.swagger-ui .opblock.opblock-post .opblock-summary-method{background:#1c7a4f}
.swagger-ui .opblock.opblock-put .opblock-summary-method{background:#9a5a00}
.swagger-ui .opblock.opblock-patch .opblock-summary-method{background:#1b7566}
.swagger-ui .opblock.opblock-delete .opblock-summary-method{background:#b3261e}
.swagger-ui .info hgroup small pre{background:#545b66}
.swagger-ui .info hgroup .version-stamp pre{background:#3b6300}
.swagger-ui .info .url{color:#1a5e9c}
.swagger-ui .btn.authorize{color:#1c7a4f;border-color:#1c7a4f}
.swagger-ui .btn.authorize svg{fill:#1c7a4f}
.swagger-ui .json-schema-2020-12-expand-deep-button{color:#505050}
.swagger-ui .parameter__in{color:#595959}
.swagger-ui .btn.try-out__btn.cancel{color:#b3261e;border-color:#b3261e}
.swagger-ui .btn.execute{background:#1a5e9c;border-color:#1a5e9c}
`;

/** Names what Swagger UI renders unnamed, as it renders it. */
const SCRIPT = `new MutationObserver(() => {
  for (const select of document.querySelectorAll('select#servers:not([aria-label])')) select.setAttribute('aria-label', 'Server');
  for (const row of document.querySelectorAll('tr[data-param-name]')) {
    for (const field of row.querySelectorAll('select:not([aria-label])')) field.setAttribute('aria-label', row.dataset.paramName);
  }
}).observe(document.documentElement, { childList: true, subtree: true });
`;

export const DOCS_UI: FastifySwaggerUiOptions = {
  routePrefix: '/docs',
  // Without deep links, an operation's path is text, not a link inside the button that opens the operation.
  uiConfig: { deepLinking: false, layout: 'BaseLayout' },
  theme: {
    title: 'robotid registry API',
    css: [{ filename: 'accessible.css', content: CSS }],
    js: [{ filename: 'accessible.js', content: SCRIPT }],
  },
};
