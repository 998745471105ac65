import type { z } from 'zod';
import {
  FigureDossiers,
  FigureMetric,
  Indicators,
  ProcedureFiguresList,
  PublicStats,
  Ranking,
  Trend,
} from '../../core/stats/stats.schemas.ts';
import { ProvinceList, UnitDetail } from '../../core/units/units.schemas.ts';
import { api, toQuery } from './client.ts';

export type {
  FigureDossier,
  Indicators,
  InProgress,
  ProcedureFigures,
  PublicStats,
  Ranking,
  RankingItem,
  Ratio,
  Received,
  Resolved,
  Satisfaction,
  Score766,
  StatsUnitRef,
  Trend,
  TrendPoint,
} from '../../core/stats/stats.schemas.ts';
export type { FigureMetric };

/** What every figure is asked for: a unit ('VN', a province or a commune), a period and the filters. */
export type StatsParams = {
  unit: string;
  from: string;
  to: string;
  channel?: string;
  field?: string;
  procedure?: string;
};

/** The counters a figure's dossiers are listed by (stats.service.ts FIGURE_METRICS). */
export const FIGURE_METRICS = FigureMetric.options;

const get = <S extends z.ZodType>(path: string, schema: S, params: object, signal?: AbortSignal) =>
  api(`${path}${toQuery(params as Record<string, string>)}`, schema, signal ? { signal } : {});

export const getIndicators = (p: StatsParams, signal?: AbortSignal) =>
  get('/api/stats/indicators', Indicators, p, signal);

export const getRanking = (p: StatsParams, signal?: AbortSignal) =>
  get('/api/stats/ranking', Ranking, p, signal);

export const getTrend = (p: StatsParams, signal?: AbortSignal) => get('/api/stats/trend', Trend, p, signal);

export const getProcedureFigures = (p: StatsParams, signal?: AbortSignal) =>
  get('/api/stats/procedures', ProcedureFiguresList, p, signal);

export const getFigureDossiers = (
  p: StatsParams & { metric: FigureMetric; page: number; pageSize: number },
  signal?: AbortSignal,
) => get('/api/stats/dossiers', FigureDossiers, p, signal);

export const getPublicStats = (p: StatsParams, signal?: AbortSignal) =>
  get('/api/public/stats', PublicStats, p, signal);

export const getPublicRanking = (p: StatsParams, signal?: AbortSignal) =>
  get('/api/public/stats/ranking', Ranking, p, signal);

/** A unit's names (a commune with its province's), for the way up from a commune's dashboard. */
export const getUnitSummary = (code: string) => api(`/api/units/${encodeURIComponent(code)}`, UnitDetail);

/** The provinces in force today, for the board's unit picker. */
export const listProvinces = () => api('/api/units/provinces', ProvinceList);
