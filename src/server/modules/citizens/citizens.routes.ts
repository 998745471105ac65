import fastifyMultipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProcedureCode } from '../../../core/catalog/procedure.schemas.ts';
import { CitizenDossier, CitizenDossierList } from '../../../core/dossiers/citizen-dossiers.schemas.ts';
import {
  Draft,
  DraftFile,
  DraftList,
  Eligibility,
  SubmittedDossier,
} from '../../../core/dossiers/citizen-drafts.schemas.ts';
import { DossierId, OnlineSubmission } from '../../../core/dossiers/dossier-inputs.ts';
import { AppError } from '../../../core/errors.ts';
import { CitizenMe, RatingInput } from '../../../core/identity/citizen.ts';
import { PageNumber, PageSize } from '../../../core/paging.ts';
import { IdempotencyKeyHeader } from '../../kernel/idempotency.ts';
import { originOf } from '../../plugins/auth.ts';
import { CITIZEN_COOKIE, citizenActorOf, requireCitizen } from '../../plugins/citizen-auth.ts';
import { ErrorBody, errorResponses, fileResponse } from '../../plugins/openapi.ts';
import type { DocumentsService } from '../documents/documents.service.ts';
import type { UploadLimits } from '../documents/file-checks.ts';
import { contentDisposition, readForm } from '../documents/http-files.ts';
import type { ResultsService } from '../documents/results/results.service.ts';
import type { DossiersService } from '../dossiers/dossiers.service.ts';
import type { CitizensService } from './citizens.service.ts';
import type { PendingSignIn, VneidClient } from './vneid-client.ts';

const PENDING_COOKIE = 'motcua_vneid';
const ComponentKey = z.string().regex(/^[a-z0-9_]{1,40}$/, { error: 'Mã thành phần hồ sơ không hợp lệ' });
const Idem = z.object({ 'idempotency-key': IdempotencyKeyHeader });

