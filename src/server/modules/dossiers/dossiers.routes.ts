import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type ActionInput, actionBody, DOSSIER_ACTIONS } from '../../../core/dossiers/dossier-actions.ts';
import { DossierId, IntakeInput } from '../../../core/dossiers/dossier-inputs.ts';
import {
  DossierEvents,
  DossierList,
  DossierView,
  IntakeAnswer,
} from '../../../core/dossiers/dossier-views.schemas.ts';
import { IdempotencyKeyHeader } from '../../kernel/idempotency.ts';
import { actorOf } from '../../plugins/auth.ts';
import { parseRequestPart } from '../../plugins/error-handler.ts';
import { ErrorBody, errorResponses } from '../../plugins/openapi.ts';
import { DossierListQuery } from './dossier-lists.ts';
import type { DossiersService } from './dossiers.service.ts';

const IdParams = z.object({ id: DossierId });
const Headers = z.object({ 'idempotency-key': IdempotencyKeyHeader });
const errors = errorResponses(400, 401, 403, 404, 409, 422);

export const dossiersRoutes: FastifyPluginAsyncZod<{ dossiers: DossiersService }> = async (
  app,
  { dossiers },
) => {
  app.post(
    '/api/dossiers',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Register a dossier (counter, postal: received at once; online: waits for reception)',
        description: 'Send an Idempotency-Key: a retry with the same key returns the first answer.',
        headers: Headers,
        body: IntakeInput,
        response: { 201: IntakeAnswer, ...errors },
      },
    },
    async (request, reply) => {
      const answer = await dossiers.intake(
        actorOf(request),
        request.body,
        request.headers['idempotency-key'],
      );
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      // A replay answers as the first request did: 201 with the same body.
      return reply.status(201).send(answer.body);
    },
  );

  app.get(
    '/api/dossiers',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Work lists and search: mine, unit, due today, due soon, overdue, waiting for the applicant',
        querystring: DossierListQuery,
        response: {
          200: DossierList,
          400: ErrorBody,
          401: ErrorBody,
        },
      },
    },
    async (request) => dossiers.list(actorOf(request), request.query),
  );

  app.get(
    '/api/dossiers/:id',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'A dossier in full, with its control slip and the actions the caller may take',
        params: IdParams,
        response: { 200: DossierView, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => dossiers.get(actorOf(request), request.params.id),
  );

  app.get(
    '/api/dossiers/:id/events',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'The append-only event list of a dossier',
        params: IdParams,
        response: {
          200: DossierEvents,
          401: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => ({ items: await dossiers.listEvents(actorOf(request), request.params.id) }),
  );

  app.post(
    '/api/dossiers/:id/actions/:action',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Take an action; send the version you saw to be refused (409) if someone acted first',
        description: `Actions: ${DOSSIER_ACTIONS.join(', ')}. The body depends on the action.`,
        headers: Headers,
        params: IdParams.extend({ action: z.enum(DOSSIER_ACTIONS, { error: 'Thao tác không tồn tại' }) }),
        body: z.record(z.string(), z.unknown()).default({}),
        response: { 200: DossierView, ...errors },
      },
    },
    async (request, reply) => {
      const { id, action } = request.params;
      const input = parseRequestPart(actionBody(action), request.body ?? {}, 'body');
      const answer = await dossiers.act(
        actorOf(request),
        id,
        action,
        input as ActionInput & { version?: number },
        request.headers['idempotency-key'],
      );
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(200).send(answer.body);
    },
  );
};
