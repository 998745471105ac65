import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProcedureComponent } from '../../../core/catalog/procedure.schemas.ts';
import { DocumentView, DossierDocuments, StorePage } from '../../../core/documents/documents.schemas.ts';
import { CitizenId, DossierId } from '../../../core/dossiers/dossier-inputs.ts';
import { AppError } from '../../../core/errors.ts';
import { PageNumber, PageSize } from '../../../core/paging.ts';
import { actorOf, requireStaff } from '../../plugins/auth.ts';
import { errorResponses, fileResponse } from '../../plugins/openapi.ts';
import type { DocumentsService } from './documents.service.ts';
import type { UploadLimits } from './file-checks.ts';
import { contentDisposition, readForm } from './http-files.ts';

const ComponentParams = z.object({ id: DossierId, key: ProcedureComponent.shape.key });
const errors = errorResponses(400, 401, 403, 404, 409, 422);

export const documentsRoutes: FastifyPluginAsyncZod<{
  documents: DocumentsService;
  limits: UploadLimits;
}> = async (app, { documents, limits }) => {
  // Only these routes take multipart bodies; readForm keeps the request within limits.maxBytes.
  await app.register(fastifyMultipart, { limits: { fileSize: limits.maxBytes, fields: 20, parts: 1000 } });
  app.post(
    '/api/dossiers/:id/components/:key/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Digitize a component: one PDF, or scanned pages (JPEG/PNG) that become one PDF',
        description:
          'multipart/form-data with one or more parts named `file`. Types are judged by the bytes; a PDF with scripts or attachments, a broken PDF or an oversized request is refused and nothing is stored. The same bytes sent again return the same document (200).',
        params: ComponentParams,
        response: { 200: DocumentView, 201: DocumentView, ...errors, ...errorResponses(413, 415, 503) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      // Who may, and where, before a byte of the upload is read.
      const target = await documents.openComponent(actor.staff, request.params.id, request.params.key);
      const { uploads } = await readForm(request, limits);
      const { created, document } = await documents.digitize(actor, target, uploads);
      return reply.status(created ? 201 : 200).send(document);
    },
  );

  app.post(
    '/api/dossiers/:id/components/:key/reuse',
    {
      schema: {
        tags: ['documents'],
        summary: "Use a paper from the applicant's personal store for this component",
        params: ComponentParams,
        body: z.object({
          documentId: z.number({ error: 'Chọn giấy tờ trong kho dữ liệu của công dân' }).int().positive(),
        }),
        response: { 200: DocumentView, 201: DocumentView, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const target = await documents.openComponent(actor.staff, request.params.id, request.params.key);
      const { created, document } = await documents.reuse(actor, target, request.body.documentId);
      return reply.status(created ? 201 : 200).send(document);
    },
  );

  app.get(
    '/api/dossiers/:id/documents',
    {
      schema: {
        tags: ['documents'],
        summary: "The dossier's components with their digitization status and documents",
        params: z.object({ id: DossierId }),
        response: {
          200: DossierDocuments,
          ...errors,
        },
      },
    },
    async (request) => documents.listForDossier(requireStaff(request), request.params.id),
  );

  app.get(
    '/api/dossiers/:id/applicant-store',
    {
      schema: {
        tags: ['documents'],
        summary: "The dossier applicant's personal store (kho dữ liệu), newest first, with their consent",
        description:
          "Only for officers who may act on the dossier, and only while the applicant's consent for this dossier is in force (POST /api/dossiers/:id/store-consent): else 403 STORE_CONSENT_REQUIRED. The read is audited.",
        params: z.object({ id: DossierId }),
        querystring: z.object({ page: PageNumber, pageSize: PageSize(100, 20) }),
        response: { 200: StorePage, ...errors },
      },
    },
    async (request) =>
      documents.listApplicantStore(
        actorOf(request),
        request.params.id,
        request.query.page,
        request.query.pageSize,
      ),
  );

  app.get(
    '/api/dossiers/:id/applicant-store/:documentId/file',
    {
      schema: {
        tags: ['documents'],
        summary: "A paper of the applicant's store, to look at before reusing it (consent needed; audited)",
        params: z.object({ id: DossierId, documentId: z.coerce.number().int().positive() }),
        response: { 200: fileResponse('The paper as stored', 'application/pdf'), ...errors },
      },
    },
    async (request, reply) => {
      const file = await documents.getStoreFile(
        actorOf(request),
        request.params.id,
        request.params.documentId,
      );
      return reply
        .header('content-type', file.mediaType)
        .header('content-disposition', contentDisposition(file.name))
        .header('cache-control', 'private, no-store')
        .send(file.bytes);
    },
  );

  app.get(
    '/api/citizens/:citizenId/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Older form of GET /api/dossiers/:id/applicant-store: needs ?dossierId= and the consent',
        description:
          "A citizen's store opens only for one of their dossiers with their consent: without `dossierId` the answer is 403 STORE_CONSENT_REQUIRED naming the field.",
        params: z.object({ citizenId: CitizenId }),
        querystring: z.object({
          dossierId: DossierId.optional(),
          page: PageNumber,
          pageSize: PageSize(100, 20),
        }),
        response: { 200: StorePage, ...errors },
      },
    },
    async (request) => {
      const { dossierId, page, pageSize } = request.query;
      if (dossierId === undefined) {
        throw new AppError(
          'STORE_CONSENT_REQUIRED',
          {},
          {
            dossierId:
              'Kho dữ liệu chỉ mở cho một hồ sơ của công dân, khi công dân đã đồng ý: hãy chọn hồ sơ',
          },
        );
      }
      return documents.listApplicantStore(
        actorOf(request),
        dossierId,
        page,
        pageSize,
        request.params.citizenId,
      );
    },
  );

  app.get(
    '/api/documents/:id/file',
    {
      schema: {
        tags: ['documents'],
        summary: "A document's file (PDF), for staff who may see its dossier; the download is audited",
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: fileResponse('The document as stored', 'application/pdf'), ...errors },
      },
    },
    async (request, reply) => {
      const file = await documents.getFile(actorOf(request), request.params.id);
      return reply
        .header('content-type', file.mediaType)
        .header('content-disposition', contentDisposition(file.name))
        .header('cache-control', 'private, no-store')
        .send(file.bytes);
    },
  );
};
