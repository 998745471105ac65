import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { PageNumber, PageSize } from '../../../core/paging.ts';
import { actorOf, requireStaff } from '../../plugins/auth.ts';
import { ErrorBody } from '../../plugins/openapi.ts';
import type { DocumentsService, Upload } from './documents.service.ts';
import type { UploadLimits } from './file-checks.ts';

const DossierId = z.coerce
  .number({ error: 'Mã hồ sơ phải là số' })
  .int()
  .positive({ error: 'Mã hồ sơ phải là số dương' });
const ComponentParams = z.object({
  id: DossierId,
  key: z.string().regex(/^[a-z0-9_]{1,64}$/, { error: 'Mã thành phần hồ sơ không hợp lệ' }),
});
const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
};
const uploadErrors = { ...errors, 413: ErrorBody, 415: ErrorBody };

const DocumentView = z.looseObject({
  id: z.number(),
  name: z.string(),
  componentKey: z.string().nullable(),
  digitization: z.enum(['digitized', 'reused', 'reused_result']),
  reusedFrom: z.number().nullable(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  pages: z.number().nullable(),
  sha256: z.string(),
  createdBy: z.object({ id: z.number(), name: z.string().nullable() }).nullable(),
  createdAt: z.string(),
});

/** Every part named `file` of a multipart request, read whole within the size limit. */
async function readUploads(request: FastifyRequest, limits: UploadLimits): Promise<Upload[]> {
  if (!request.isMultipart()) {
    throw new AppError(
      'VALIDATION_FAILED',
      {},
      { file: 'Gửi tệp dưới dạng multipart/form-data, trường "file"' },
    );
  }
  const uploads: Upload[] = [];
  try {
    for await (const part of request.parts({
      limits: { fileSize: limits.maxBytes, files: limits.maxPages },
    })) {
      if (part.type === 'file' && part.fieldname === 'file') {
        uploads.push({ name: part.filename || 'tep-tai-len', bytes: await part.toBuffer() });
      } else if (part.type === 'file') {
        await part.toBuffer();
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('FILE_TOO_LARGE', { limitMb: Math.round(limits.maxBytes / 1024 / 1024) });
    }
    if (code === 'FST_FILES_LIMIT') {
      throw new AppError('VALIDATION_FAILED', {}, { file: `Tối đa ${limits.maxPages} tệp mỗi lần` });
    }
    throw err;
  }
  return uploads;
}

export const documentsRoutes: FastifyPluginAsyncZod<{
  documents: DocumentsService;
  limits: UploadLimits;
}> = async (app, { documents, limits }) => {
  app.post(
    '/api/dossiers/:id/components/:key/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Digitize a component: one PDF, or scanned pages (JPEG/PNG) that become one PDF',
        description:
          'multipart/form-data with one or more parts named `file`. Types are judged by the bytes; a PDF with scripts, a broken PDF or an oversized file is refused and nothing is stored. The same bytes sent again return the same document (200).',
        params: ComponentParams,
        response: { 200: DocumentView, 201: DocumentView, ...uploadErrors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const uploads = await readUploads(request, limits);
      const { created, document } = await documents.digitize(
        actor,
        request.params.id,
        request.params.key,
        uploads,
      );
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
      const { created, document } = await documents.reuse(
        actorOf(request),
        request.params.id,
        request.params.key,
        request.body.documentId,
      );
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
          200: z.object({
            dossierId: z.number(),
            code: z.string(),
            components: z.array(
              z.object({
                key: z.string(),
                name: z.string(),
                requirement: z.string(),
                digitization: z.enum(['not_digitized', 'digitized', 'reused', 'reused_result']),
                digitizedBy: z.object({ id: z.number(), name: z.string().nullable() }).nullable(),
                documents: z.array(DocumentView),
              }),
            ),
            results: z.array(DocumentView),
          }),
          ...errors,
        },
      },
    },
    async (request) => documents.listForDossier(requireStaff(request), request.params.id),
  );

  app.get(
    '/api/citizens/:citizenId/documents',
    {
      schema: {
        tags: ['documents'],
        summary: "A citizen's personal document store (kho dữ liệu), newest first; the read is audited",
        params: z.object({
          citizenId: z.string().regex(/^\d{12}$/, { error: 'Số định danh cá nhân gồm 12 chữ số' }),
        }),
        querystring: z.object({ page: PageNumber, pageSize: PageSize(100, 20) }),
        response: {
          200: z.object({
            items: z.array(DocumentView),
            total: z.number(),
            page: z.number(),
            pageSize: z.number(),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      documents.listCitizenStore(
        actorOf(request),
        request.params.citizenId,
        request.query.page,
        request.query.pageSize,
      ),
  );

  app.get(
    '/api/documents/:id/file',
    {
      schema: {
        tags: ['documents'],
        summary: "A document's file (PDF or image), for staff who may see its dossier",
        params: z.object({ id: z.coerce.number().int().positive() }),
      },
    },
    async (request, reply) => {
      const file = await documents.getFile(requireStaff(request), request.params.id);
      const ascii =
        file.name
          .normalize('NFD')
          .replace(/[^\x20-\x7e]/g, '')
          .replace(/["\\]/g, '') || 'tep';
      return reply
        .header('content-type', file.mediaType)
        .header(
          'content-disposition',
          `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        )
        .header('cache-control', 'private, no-store')
        .send(file.bytes);
    },
  );
};
