import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  checkPeriod,
  FigureDossiers,
  FigureMetric,
  Indicators,
  ProcedureFiguresList,
  PublicStats,
  Ranking,
  StatsQuery,
  StatsQueryFields,
  Trend,
} from '../../../core/stats/stats.schemas.ts';
import { requireStaff } from '../../plugins/auth.ts';
import { errorResponses } from '../../plugins/openapi.ts';
import type { StatsService } from './stats.service.ts';

const DossierListQuery = StatsQueryFields.extend({
  metric: FigureMetric,
  page: z.coerce.number().int().min(1, { error: 'Trang phải từ 1' }).default(1),
  pageSize: z.coerce.number().int().min(1).max(100, { error: 'Tối đa 100 hồ sơ mỗi trang' }).default(20),
}).superRefine(checkPeriod);

const errors = errorResponses(400, 401, 403, 404);

export const statsRoutes: FastifyPluginAsyncZod<{ stats: StatsService }> = async (app, { stats }) => {
  app.get(
    '/api/stats/indicators',
    {
      schema: {
        tags: ['stats'],
        summary: "A unit's indicators and Decision 766 score for a period (commune, province or VN)",
        description:
          'Flows (received, resolved, rated) count in the period; the in-progress and overdue figures are ' +
          'those at the end of its last day (or today). Every ratio carries its formula, numerator and denominator.',
        querystring: StatsQuery,
        response: { 200: Indicators, ...errors },
      },
    },
    async (request) => {
      const unit = await stats.unitFor(requireStaff(request), request.query.unit);
      return stats.indicators(unit, request.query);
    },
  );

  app.get(
    '/api/stats/ranking',
    {
      schema: {
        tags: ['stats'],
        summary: "A province's communes (or the nation's provinces), each with its indicators, best first",
        querystring: StatsQuery,
        response: { 200: Ranking, ...errors },
      },
    },
    async (request) => {
      const unit = await stats.unitFor(requireStaff(request), request.query.unit);
      return stats.ranking(unit, request.query);
    },
  );

  app.get(
    '/api/stats/trend',
    {
      schema: {
        tags: ['stats'],
        summary: 'Received, resolved and on time per day (periods up to two months) or per month',
        querystring: StatsQuery,
        response: { 200: Trend, ...errors },
      },
    },
    async (request) => {
      const unit = await stats.unitFor(requireStaff(request), request.query.unit);
      return stats.trend(unit, request.query);
    },
  );

  app.get(
    '/api/stats/procedures',
    {
      schema: {
        tags: ['stats'],
        summary: 'The figures per procedure in the unit and period',
        querystring: StatsQuery,
        response: { 200: ProcedureFiguresList, ...errors },
      },
    },
    async (request) => {
      const unit = await stats.unitFor(requireStaff(request), request.query.unit);
      return { items: await stats.byProcedure(unit, request.query) };
    },
  );

  app.get(
    '/api/stats/dossiers',
    {
      schema: {
        tags: ['stats'],
        summary: 'The dossiers behind a figure (commune or province), counted as the figure is',
        querystring: DossierListQuery,
        response: { 200: FigureDossiers, ...errors },
      },
    },
    async (request) => {
      const unit = await stats.unitFor(requireStaff(request), request.query.unit);
      return stats.dossiers(unit, request.query, { masked: false });
    },
  );

  // The public board: no sign-in, the figures citizens are promised, names reduced to initials.
  app.get(
    '/api/public/stats',
    {
      schema: {
        tags: ['public'],
        summary:
          "The public board: a unit's on-time, online and satisfaction shares, 766 score, overdue list",
        querystring: StatsQuery,
        response: { 200: PublicStats, ...errors },
      },
    },
    async (request): Promise<PublicStats> => {
      const unit = await stats.unitFor(null, request.query.unit);
      const figures = await stats.indicators(unit, request.query);
      const overdue =
        unit.level === 'nation'
          ? null
          : await stats.dossiers(
              unit,
              { ...request.query, metric: 'overdue', page: 1, pageSize: 50 },
              { masked: true },
            );
      return {
        unit: figures.unit,
        period: figures.period,
        received: figures.received,
        resolved: figures.resolved,
        inProgress: figures.inProgress,
        onTimeShare: figures.onTimeShare,
        onlineShare: figures.onlineShare,
        fullOnlineShare: figures.fullOnlineShare,
        satisfaction: figures.satisfaction,
        processingDays: figures.processingDays,
        score766: figures.score766,
        overdue: overdue && {
          total: overdue.total,
          // No dossier code: the board is public and a code opens the tracking page.
          items: overdue.items.map((d) => ({
            procedureName: d.procedureName,
            applicant: d.applicant,
            receivedAt: d.receivedAt,
            dueAt: d.dueAt,
            daysOverdue: d.daysOverdue,
          })),
        },
      };
    },
  );

  app.get(
    '/api/public/stats/ranking',
    {
      schema: {
        tags: ['public'],
        summary: "The public board's ranking: a province's communes, or the nation's provinces",
        querystring: StatsQuery,
        response: { 200: Ranking, ...errors },
      },
    },
    async (request) => {
      const unit = await stats.unitFor(null, request.query.unit);
      return stats.ranking(unit, request.query);
    },
  );
};
