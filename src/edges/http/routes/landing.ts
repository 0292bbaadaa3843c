import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { escapeHtml } from '../html.js';
import { HtmlPage, LanguageQuery, htmlPage, pageLanguage, sendPage } from '../page.js';
import { PAGE_TEXTS, type Language } from '../page-texts.js';
import { KEY_OPTIONAL, problemResponses, withMediaType } from '../schemas.js';

const EXAMPLE_ID = 'CN-7K2A-H1X9B4-R0000000000000123-5F';

export interface LandingOptions {
  /** Where the registry console is served (its own /console/, or ROBOTID_CONSOLE_URL); no link when not given. */
  consoleUrl?: string;
}

/** What a newcomer sees at `/`: what this is, a box that looks a robot up, where the API and console are. */
function landingPage(lang: Language, { consoleUrl }: LandingOptions): string {
  const t = PAGE_TEXTS[lang].landing;
  const link = (href: string, text: string) =>
    `<li><a href="${escapeHtml(href)}">${escapeHtml(text)}</a></li>`;
  const console = consoleUrl === undefined ? '' : link(consoleUrl, t.console);
  return htmlPage(
    lang,
    t.title,
    `<h1>${escapeHtml(t.heading)}</h1><p>${escapeHtml(t.about)}</p>
<form action="/r" method="get"><label for="id">${escapeHtml(t.lookupLabel)}</label>
<input id="id" name="id" required autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="${EXAMPLE_ID}">
<input type="hidden" name="lang" value="${lang}"><button type="submit">${escapeHtml(t.lookupButton)}</button></form>
<p>${escapeHtml(t.lookupHint)} <code>${EXAMPLE_ID}</code></p>
<h2>${escapeHtml(t.developers)}</h2><ul>${link('/docs', t.apiReference)}${link('/openapi.json', t.openApi)}${console}</ul>`,
  );
}

/** `/`: the landing page; `/r?id=`: its lookup box, sent on to the robot's public page `/r/<ID>`. */
export function landingRoutes(server: FastifyInstance, options: LandingOptions) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/',
    {
      schema: {
        tags: ['public'],
        operationId: 'getLandingPage',
        security: KEY_OPTIONAL,
        summary: 'The landing page: what this registry is, a robot lookup box, links to the API reference',
        querystring: Type.Object(LanguageQuery),
        response: { 200: withMediaType('text/html', HtmlPage, 'The landing page, in English or Chinese') },
      },
    },
    async (request, reply) => sendPage(reply, landingPage(pageLanguage(request), options)),
  );
  app.get(
    '/r',
    {
      schema: {
        tags: ['public'],
        operationId: 'lookUpRobot',
        security: KEY_OPTIONAL,
        summary: 'The landing page’s lookup box: redirects to the robot’s public page /r/{id}',
        querystring: Type.Object({
          id: Type.String({ minLength: 1, maxLength: 100, description: 'A robot ID as printed' }),
          ...LanguageQuery,
        }),
        response: {
          303: {
            ...withMediaType('text/plain', Type.String(), 'See the robot’s public page (Location: /r/{id})'),
            headers: { location: { type: 'string' } },
          },
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      // Typed from a nameplate: spaces and line breaks are never part of an ID.
      const id = request.query.id.replace(/\s+/g, '');
      const lang = request.query.lang === undefined ? '' : `?lang=${request.query.lang}`;
      const target = id === '' ? `/${lang}` : `/r/${encodeURIComponent(id)}${lang}`;
      // A line of text too, for a client that does not follow redirects.
      return reply
        .code(303)
        .header('location', target)
        .type('text/plain; charset=utf-8')
        .send(`See ${target}\n`);
    },
  );
}