/** The citizen's side: VNeID sign-in, drafts, online submission, their dossiers, supplements, ratings. */
export const citizensRoutes: FastifyPluginAsyncZod<{
  citizens: CitizensService;
  vneid: VneidClient | null;
  dossiers: DossiersService;
  documents: DocumentsService;
  results: ResultsService;
  limits: UploadLimits;
}> = async (app, { citizens, vneid, dossiers, documents, results, limits }) => {
  await app.register(rateLimit, { global: false });
  await app.register(fastifyMultipart, { limits: { fileSize: limits.maxBytes, fields: 20, parts: 200 } });

  const signInLimit = { rateLimit: { max: 30, timeWindow: 60_000 } };

  app.get(
    '/auth/vneid/start',
    {
      config: signInLimit,
      schema: {
        tags: ['citizens'],
        summary: 'Sign in with VNeID: redirects to the identity provider (authorization code with PKCE)',
        querystring: z.object({ returnTo: z.string().max(300).optional() }),
      },
    },
    async (request, reply) => {
      if (!vneid) throw new AppError('NOT_READY');
      const { url, pending } = await vneid.start(request.query.returnTo ?? '/my');
      reply.setCookie(PENDING_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
        path: '/auth/vneid',
        httpOnly: true,
        // The provider sends the browser back here with a top-level GET from its own site.
        sameSite: 'lax',
        secure: request.protocol === 'https',
        maxAge: 600,
      });
      return reply.redirect(url.href);
    },
  );

  app.get(
    '/auth/vneid/callback',
    { config: signInLimit, schema: { tags: ['citizens'], summary: 'Where VNeID sends the citizen back' } },
    async (request, reply) => {
      if (!vneid) throw new AppError('NOT_READY');
      const raw = request.cookies[PENDING_COOKIE];
      reply.clearCookie(PENDING_COOKIE, { path: '/auth/vneid' });
      let pending: PendingSignIn;
      try {
        pending = JSON.parse(Buffer.from(raw ?? '', 'base64url').toString('utf8')) as PendingSignIn;
        if (!pending.state || !pending.verifier) throw new Error('incomplete');
      } catch {
        return reply.redirect('/signin?error=expired');
      }
      const url = new URL(request.url, `${request.protocol}://${request.host}`);
      try {
        const claims = await vneid.finish(url, pending);
        const session = await citizens.signIn(claims, originOf(request));
        // Signing in again in the same browser (a shared PC at the commune's kiosk) ends the earlier session.
        const earlier = request.cookies[CITIZEN_COOKIE];
        if (earlier) await citizens.signOut(earlier);
        reply.setCookie(CITIZEN_COOKIE, session.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: request.protocol === 'https',
          expires: session.expiresAt,
        });
        return reply.redirect(pending.returnTo);
      } catch (err) {
        if (err instanceof AppError && err.code === 'SIGN_IN_FAILED') {
          request.log.warn({ details: err.details }, 'VNeID sign-in failed');
          return reply.redirect('/signin?error=failed');
        }
        throw err;
      }
    },
  );

  app.get(
    '/api/citizen/me',
    {
      schema: {
        tags: ['citizens'],
        summary: 'The citizen signed in with VNeID, with the CSRF token for writes',
        response: { 200: CitizenMe, 401: ErrorBody },
      },
    },
    async (request) => ({ csrfToken: request.citizenCsrf ?? '', citizen: requireCitizen(request) }),
  );

  app.post(
    '/api/citizen/logout',
    { schema: { tags: ['citizens'], summary: 'Sign out', response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[CITIZEN_COOKIE];
      if (token) await citizens.signOut(token);
      reply.clearCookie(CITIZEN_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/citizen/procedures/:code/eligibility',
    {
      schema: {
        tags: ['citizens'],
        summary: 'May this citizen file this procedure online? 403 with the reason (VNeID level) if not',
        params: z.object({ code: ProcedureCode }),
        response: { 200: Eligibility, ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request) => {
      await dossiers.online.checkEligible(requireCitizen(request), request.params.code);
      return { eligible: true as const };
    },
  );

  // Drafts: what was typed and uploaded, kept on the server so a dropped link or another device loses nothing.
  const DraftParams = z.object({ code: ProcedureCode });

  app.get(
    '/api/citizen/drafts',
    {
      schema: {
        tags: ['citizens'],
        summary: "The citizen's unfinished submissions",
        response: { 200: DraftList, 401: ErrorBody },
      },
    },
    async (request) => ({
      items: (await citizens.listDrafts(requireCitizen(request))).map((d) => ({
        procedureCode: d.procedure_code,
        procedureName: d.name,
        updatedAt: new Date(d.updated_at).toISOString(),
      })),
    }),
  );

  app.get(
    '/api/citizen/drafts/:code',
    {
      schema: {
        tags: ['citizens'],
        summary: 'A draft: the fields typed and the files uploaded per component (empty if none)',
        params: DraftParams,
        response: { 200: Draft, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const draft = await citizens.getDraft(requireCitizen(request), request.params.code);
      return {
        procedureCode: request.params.code,
        data: draft?.data ?? {},
        files: draft?.files ?? {},
        updatedAt: draft ? new Date(draft.updated_at).toISOString() : null,
      };
    },
  );

  app.put(
    '/api/citizen/drafts/:code',
    {
      bodyLimit: 32_768,
      schema: {
        tags: ['citizens'],
        summary: 'Save what was typed (the files are kept as they are)',
        params: DraftParams,
        body: z.object({ data: z.record(z.string(), z.unknown()) }),
        response: { 204: z.null(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await citizens.saveDraft(requireCitizen(request), request.params.code, request.body.data);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/citizen/drafts/:code',
    {
      schema: {
        tags: ['citizens'],
        summary: 'Throw a draft away',
        params: DraftParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await citizens.deleteDraft(requireCitizen(request), request.params.code);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/citizen/drafts/:code/components/:key/file',
    {
      schema: {
        tags: ['citizens'],
        summary:
          "A component's paper: one PDF, or photos/scans (JPEG, PNG) made into one PDF; replaces the last",
        params: z.object({ code: ProcedureCode, key: ComponentKey }),
        response: { 201: DraftFile, ...errorResponses(400, 401, 403, 404, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const citizen = requireCitizen(request);
      const procedure = await dossiers.online.checkEligible(citizen, request.params.code);
      const component = procedure.definition.components.find((c) => c.key === request.params.key);
      if (!component) throw new AppError('COMPONENT_NOT_FOUND', { key: request.params.key });
      const { uploads } = await readForm(request, limits);
      const file = await documents.storeForCitizen(uploads, component.name);
      await citizens.setDraftFile(citizen, request.params.code, component.key, file);
      return reply.status(201).send(file);
    },
  );

  app.delete(
    '/api/citizen/drafts/:code/components/:key/file',
    {
      schema: {
        tags: ['citizens'],
        summary: "Remove a component's paper from the draft",
        params: z.object({ code: ProcedureCode, key: ComponentKey }),
        response: { 204: z.null(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await citizens.setDraftFile(requireCitizen(request), request.params.code, request.params.key, null);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/citizen/dossiers',
    {
      schema: {
        tags: ['citizens'],
        summary: "File online: the applicant is the VNeID identity, the papers are the draft's files",
        description:
          'Refused (403 IDENTITY_LEVEL_TOO_LOW) when the procedure needs a higher VNeID level, 422 PROCEDURE_NOT_ONLINE when it cannot be filed online, 422 MISSING_COMPONENTS when a required paper is not uploaded. Send an Idempotency-Key: a retry never files twice. The draft is removed in the same transaction.',
        headers: Idem,
        body: OnlineSubmission,
        response: { 201: SubmittedDossier, ...errorResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const actor = citizenActorOf(request);
      const code = request.body.procedureCode;
      const files = await citizens.draftFiles(actor.citizen, code);
      const answer = await dossiers.online.submit(
        actor,
        request.body,
        Object.keys(files),
        request.headers['idempotency-key'],
        async (trx, dossier) => {
          await documents.attachForCitizen(
            trx,
            {
              dossierId: dossier.id,
              citizenId: actor.citizen.citizenId,
              unitCode: dossier.unitCode,
              citizenAccountId: actor.citizen.id,
            },
            files,
          );
          await citizens.deleteDraft(actor.citizen, code, trx);
        },
      );
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(answer.body);
    },
  );

  app.get(
    '/api/citizen/dossiers',
    {
      schema: {
        tags: ['citizens'],
        summary: "The citizen's own dossiers (by their personal ID), newest first, whatever the channel",
        querystring: z.object({ page: PageNumber, pageSize: PageSize(50, 10) }),
        response: { 200: CitizenDossierList, ...errorResponses(400, 401) },
      },
    },
    async (request) =>
      dossiers.citizen.listForCitizen(citizenActorOf(request), request.query.page, request.query.pageSize),
  );

  const IdParams = z.object({ id: DossierId });

  app.get(
    '/api/citizen/dossiers/:id',
    {
      schema: {
        tags: ['citizens'],
        summary: 'One of their dossiers: status, timeline, what a supplement asks for, result and rating',
        params: IdParams,
        response: { 200: CitizenDossier, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => dossiers.citizen.getForCitizen(citizenActorOf(request), request.params.id),
  );

  app.get(
    '/api/citizen/dossiers/:id/result.pdf',
    {
      schema: {
        tags: ['citizens'],
        summary: 'Their signed electronic result (PAdES)',
        params: IdParams,
        response: {
          200: fileResponse('The signed result (PAdES)', 'application/pdf'),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const actor = citizenActorOf(request);
      const row = await dossiers.citizen.getOwn(actor, request.params.id);
      const latest = await results.findLatestResultDocument(Number(row.id));
      if (!latest) throw new AppError('RESULT_NOT_FOUND', { code: row.code });
      const file = await documents.readStored(latest.document_id, Number(row.id));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition(`ket-qua-${row.code}.pdf`))
        .header('cache-control', 'private, no-store')
        .send(file.bytes);
    },
  );

  app.post(
    '/api/citizen/dossiers/:id/components/:key/documents',
    {
      schema: {
        tags: ['citizens'],
        summary: 'Upload a paper a supplement request asks for (while the dossier awaits the supplement)',
        params: z.object({ id: DossierId, key: ComponentKey }),
        response: { 201: DraftFile, ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const actor = citizenActorOf(request);
      // Checked before a byte of the upload is read; checked again under the row lock when attaching.
      const { id, component } = await dossiers.citizen.openForSupplement(
        actor,
        request.params.id,
        request.params.key,
      );
      const { uploads } = await readForm(request, limits);
      const file = await documents.storeForCitizen(uploads, component.name);
      await dossiers.citizen.attach(actor, id, (trx, unitCode) =>
        documents.attachForCitizen(
          trx,
          {
            dossierId: id,
            citizenId: actor.citizen.citizenId,
            unitCode,
            citizenAccountId: actor.citizen.id,
          },
          { [component.key]: file },
        ),
      );
      return reply.status(201).send(file);
    },
  );

  app.post(
    '/api/citizen/dossiers/:id/supplement',
    {
      schema: {
        tags: ['citizens'],
        summary:
          'Hand in the supplement: the clock runs again and the officer who asked gets the dossier back',
        params: IdParams,
        headers: Idem,
        body: z.object({
          note: z.string().trim().max(1000, { error: 'Ghi chú tối đa 1000 ký tự' }).optional(),
        }),
        response: { 200: CitizenDossier, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      dossiers.citizen.supplement(
        citizenActorOf(request),
        request.params.id,
        request.body.note,
        request.headers['idempotency-key'],
      ),
  );

  app.post(
    '/api/citizen/dossiers/:id/rating',
    {
      schema: {
        tags: ['citizens'],
        summary: 'Rate the service: very satisfied, satisfied or not satisfied, with a comment (once)',
        params: IdParams,
        body: RatingInput,
        response: { 201: CitizenDossier, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const view = await dossiers.citizen.rate(citizenActorOf(request), request.params.id, request.body);
      return reply.status(201).send(view);
    },
  );
};
