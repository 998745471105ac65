import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CitizenConsentAnswer,
  CitizenConsentRequests,
  ConsentConfirmed,
  ConsentRequested,
  ConsentStatus,
} from '../../../../core/documents/documents.schemas.ts';
import { DossierId } from '../../../../core/dossiers/dossier-inputs.ts';
import { actorOf, requireStaff } from '../../../plugins/auth.ts';
import { citizenActorOf } from '../../../plugins/citizen-auth.ts';
import { errorResponses } from '../../../plugins/openapi.ts';
import type { StoreConsentService } from './store-consent.service.ts';

const Params = z.object({ id: DossierId });
/** The applicant's consent to open their store for one dossier: asked at the counter, answered. */
export const storeConsentRoutes: FastifyPluginAsyncZod<{ consent: StoreConsentService }> = async (
  app,
  { consent },
) => {
  app.post(
    '/api/dossiers/:id/store-consent',
    {
      schema: {
        tags: ['documents'],
        summary: "Ask the applicant's consent to use their store for this dossier",
        description:
          '`sms` (default): a 6-digit code, valid 10 minutes, to the phone VNeID vouches for (422 CONSENT_NO_PHONE if none; 502/503 when the gateway fails, and no request stays live). `portal`: a request the citizen approves in their VNeID session. At most 3 requests per dossier per 10 minutes (429). `demoCode` is set only by the development sender in demo mode.',
        params: Params,
        body: z
          .object({
            channel: z.enum(['sms', 'portal'], { error: 'Cách xin phép: sms hoặc portal' }).default('sms'),
          })
          .default({ channel: 'sms' }),
        response: {
          201: ConsentRequested,
          ...errorResponses(400, 401, 403, 404, 409, 422, 429, 502, 503),
        },
      },
    },
    async (request, reply) => {
      const answer = await consent.request(actorOf(request), request.params.id, request.body.channel);
      return reply.status(201).send(answer);
    },
  );

  app.post(
    '/api/dossiers/:id/store-consent/confirm',
    {
      schema: {
        tags: ['documents'],
        summary: 'The code the citizen read out: the consent is granted (5 wrong tries void the code)',
        params: Params,
        body: z.object({
          code: z
            .string({ error: 'Nhập mã xác nhận 6 chữ số' })
            .trim()
            .regex(/^\d{6}$/, { error: 'Mã xác nhận gồm 6 chữ số' }),
        }),
        response: {
          200: ConsentConfirmed,
          ...errorResponses(400, 401, 403, 404, 409, 410, 422, 429),
        },
      },
    },
    async (request) => consent.confirm(actorOf(request), request.params.id, request.body.code),
  );

  app.get(
    '/api/dossiers/:id/store-consent',
    {
      schema: {
        tags: ['documents'],
        summary: "Where the applicant's consent stands: the grant in force, or the request waiting",
        params: Params,
        response: {
          200: ConsentStatus,
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => consent.getStatus(requireStaff(request), request.params.id),
  );

  app.get(
    '/api/citizen/store-consents',
    {
      schema: {
        tags: ['citizens'],
        summary: 'Requests from a counter to use papers of my store, waiting for my answer',
        response: {
          200: CitizenConsentRequests,
          ...errorResponses(401),
        },
      },
    },
    async (request) => consent.listForCitizen(citizenActorOf(request)),
  );

  app.post(
    '/api/citizen/store-consents/:requestId/:answer',
    {
      schema: {
        tags: ['citizens'],
        summary: 'Approve or decline a request (approval needs VNeID level 2)',
        params: z.object({
          requestId: z.coerce.number().int().positive(),
          answer: z.enum(['approve', 'decline'], { error: 'approve hoặc decline' }),
        }),
        response: {
          200: CitizenConsentAnswer,
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) =>
      consent.answer(citizenActorOf(request), request.params.requestId, request.params.answer === 'approve'),
  );
};
