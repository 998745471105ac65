import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ProcedureList,
  ProcedureVersionList,
  PublishedProcedure,
  VersionChange,
} from '../../../core/catalog/catalog.schemas.ts';
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

/** A province code (two digits) or 'VN' for the national catalogue. */
const CatalogueScope = z
  .string()
  .regex(/^(VN|\d{2})$/, { error: 'Phạm vi là VN (toàn quốc) hoặc mã tỉnh 2 chữ số' });
const ProvinceQuery = z
  .string()
  .regex(/^\d{2}$/, { error: 'Mã tỉnh gồm 2 chữ số' })
  .optional()
  .describe("the province whose communes' catalogue to show (its variants over the national versions)");

const CodeParams = z.object({ code: ProcedureCode });
const VersionParams = CodeParams.extend({ version: z.coerce.number().int().positive() });

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
          province: ProvinceQuery,
          page: PageNumber,
          pageSize: PageSize(100, 20),
        }),
        response: { 200: ProcedureList, 400: ErrorBody },
      },
    },
    async (request) => catalog.searchProcedures(request.query),
  );

  app.get(
    '/api/procedures/:code',
    {
      schema: {
        tags: ['catalog'],
        summary:
          "A procedure as published now for a province's communes (its variant, else the national version)",
        params: CodeParams,
        querystring: z.object({ province: ProvinceQuery }),
        response: { 200: PublishedProcedure, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request): Promise<PublishedProcedure> => {
      const row = await catalog.getPublished(request.params.code, request.query.province ?? null);
      return {
        version: row.version,
        scope: row.scope,
        publishedAt: row.publishedAt?.toISOString() ?? null,
        procedure: row.definition,
      };
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
          200: ProcedureVersionList,
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
        summary:
          'Create a draft version of a procedure (new code → version 1): national (system administrator) or a province variant (fees, steps, duration)',
        querystring: z.object({
          scope: CatalogueScope.optional().describe(
            "default: the person's own (a province admin's province)",
          ),
        }),
        body: ProcedureDefinition,
        response: {
          201: VersionChange('draft'),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await catalog.createVersion(actorOf(request), request.body, request.query.scope)),
  );

  app.post(
    '/api/procedures/:code/versions/:version/publish',
    {
      schema: {
        tags: ['catalog'],
        summary:
          'Publish a draft; the version in force before it in the same scope is retired (its dossiers keep it)',
        params: VersionParams,
        response: {
          200: VersionChange('published'),
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => catalog.publishVersion(actorOf(request), request.params.code, request.params.version),
  );

  app.post(
    '/api/procedures/:code/versions/:version/retire',
    {
      schema: {
        tags: ['catalog'],
        summary: "Retire a published version; a retired variant's province goes back to the national version",
        params: VersionParams,
        response: {
          200: VersionChange('retired'),
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request) => catalog.retireVersion(actorOf(request), request.params.code, request.params.version),
  );
};
