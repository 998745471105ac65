import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CommuneList,
  CreateVillage,
  IsoDate,
  NormalizedAddress,
  Page,
  ProvinceList,
  RenameVillage,
  UnitCode,
  UnitCounts,
  UnitDetail,
  UnitList,
  UnitSearchQuery,
  Village,
  VillageAddress,
  VillageList,
} from '../../../core/units/units.schemas.ts';
import { requireStaff } from '../../plugins/auth.ts';
import { ErrorBody } from '../../plugins/openapi.ts';
import type { UnitsService } from './units.service.ts';
import type { VillagesService } from './villages.service.ts';

const errors = { 400: ErrorBody, 404: ErrorBody };
const writeErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const unitsRoutes: FastifyPluginAsyncZod<{ units: UnitsService; villages: VillagesService }> = async (
  app,
  { units, villages },
) => {
  app.get(
    '/api/units',
    {
      schema: {
        tags: ['units'],
        summary: 'Search units by name (diacritics, case and the type word ignored), or list them',
        querystring: UnitSearchQuery,
        response: { 200: UnitList, ...errors },
      },
    },
    (request) => units.searchUnits(request.query),
  );

  app.get(
    '/api/units/stats',
    {
      schema: {
        tags: ['units'],
        summary: 'How many units there are, before and after 1 July 2025',
        response: { 200: UnitCounts },
      },
    },
    () => units.countUnits(),
  );

  app.get(
    '/api/units/provinces',
    {
      schema: {
        tags: ['units'],
        summary: 'The provinces (34 since 1 July 2025, or the 63 before)',
        querystring: z.object({ era: z.enum(['current', 'before_2025']).default('current') }),
        response: { 200: ProvinceList, ...errors },
      },
    },
    async (request) => ({ items: await units.listProvinces(request.query.era) }),
  );

  app.get(
    '/api/units/provinces/:code/communes',
    {
      schema: {
        tags: ['units'],
        summary: "A province's communes, with search and paging",
        params: z.object({ code: z.string().regex(/^\d{2}$/, { error: 'Mã tỉnh gồm 2 chữ số' }) }),
        querystring: UnitSearchQuery.pick({ q: true, limit: true, offset: true }),
        response: { 200: CommuneList, ...errors },
      },
    },
    (request) => units.listCommunes(request.params.code, { ...request.query, era: 'current' }),
  );

  app.get(
    '/api/units/normalize',
    {
      schema: {
        tags: ['units'],
        summary: 'Resolve an address written with old unit names to the current commune',
        querystring: z.object({
          address: z
            .string({ error: 'Vui lòng nhập địa chỉ' })
            .trim()
            .min(3, { error: 'Địa chỉ quá ngắn' })
            .max(300, { error: 'Địa chỉ tối đa 300 ký tự' }),
        }),
        response: { 200: NormalizedAddress, ...errors },
      },
    },
    (request) => units.normalizeAddress(request.query.address),
  );

  app.get(
    '/api/units/:code',
    {
      schema: {
        tags: ['units'],
        summary: 'A unit by code: the one in force today (or on ?on=), with predecessors and successors',
        params: z.object({ code: UnitCode }),
        querystring: z.object({ on: IsoDate.optional() }),
        response: { 200: UnitDetail, ...errors },
      },
    },
    (request) => units.getUnit(request.params.code, request.query.on),
  );

  app.get(
    '/api/units/:code/villages',
    {
      schema: {
        tags: ['villages'],
        summary: "A commune's villages and residential groups, named as on a date",
        params: z.object({ code: UnitCode }),
        querystring: Page.extend({ q: z.string().trim().max(100).optional(), on: IsoDate.optional() }),
        response: { 200: VillageList, ...errors },
      },
    },
    (request) => villages.listVillages(request.params.code, request.query),
  );

  app.post(
    '/api/units/:code/villages',
    {
      schema: {
        tags: ['villages'],
        summary: 'Add a village or residential group (commune or province administrator)',
        params: z.object({ code: UnitCode }),
        body: CreateVillage,
        response: { 201: Village, ...writeErrors },
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      const village = await villages.createVillage(
        { staff, requestId: request.id },
        request.params.code,
        request.body,
      );
      return reply.status(201).send(village);
    },
  );

  app.get(
    '/api/villages/:id',
    {
      schema: {
        tags: ['villages'],
        summary: 'A village with its name history',
        params: z.object({ id: z.coerce.number().int().positive() }),
        querystring: z.object({ on: IsoDate.optional() }),
        response: { 200: Village, ...errors },
      },
    },
    (request) => villages.getVillage(request.params.id, request.query.on),
  );

  app.post(
    '/api/villages/:id/renames',
    {
      schema: {
        tags: ['villages'],
        summary: 'Rename a village from a date; the old name stays in the history',
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: RenameVillage,
        response: { 200: Village, ...writeErrors },
      },
    },
    (request) =>
      villages.renameVillage(
        { staff: requireStaff(request), requestId: request.id },
        request.params.id,
        request.body,
      ),
  );

  app.get(
    '/api/villages/:id/address',
    {
      schema: {
        tags: ['villages'],
        summary: 'The address of a village as it was written on a date',
        params: z.object({ id: z.coerce.number().int().positive() }),
        querystring: z.object({ on: IsoDate }),
        response: { 200: VillageAddress, ...errors },
      },
    },
    (request) => villages.addressOn(request.params.id, request.query.on),
  );
};
