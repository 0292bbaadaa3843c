import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { labelSheetLabels } from '../../../app/label-sheets.js';
import { DomainError } from '../../../domain/errors.js';
import { DEFAULT_DPI, MAX_DPI, MIN_DPI } from '../../label/label.js';
import { SHEET_MAX_MM, SHEET_MIN_MM, renderLabelSheetPdf, renderLabelSheetZpl } from '../../label/sheet.js';
import { Binary, StringEnum, problemResponses } from '../schemas.js';

export const MAX_SHEET_LABELS = 1000;

const LabelSheetRequest = Type.Object(
  {
    robotIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      minItems: 1,
      maxItems: MAX_SHEET_LABELS,
      description: 'Robot IDs in any form, printed in this order',
    }),
    sizeMm: Type.Number({
      minimum: SHEET_MIN_MM,
      maximum: SHEET_MAX_MM,
      description: `Label width in millimetres, ${SHEET_MIN_MM} to ${SHEET_MAX_MM} (ZPL: from 20, as the nameplate label)`,
      examples: [25],
    }),
    format: StringEnum(['pdf', 'zpl'] as const),
    dpi: Type.Optional(
      Type.Integer({
        minimum: MIN_DPI,
        maximum: MAX_DPI,
        description: `ZPL only: the label printer's dots per inch (default ${DEFAULT_DPI})`,
      }),
    ),
  },
  { additionalProperties: false },
);

/** The nameplate's label faults (zpl.ts names them `size`, `dpi`) as fields of this body. */
function inBody<T>(render: () => T): T {
  try {
    return render();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const fields = error.fields.map((f) =>
      f.field === 'size' ? { ...f, field: '/sizeMm' } : f.field === 'dpi' ? { ...f, field: '/dpi' } : f,
    );
    throw new DomainError(error.kind, error.code, error.message, fields, error.extensions);
  }
}

export function labelSheetRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/v1/label-sheets',
    {
      schema: {
        operationId: 'createLabelSheet',
        tags: ['robots'],
        summary:
          'Labels for many robots: a PDF of A4 pages (as many a page as fit) or ZPL for label printers',
        description:
          'Each label is the QR code of the robot’s public URL (`/r/<ID>`) with the ID under it. PDF: A4 pages, ' +
          '10 mm margins, labels `sizeMm` wide with 3 mm between them. ZPL: the nameplate label (as ' +
          '`/v1/robots/{id}/label.zpl`), one `^XA…^XZ` per robot. Only robots the caller’s organisation made or ' +
          'otherwise may see; any other ID: 404, naming it.',
        security: [{ apiKey: [] }],
        body: LabelSheetRequest,
        response: {
          200: {
            description: 'The sheet: `application/pdf` or (ZPL) `text/plain`',
            content: {
              'application/pdf': { schema: Binary },
              'text/plain': { schema: Type.String() },
            },
          },
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const { robotIds, sizeMm, format, dpi } = request.body;
      const labels = await labelSheetLabels(ctx, request.caller, robotIds);
      if (format === 'zpl') {
        const zpl = inBody(() => renderLabelSheetZpl(labels, { sizeMm, dpi }));
        return reply
          .type('text/plain; charset=utf-8')
          .header('content-disposition', 'attachment; filename="labels.zpl"')
          .send(zpl);
      }
      const pdf = await renderLabelSheetPdf(labels, sizeMm);
      return reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="labels.pdf"')
        .send(pdf);
    },
  );
}
