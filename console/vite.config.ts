// The console's own build (npm run build:console): a single-page application served by the registry at /console/
// (src/edges/http/routes/console.ts) from dist-console/, with content-hashed file names so that they can be cached
// for ever.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  resolve: {
    alias: [
      // The proof-bundle check is src/log's own (console/src/verify): what it takes from node:crypto, the browser
      // gets from console/src/verify/node-crypto.ts.
      {
        find: 'node:crypto',
        replacement: fileURLToPath(new URL('./src/verify/node-crypto.ts', import.meta.url)),
      },
      // exceljs's browser build without the polyfills of its default one (which patch the page's globals, and which
      // a current browser does not need): 20 kB less to load when an XLSX file is imported.
      { find: /^exceljs$/, replacement: 'exceljs/dist/exceljs.bare.min.js' },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL('../dist-console', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline script or data: module (the Content-Security-Policy allows neither).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: true,
  },
});
