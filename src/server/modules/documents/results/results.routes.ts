import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SignedResult } from '../../../../core/documents/documents.schemas.ts';
import { SignResultInput } from '../../../../core/documents/result-details.ts';
import { DossierId } from '../../../../core/dossiers/dossier-inputs.ts';
import { AppError } from '../../../../core/errors.ts';
import { IdempotencyKeyHeader } from '../../../kernel/idempotency.ts';
import { actorOf } from '../../../plugins/auth.ts';
import { errorResponses, fileResponse } from '../../../plugins/openapi.ts';
import type { DossiersService } from '../../dossiers/dossiers.service.ts';
import type { DocumentsService } from '../documents.service.ts';
import { contentDisposition } from '../http-files.ts';
import type { ResultsService } from './results.service.ts';

export const resultsRoutes: FastifyPluginAsyncZod<{
  results: ResultsService;
  documents: DocumentsService;
  dossiers: DossiersService;
}> = async (app, { results, documents, dossiers }) => {
  app.post(
    '/api/dossiers/:id/result/sign',
    {
      schema: {
        tags: ['documents'],
        summary:
          "Sign the result with the officer's PIN, then the unit's seal; the dossier becomes result-ready",
        description:
          "For the competent officer (the procedure's last step) on an approved dossier. The result is rendered from the procedure's template (`details` as its schema asks: birth extract, business household certificate, residence, decision, certified copy, or generic), numbered in the unit's book, signed (PAdES, ETSI.CAdES.detached) by the officer and then by the seal. A wrong PIN is 403 and audited; five in a row lock the certificate for 15 minutes (423). Send an Idempotency-Key: a retry never signs twice.",
        params: z.object({ id: DossierId }),
        headers: z.object({ 'idempotency-key': IdempotencyKeyHeader }),
        body: SignResultInput,
        response: { 201: SignedResult, ...errorResponses(400, 401, 403, 404, 409, 422, 423) },
      },
    },
    async (request, reply) => {
      const answer = await results.signResult(
        actorOf(request),
        request.params.id,
        request.body,
        request.headers['idempotency-key'],
      );
      return reply.status(201).send(answer.body);
    },
  );

  app.get(
    '/api/dossiers/:id/result.pdf',
    {
      schema: {
        tags: ['documents'],
        summary: 'The signed electronic result of the dossier (the newest one); the download is audited',
        params: z.object({ id: DossierId }),
        response: {
          200: fileResponse('The signed result (PAdES)', 'application/pdf'),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      // Another commune's dossier is a 404 before anything is said of its results.
      const dossier = await dossiers.getDocumentContext(actor.staff, request.params.id);
      const latest = await results.findLatestResultDocument(dossier.id);
      if (!latest) throw new AppError('RESULT_NOT_FOUND', { code: dossier.code });
      const file = await documents.getFile(actor, latest.document_id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition(`ket-qua-${dossier.code}.pdf`))
        .header('cache-control', 'private, no-store')
        .send(file.bytes);
    },
  );
};
