// Module hooks of bench/compiled.mjs: src/<path>.ts resolves to dist/<path>.js.
const src = new URL('../src/', import.meta.url).href;
const dist = new URL('../dist/', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (!resolved.url.startsWith(src)) return resolved;
  return { url: dist + resolved.url.slice(src.length).replace(/\.ts$/, '.js'), format: 'module' };
}
