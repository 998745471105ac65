import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ReportFile,
  ReportFileList,
  ReportFormat,
  ReportFrequency,
  ReportSchedule,
  ReportScheduleList,
} from '../../../core/stats/reports.schemas.ts';
import { checkPeriod, StatsQueryFields, StatsUnit } from '../../../core/stats/stats.schemas.ts';
import { IdempotencyKeyHeader } from '../../kernel/idempotency.ts';
import { actorOf, originOf, requireStaff } from '../../plugins/auth.ts';
import { errorResponses, fileResponse } from '../../plugins/openapi.ts';
import { REPORT_TABLES } from './report-data.ts';
import { MEDIA_TYPES, type ReportsService } from './reports.service.ts';

const Period = StatsQueryFields.pick({ unit: true, from: true, to: true });
const CreateBody = Period.extend({
  format: ReportFormat,
}).superRefine(checkPeriod);
const CsvQuery = Period.extend({
  table: z.enum(REPORT_TABLES, { error: `Bảng phải là một trong: ${REPORT_TABLES.join(', ')}` }),
}).superRefine(checkPeriod);
const ListQuery = z.object({
  unit: StatsUnit,
  page: z.coerce.number().int().min(1, { error: 'Trang phải từ 1' }).default(1),
  pageSize: z.coerce.number().int().min(1).max(100, { error: 'Tối đa 100 mỗi trang' }).default(20),
});
const Id = z.object({ id: z.coerce.number().int().positive({ error: 'Mã không hợp lệ' }) });

const errors = errorResponses(400, 401, 403, 404, 409);

export const reportsRoutes: FastifyPluginAsyncZod<{ reports: ReportsService }> = async (app, { reports }) => {
  app.get(
    '/api/reports',
    {
      schema: {
        tags: ['reports'],
        summary: "A unit's kept report files (made on request or by a schedule), newest first",
        querystring: ListQuery,
        response: { 200: ReportFileList, ...errors },
      },
    },
    async (request) => reports.list(requireStaff(request), request.query),
  );

  app.post(
    '/api/reports',
    {
      schema: {
        tags: ['reports'],
        summary: 'Make the periodic report of a unit for a period, as XLSX or PDF, and keep it',
        description: 'Send an Idempotency-Key: a retry returns the first file instead of making another.',
        headers: z.object({ 'idempotency-key': IdempotencyKeyHeader }),
        body: CreateBody,
        response: { 201: ReportFile, ...errors },
      },
    },
    async (request, reply) => {
      const { staff, ...origin } = actorOf(request);
      const answer = await reports.create(staff, origin, request.body, request.headers['idempotency-key']);
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(answer.body);
    },
  );

  app.get(
    '/api/reports/:id/file',
    {
      schema: {
        tags: ['reports'],
        summary: 'Download a kept report file',
        params: Id,
        response: {
          200: fileResponse(
            'The report file (XLSX or PDF, as it was made)',
            MEDIA_TYPES.xlsx,
            MEDIA_TYPES.pdf,
          ),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const file = await reports.file(requireStaff(request), request.params.id);
      return reply
        .header('content-type', file.mediaType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.bytes);
    },
  );

  app.get(
    '/api/reports/export.csv',
    {
      schema: {
        tags: ['reports'],
        summary: "One of the report's tables as CSV (summary, fields, score, procedures, units)",
        querystring: CsvQuery,
        response: {
          200: {
            description: 'The table as CSV (UTF-8)',
            content: { 'text/csv': { schema: z.string().describe('the CSV') } },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { csv, fileName } = await reports.csv(requireStaff(request), request.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(csv);
    },
  );

  app.get(
    '/api/reports/schedules',
    {
      schema: {
        tags: ['reports'],
        summary: "A unit's report schedules",
        querystring: z.object({ unit: StatsUnit }),
        response: { 200: ReportScheduleList, ...errors },
      },
    },
    async (request) => ({ items: await reports.schedules(requireStaff(request), request.query.unit) }),
  );

  app.post(
    '/api/reports/schedules',
    {
      schema: {
        tags: ['reports'],
        summary: 'Make a unit report monthly, quarterly or yearly (on the first hour after each period ends)',
        body: z.object({
          unit: StatsUnit,
          frequency: ReportFrequency,
        }),
        response: { 201: ReportSchedule, ...errors },
      },
    },
    async (request, reply) => {
      const schedule = await reports.addSchedule(requireStaff(request), originOf(request), request.body);
      return reply.status(201).send(schedule);
    },
  );

  app.delete(
    '/api/reports/schedules/:id',
    {
      schema: {
        tags: ['reports'],
        summary: 'Stop a schedule (the files it made are kept)',
        params: Id,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await reports.removeSchedule(requireStaff(request), originOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
