import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { getRobot, type RobotView } from '../../../app/robots.js';
import { DomainError } from '../../../domain/errors.js';
import { RobotIdParam, problemResponses } from '../schemas.js';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

const wantsHtml = (request: FastifyRequest) => {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') && !accept.startsWith('application/json');
};

function page(title: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
code{font:1.1em ui-monospace,monospace}dt{color:#555}dd{margin:0 0 .6rem}</style></head><body>${body}</body></html>`;
}

function robotPage(robot: RobotView) {
  const rows: [string, string][] = [
    ['Manufacturer', `${robot.manufacturer.name} (${robot.manufacturer.country})`],
    ['Model', `${robot.model.name} (${robot.model.code})`],
    ['State', robot.state],
    ['ID issued', robot.issuedAt.slice(0, 10)],
  ];
  const list = rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  return page(
    robot.display,
    `<h1>Registered robot</h1><p><code>${escapeHtml(robot.display)}</code></p><dl>${list}</dl>`,
  );
}

/** `/r/<ID>`: what a phone opens after scanning the label. HTML for browsers, JSON for API clients. */
export function resolveRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/r/:id',
    {
      schema: {
        tags: ['robots'],
        summary: 'Resolve a robot ID (the URL in its QR label): HTML for browsers, JSON otherwise',
        params: RobotIdParam,
        response: { 200: Type.Ref('Robot'), ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      if (!wantsHtml(request)) return getRobot(ctx, request.caller, request.params.id);
      try {
        return reply
          .type('text/html; charset=utf-8')
          .send(robotPage(await getRobot(ctx, request.caller, request.params.id)));
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
