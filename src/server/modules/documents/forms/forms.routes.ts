import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DossierId } from '../../../../core/dossiers/dossier-inputs.ts';
import { AppError } from '../../../../core/errors.ts';
import { actorOf } from '../../../plugins/auth.ts';
import { errorResponses, fileResponse } from '../../../plugins/openapi.ts';
import type { RecordLoader } from '../dossier-record.ts';
import { contentDisposition } from '../http-files.ts';
import { FORM_NUMBERS, FORMS } from './index.ts';

/** The forms of Circular 03/2025 as PDFs, filled from the dossier at the moment they are asked for. */
export const formsRoutes: FastifyPluginAsyncZod<{ loadRecord: RecordLoader; now: () => Date }> = async (
  app,
  { loadRecord, now },
) => {
  app.get(
    '/api/dossiers/:id/forms/:file',
    {
      schema: {
        tags: ['documents'],
        summary: 'A form of Circular 03/2025 (01…07) as an A4 PDF, filled from the dossier',
        description:
          '`file` is `01.pdf` … `07.pdf`: 01 receipt with the tracking QR code, 02 supplement request, 03 refusal, 04 apology and new date, 05 stop notice, 06 control slip, 07 register extract. A form the dossier has no grounds for yet (e.g. 04 without an apology) is a 409 saying why. Reading it is audited.',
        params: z.object({
          id: DossierId,
          file: z.enum(FORM_NUMBERS.map((n) => `${n}.pdf`) as [string, ...string[]], {
            error: 'Mẫu không hợp lệ: 01.pdf đến 07.pdf',
          }),
        }),
        response: {
          200: fileResponse('The form, A4', 'application/pdf'),
          ...errorResponses(400, 401, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const no = request.params.file.slice(0, 2) as (typeof FORM_NUMBERS)[number];
      const form = FORMS[no];
      const record = await loadRecord(actorOf(request), request.params.id, 'dossier.form.read', { form: no });
      const missing = form.missing(record);
      if (missing) throw new AppError('FORM_NOT_AVAILABLE', { no, name: form.name, reason: missing });
      const bytes = await form.render(record, now());
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition(`mau-${no}-${record.code}.pdf`))
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(bytes));
    },
  );
};
