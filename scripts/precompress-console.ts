// After `vite build` (npm run build:console): a Brotli (.br) and a gzip (.gz) copy beside each of the console's
// hashed assets, which the registry sends to browsers that accept them (@fastify/static's preCompressed,
// src/edges/http/routes/console.ts). Compressed once at the highest levels here rather than at every request.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** Text the browser loads; images and fonts of the build are compressed formats already. */
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.json', '.svg', '.txt', '.map', '.wasm']);

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * Writes `<file>.br` and `<file>.gz` beside each compressible file of `dir`, each only when smaller than the file
 * (else the file itself is served). Returns the files' sizes: raw, Brotli and gzip (the smaller of each and raw).
 */
export async function precompressAssets(dir: string) {
  const names = (await readdir(dir)).filter((name) => COMPRESSIBLE.has(extname(name)));
  const sizes = await Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      if (!(await stat(path)).isFile()) return { raw: 0, br: 0, gz: 0 };
      const raw = await readFile(path);
      const [br, gz] = await Promise.all([
        brotli(raw, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        }),
        gzipped(raw, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      if (br.length < raw.length) await writeFile(`${path}.br`, br);
      if (gz.length < raw.length) await writeFile(`${path}.gz`, gz);
      return { raw: raw.length, br: Math.min(br.length, raw.length), gz: Math.min(gz.length, raw.length) };
    }),
  );
  return sizes.reduce((a, b) => ({ raw: a.raw + b.raw, br: a.br + b.br, gz: a.gz + b.gz }), {
    raw: 0,
    br: 0,
    gz: 0,
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const assets = fileURLToPath(new URL('../dist-console/assets/', import.meta.url));
  const total = await precompressAssets(assets);
  const kB = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
  console.log(
    `precompressed dist-console/assets: ${kB(total.raw)} raw, ${kB(total.br)} Brotli, ${kB(total.gz)} gzip`,
  );
}
