import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { getPublicRobot, getRobot, type RobotView } from '../../../app/robots.js';
import { DomainError } from '../../../domain/errors.js';
import { acceptsHtml, escapeHtml } from '../html.js';
import { HtmlPage, LanguageQuery, htmlPage, pageLanguage, sendPage, vary } from '../page.js';
import { PAGE_TEXTS, type BarredState, type Language, type PageTexts } from '../page-texts.js';
import { RobotIdParam, problemResponse, KEY_OPTIONAL } from '../schemas.js';

/** A problem for API clients, a page for a browser that asked for HTML (the phone that scanned the label). */
const orHtml = (response: ReturnType<typeof problemResponse>) => ({
  ...response,
  content: { ...response.content, 'text/html': { schema: HtmlPage } },
});

type ScanTexts = PageTexts['scan'];

const wantsHtml = (request: FastifyRequest) => acceptsHtml(request.headers.accept);

const BARRED: readonly string[] = ['lost', 'stolen', 'decommissioned', 'recycled'] satisfies BarredState[];
const isBarred = (state: string): state is BarredState => BARRED.includes(state);

const alert = (text: string) => `<p class="stop" role="alert">${escapeHtml(text)}</p>`;

/** Open recalls still to be remedied in red, the others as a plain line. */
function recallNotes(t: ScanTexts, robot: RobotView): string {
  return robot.recalls
    .filter((r) => r.status === 'open' || r.state !== 'remedied')
    .map((r) => {
      const due = r.state === 'notified' || r.state === 'unreachable';
      if (due) return alert(t.recallDue(r.recall, r.summary, r.remedy));
      return `<p class="ok">${escapeHtml(t.recallState(r.recall, t.recallStates[r.state]))}</p>`;
    })
    .join('');
}

/**
 * Certification as the page shows it: a robot that may not be operated (a stop-use order, reported lost or
 * stolen, scrapped, recycled) is never shown as validly certified, whatever its certificate's dates say.
 */
function certificationText(t: ScanTexts, robot: RobotView, operable: boolean): [string, string] {
  const { status, standard, validUntil } = robot.certification;
  if (!operable && status === 'valid') {
    return ['bad', `${t.certificationNotInForce}${standard ? ` (${standard})` : ''}`];
  }
  const text = t.certification[status];
  if (!standard) return [status === 'valid' ? 'ok' : 'bad', text];
  const until = status === 'valid' && validUntil ? `, ${t.certifiedUntil(validUntil.slice(0, 10))}` : '';
  return [status === 'valid' ? 'ok' : 'bad', `${text} (${standard}${until})`];
}

/**
 * The page a phone shows after scanning the label: identity, state, certification; a stop-use order, a barred state
 * (lost, stolen, scrapped, recycled) and an outstanding recall as alerts over it, in red.
 */
function robotPage(lang: Language, robot: RobotView) {
  const t = PAGE_TEXTS[lang].scan;
  const barred = isBarred(robot.state);
  const stop = robot.stopUse
    ? alert(t.stopUse(robot.stopUse.orderNumber, robot.stopUse.since.slice(0, 10)))
    : '';
  const barredAlert = barred ? alert(t.barred[robot.state as BarredState]) : '';
  const [certClass, certText] = certificationText(t, robot, !robot.stopUse && !barred);
  const rows: [string, string, string?][] = [
    [t.fields.manufacturer, `${robot.manufacturer.name} (${robot.manufacturer.country})`],
    [t.fields.model, `${robot.model.name} (${robot.model.code})`],
    [t.fields.produced, robot.productionMonth ?? t.notYetReported],
    [t.fields.state, t.states[robot.state], barred ? 'bad' : undefined],
    [t.fields.certification, certText, certClass],
    [t.fields.issued, robot.issuedAt.slice(0, 10)],
  ];
  const list = rows
    .map(([k, v, cls]) => `<dt>${escapeHtml(k)}</dt><dd${cls ? ` class="${cls}"` : ''}>${escapeHtml(v)}</dd>`)
    .join('');
  return htmlPage(
    lang,
    robot.display,
    `<h1>${escapeHtml(t.heading)}</h1>${stop}${barredAlert}${recallNotes(t, robot)}<p><code>${escapeHtml(robot.display)}</code></p><dl>${list}</dl>`,
  );
}

/** `/r/<ID>`: what a phone opens after scanning the label. HTML for browsers, JSON for API clients. */
export function resolveRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/r/:id',
    {
      schema: {
        operationId: 'resolveRobot',
        security: KEY_OPTIONAL,
        tags: ['robots'],
        summary: 'Resolve a robot ID (the URL in its QR label): HTML for browsers, JSON otherwise',
        params: RobotIdParam,
        querystring: Type.Object(LanguageQuery),
        response: {
          200: {
            description: 'The robot: JSON, or with `Accept: text/html` a page for people',
            content: { 'application/json': { schema: Type.Ref('Robot') }, 'text/html': { schema: HtmlPage } },
          },
          400: orHtml(problemResponse(400)),
          404: orHtml(problemResponse(404)),
        },
      },
    },
    async (request, reply) => {
      vary(reply, 'Accept');
      if (!wantsHtml(request)) return getRobot(ctx, request.caller, request.params.id);
      const lang = pageLanguage(request);
      try {
        return sendPage(reply, robotPage(lang, await getPublicRobot(ctx, request.params.id)));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const t = PAGE_TEXTS[lang].scan;
        const message = `<h1>${escapeHtml(t.notFoundHeading)}</h1><p>${escapeHtml(error.message)}</p>`;
        return sendPage(
          reply as FastifyReply,
          htmlPage(lang, t.notFoundTitle, message),
          error.kind === 'not_found' ? 404 : 400,
        );
      }
    },
  );
}
