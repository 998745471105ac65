import fastifyMultipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, translateError } from '../../../../core/errors.ts';
import { VerifyReport } from '../../../../core/signing/verify.schemas.ts';
import { errorResponses } from '../../../plugins/openapi.ts';
import type { VerificationReport } from '../../signing/pdf-verifier.ts';
import type { SigningService } from '../../signing/signing.service.ts';
import type { FileStore } from '../file-store.ts';
import { sha256Of } from '../file-store.ts';
import { readForm, theFile } from '../http-files.ts';
import type { ResultsService } from './results.service.ts';
import { renderVerifyForm, renderVerifyReport, renderVerifyResults } from './verify.page.ts';

const MAX_VERIFY_BYTES = 20 * 1024 * 1024;

const DossierCode = z
  .string()
  .trim()
  .max(60)
  .regex(/^[A-Za-z0-9.]+-\d{6}-\d{4}$/, { error: 'Mã hồ sơ không đúng dạng (ví dụ 30502-251122-0001)' });

/** The PDF of a multipart request's `file` part, within the size limit, judged by its first bytes. */
async function readPdfUpload(request: FastifyRequest) {
  const file = theFile((await readForm(request, { maxBytes: MAX_VERIFY_BYTES })).uploads);
  if (!Buffer.from(file.bytes.subarray(0, 5)).equals(Buffer.from('%PDF-'))) {
    throw new AppError('FILE_TYPE_NOT_ALLOWED', { name: file.name });
  }
  return Buffer.from(file.bytes);
}

/**
 * Verification for anyone, without signing in: upload a PDF (API and page), or open a result's QR link
 * (page) to see who signed the dossier's results, when, and whether they are intact.
 */
export const verifyRoutes: FastifyPluginAsyncZod<{
  signing: SigningService;
  results: ResultsService;
  files: FileStore;
  rateLimitPerMinute?: number;
}> = async (app, { signing, results, files, rateLimitPerMinute = 30 }) => {
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_VERIFY_BYTES, files: 1, fields: 5 } });
  await app.register(rateLimit, { global: false });
  const limited = { rateLimit: { max: rateLimitPerMinute, timeWindow: 60_000 } };

  /** The report the API answers (its schema) and the page shows (with the signers' organisations). */
  async function verifyUpload(bytes: Buffer): Promise<VerificationReport & VerifyReport> {
    const sha256 = sha256Of(bytes);
    const issued = await results.findCodeBySha256(sha256);
    // A result this system issued was signed when its record says, whatever the file claims.
    const report = await signing.verify(bytes, issued ? { trustedTime: new Date(issued.issued_at) } : {});
    return {
      ...report,
      dossierCode: issued?.dossier_code ?? report.dossierCode,
      issuedHere: Boolean(issued),
      sha256,
    };
  }

  /**
   * Each stored result of a dossier, verified from the stored bytes: one after another, so one page takes
   * one place in the PDF workers' queue at a time.
   */
  async function verifyStored(code: string) {
    const rows = await results.listByDossierCode(code);
    const stored = [];
    for (const r of rows) {
      const bytes = await files.get(r.sha256);
      const report: VerificationReport | null = bytes
        ? await signing.verify(bytes, { trustedTime: new Date(r.issued_at) })
        : null;
      stored.push({
        number: r.number,
        year: r.year,
        book: r.book,
        name: r.name,
        issuedAt: new Date(r.issued_at).toISOString(),
        sha256: r.sha256,
        report,
      });
    }
    return stored;
  }

  app.post(
    '/api/verify',
    {
      config: limited,
      schema: {
        tags: ['public'],
        summary: 'Verify a signed PDF (multipart, field `file`): signers, certificates, times, changes',
        description:
          'No sign-in. `valid` is true only when every signature is intact and made with a certificate from a trusted authority, and nothing was added after the last one. `dossierCode` names the dossier the result belongs to.',
        response: { 200: VerifyReport, ...errorResponses(400, 413, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return verifyUpload(await readPdfUpload(request));
    },
  );

  app.get('/verify', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(renderVerifyForm()),
  );

  app.post('/verify', { config: limited, schema: { hide: true } }, async (request, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    try {
      return renderVerifyReport(await verifyUpload(await readPdfUpload(request)));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return reply
        .status(err.code === 'PDF_CHECKS_BUSY' ? 503 : 400)
        .send(
          renderVerifyForm(
            err.code === 'FILE_MISSING'
              ? 'Hãy chọn tệp PDF cần kiểm tra.'
              : err.code === 'FILE_TYPE_NOT_ALLOWED'
                ? `Tệp "${err.params.name}" không phải tệp PDF. Hãy chọn tệp PDF kết quả đã nhận.`
                : translateError(err.code, 'vi', err.params),
          ),
        );
    }
  });

  app.get(
    '/verify/:code',
    { config: limited, schema: { hide: true, params: z.object({ code: DossierCode }) } },
    async (request, reply) => {
      const stored = await verifyStored(request.params.code);
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(renderVerifyResults(request.params.code, stored));
    },
  );
};
