/**
 * Pages for people (the landing page, the scan page): one shell, in the reader's language. The language comes from
 * `?lang=` when the reader chose one with the switch, else from Accept-Language (any `zh…` range preferred over the
 * others: Chinese, else English), so every such answer varies on Accept-Language.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { escapeHtml } from './html.js';
import { PAGE_TEXTS, type Language } from './page-texts.js';
import { StringEnum } from './schemas.js';

export const LANGUAGES = ['en', 'zh'] as const satisfies readonly Language[];

/** The `lang` query parameter every page takes: the switch's choice, over Accept-Language. */
export const LanguageQuery = {
  lang: Type.Optional(StringEnum(LANGUAGES, { description: 'Page language, over Accept-Language' })),
};

/** The `<html lang>` of each language. */
const HTML_LANG: Record<Language, string> = { en: 'en', zh: 'zh-CN' };

/** Chinese when the reader's most preferred language range with q > 0 is `zh` or `zh-…`, else English. */
export function languageFromAcceptLanguage(header: string | undefined): Language {
  let best: { tag: string; q: number } | undefined;
  for (const part of (header ?? '').split(',')) {
    const [range = '', ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (range === '' || !(q > 0)) continue;
    if (best === undefined || q > best.q) best = { tag: range.toLowerCase(), q };
  }
  return best !== undefined && /^zh(-|$)/.test(best.tag) ? 'zh' : 'en';
}

export function pageLanguage(request: FastifyRequest<{ Querystring: { lang?: Language } }>): Language {
  return request.query.lang ?? languageFromAcceptLanguage(request.headers['accept-language']);
}

/** The switch to the other language: a link to the same page with `?lang=`. */
function languageSwitch(lang: Language): string {
  const other: Language = lang === 'zh' ? 'en' : 'zh';
  return `<nav class="lang"><a href="?lang=${other}" hreflang="${HTML_LANG[other]}" lang="${HTML_LANG[other]}">${escapeHtml(PAGE_TEXTS[other].languageName)}</a></nav>`;
}

const STYLE = `body{font:16px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
code{font:1.1em ui-monospace,monospace}dt{color:#555}dd{margin:0 0 .6rem}.lang{text-align:right}
.stop{background:#b00020;color:#fff;padding:1rem;border-radius:.4rem;font-weight:600}
.ok{color:#0a6b2e}.bad{color:#b00020;font-weight:600}input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}
button{font:inherit;padding:.4rem 1rem;margin-top:.4rem}`;

/**
 * A whole page: `title` is text, `body` is markup whose every text the caller escaped. The empty icon spares the
 * browser a request for /favicon.ico, which the registry does not have (a 404 in every page's console).
 */
export function htmlPage(lang: Language, title: string, body: string): string {
  return `<!doctype html><html lang="${HTML_LANG[lang]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<link rel="icon" href="data:,"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${languageSwitch(lang)}<main>${body}</main></body></html>`;
}

/** Adds to the Vary header (another hook may have set one, e.g. CORS's `Origin`). */
export function vary(reply: FastifyReply, header: string) {
  const prior = reply.getHeader('vary');
  reply.header('vary', prior === undefined || prior === '' ? header : `${String(prior)}, ${header}`);
}

/** Sends a page; it depends on Accept-Language, which caches must key on. */
export function sendPage(reply: FastifyReply, html: string, status = 200) {
  vary(reply, 'Accept-Language');
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** A page as OpenAPI documents it. */
export const HtmlPage = Type.String({ description: 'A page for people' });
