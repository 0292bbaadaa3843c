import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { getPublicRobot, getRobot, type RobotView } from '../../../app/robots.js';
import { DomainError } from '../../../domain/errors.js';
import { acceptsHtml, escapeHtml } from '../html.js';
import { RobotIdParam, problemResponse, KEY_OPTIONAL } from '../schemas.js';

const HtmlPage = Type.String({ description: 'A page for people' });
/** A problem for API clients, a page for a browser that asked for HTML (the phone that scanned the label). */
const orHtml = (response: ReturnType<typeof problemResponse>) => ({
  ...response,
  content: { ...response.content, 'text/html': { schema: HtmlPage } },
});

const wantsHtml = (request: FastifyRequest) => acceptsHtml(request.headers.accept);

function page(title: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
code{font:1.1em ui-monospace,monospace}dt{color:#555}dd{margin:0 0 .6rem}
.stop{background:#b00020;color:#fff;padding:1rem;border-radius:.4rem;font-weight:600}
.ok{color:#0a6b2e}.bad{color:#b00020;font-weight:600}</style></head><body>${body}</body></html>`;
}

/** Open recalls still to be remedied in red, the others as a plain line. */
function recallNotes(robot: RobotView): string {
  return robot.recalls
    .filter((r) => r.status === 'open' || r.state !== 'remedied')
    .map((r) => {
      const due = r.state === 'notified' || r.state === 'unreachable';
      const text = due
        ? `RECALL ${r.recall} — ${r.summary} Remedy: ${r.remedy} Not yet remedied.`
        : `Recall ${r.recall}: ${r.state}.`;
      return `<p class="${due ? 'stop' : 'ok'}"${due ? ' role="alert"' : ''}>${escapeHtml(text)}</p>`;
    })
    .join('');
}

const CERTIFICATION_TEXT: Record<RobotView['certification']['status'], [string, string]> = {
  valid: ['ok', 'valid'],
  expired: ['bad', 'expired'],
  failed: ['bad', 'failed'],
  none: ['bad', 'not certified'],
};

/** The page a phone shows after scanning the label: identity, state, certification, and a stop-use order in red. */
function robotPage(robot: RobotView) {
  const [certClass, certText] = CERTIFICATION_TEXT[robot.certification.status];
  const cert = robot.certification.standard
    ? `${certText} (${robot.certification.standard}${robot.certification.validUntil ? `, until ${robot.certification.validUntil.slice(0, 10)}` : ''})`
    : certText;
  const rows: [string, string, string?][] = [
    ['Manufacturer', `${robot.manufacturer.name} (${robot.manufacturer.country})`],
    ['Model', `${robot.model.name} (${robot.model.code})`],
    ['Produced', robot.productionMonth ?? 'not yet reported'],
    ['State', robot.state.replace(/_/g, ' ')],
    ['Certification', cert, certClass],
    ['ID issued', robot.issuedAt.slice(0, 10)],
  ];
  const list = rows
    .map(([k, v, cls]) => `<dt>${escapeHtml(k)}</dt><dd${cls ? ` class="${cls}"` : ''}>${escapeHtml(v)}</dd>`)
    .join('');
  const stop = robot.stopUse
    ? `<p class="stop" role="alert">STOP USE — order ${escapeHtml(robot.stopUse.orderNumber)} since ${escapeHtml(robot.stopUse.since.slice(0, 10))}. Do not operate this robot.</p>`
    : '';
  return page(
    robot.display,
    `<h1>Registered robot</h1>${stop}${recallNotes(robot)}<p><code>${escapeHtml(robot.display)}</code></p><dl>${list}</dl>`,
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
      if (!wantsHtml(request)) return getRobot(ctx, request.caller, request.params.id);
      try {
        return reply
          .type('text/html; charset=utf-8')
          .send(robotPage(await getPublicRobot(ctx, request.params.id)));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const status = error.kind === 'not_found' ? 404 : 400;
        const message = `<h1>Not a registered robot</h1><p>${escapeHtml(error.message)}</p>`;
        return (reply as FastifyReply)
          .code(status)
          .type('text/html; charset=utf-8')
          .send(page('Not found', message));
      }
    },
  );
}
