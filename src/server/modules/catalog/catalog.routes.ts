import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Duration } from '../../../core/calendar/schemas.ts';
import {
  OnlineLevel,
  ProcedureCode,
  ProcedureDefinition,
  ProcedureField,
} from '../../../core/catalog/procedure.schemas.ts';
import { PageNumber, PageSize } from '../../../core/paging.ts';
import { actorOf, requireStaff } from '../../plugins/auth.ts';
import { ErrorBody } from '../../plugins/openapi.ts';
import type { CatalogService } from './catalog.service.ts';

const ProcedureSummary = z.object({
  code: z.string(),
  name: z.string(),
  field: ProcedureField,
  fieldName: z.string(),
  competentAgency: z.string(),
  duration: Duration,
  onlineLevel: OnlineLevel,
  vneidLevel: z.number().nullable(),
  hasFees: z.boolean(),
  interAgency: z.boolean(),
  version: z.number(),
});

const CodeParams = z.object({ code: ProcedureCode });

export const catalogRoutes: FastifyPluginAsyncZod<{ catalog: CatalogService }> = async (app, { catalog }) => {
  app.get(
    '/api/procedures',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Search the published procedures (no sign-in; diacritics optional)',
        querystring: z.object({
          q: z.string().trim().max(200, { error: 'Từ khóa tối đa 200 ký tự' }).optional(),
          field: ProcedureField.optional(),
          onlineLevel: OnlineLevel.optional(),
          page: PageNumber,
          pageSize: PageSize(100, 20),
        }),
        response: {
          200: z.object({
            items: z.array(ProcedureSummary),
            total: z.number(),
            page: z.number(),
            pageSize: z.number(),
          }),
          400: ErrorBody,
        },
      },
    },
    async (request) => catalog.searchProcedures(request.query),
  );

  app.get(
    '/api/procedures/:code',
    {
      schema: {
        tags: ['catalog'],
        summary: 'A procedure as published now: components, fees, duration, steps, legal basis',
        params: CodeParams,
        response: {
          200: z.object({
            version: z.number(),
            publishedAt: z.date().nullable(),
            procedure: ProcedureDefinition,
          }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => {
      const row = await catalog.getPublished(request.params.code);
      return { version: row.version, publishedAt: row.publishedAt, procedure: row.definition };
    },
  );

  app.get(
    '/api/procedures/:code/versions',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Every version of a procedure (catalogue administrators)',
        params: CodeParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                version: z.number(),
                status: z.enum(['draft', 'published', 'retired']),
                publishedAt: z.date().nullable(),
                definition: ProcedureDefinition,
              }),
            ),
          }),
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => ({ items: await catalog.listVersions(requireStaff(request), request.params.code) }),
  );

  app.post(
    '/api/procedures',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Create a draft version of a procedure (new code → version 1)',
        body: ProcedureDefinition,
        response: {
          201: z.object({ code: z.string(), version: z.number(), status: z.literal('draft') }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await catalog.createVersion(actorOf(request), request.body)),
  );

  app.post(
    '/api/procedures/:code/versions/:version/publish',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Publish a draft; the version in force before it is retired (its dossiers keep it)',
        params: CodeParams.extend({ version: z.coerce.number().int().positive() }),
        response: {
          200: z.object({ code: z.string(), version: z.number(), status: z.literal('published') }),
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => catalog.publishVersion(actorOf(request), request.params.code, request.params.version),
  );
};
