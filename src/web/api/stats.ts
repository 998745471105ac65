import type { Channel } from '../../core/dossiers/dossier-status.ts';
import type { Ratio, Score766 } from '../../core/stats/indicators.ts';
import type { UnitSummary } from '../../core/units/units.schemas.ts';
import { api, toQuery } from './client.ts';

export type { Ratio, Score766 };

/** What every figure is asked for: a unit ('VN', a province or a commune), a period and the filters. */
export type StatsParams = {
  unit: string;
  from: string;
  to: string;
  channel?: string;
  field?: string;
  procedure?: string;
};

export type StatsUnitRef = {
  code: string;
  name: string;
  level: 'nation' | 'province' | 'commune';
  provinceCode: string | null;
};

export type Received = { total: number; counter: number; online: number; postal: number };
export type Resolved = { total: number; early: number; onTime: number; late: number };
export type InProgress = { total: number; onTime: number; overdue: number };
export type Satisfaction = {
  rated: number;
  verySatisfied: number;
  satisfied: number;
  notSatisfied: number;
  share: number | null;
};

/** GET /api/stats/indicators (src/core/stats/indicators.ts computes it). */
export type Indicators = {
  unit: StatsUnitRef;
  period: { from: string; to: string; asOf: string };
  received: Received;
  resolved: Resolved;
  inProgress: InProgress;
  processingDays: { average: number | null; median: number | null; formula: string };
  onlineShare: number | null;
  fullOnlineShare: number | null;
  onTimeShare: number | null;
  onlinePaymentShare: number | null;
  satisfaction: Satisfaction;
  ratios: Record<string, Ratio>;
  score766: Score766;
};

export type RankingItem = {
  code: string;
  name: string;
  received: Received;
  resolved: Resolved;
  inProgress: InProgress;
  onTimeShare: number | null;
  onlineShare: number | null;
  satisfactionShare: number | null;
  score766: number | null;
  groups: { key: string; points: number | null; max: number }[];
};

export type TrendPoint = {
  period: string;
  received: number;
  online: number;
  counter: number;
  postal: number;
  resolved: number;
  onTime: number;
  late: number;
};
export type Trend = { granularity: 'day' | 'month'; points: TrendPoint[] };

export type ProcedureFigures = {
  code: string;
  name: string;
  field: string | null;
  received: number;
  online: number;
  resolved: number;
  late: number;
  onTimeShare: number | null;
};

/** The counters a figure's dossiers are listed by (stats.service.ts FIGURE_METRICS). */
export const FIGURE_METRICS = [
  'received',
  'resolved',
  'resolved_late',
  'overdue',
  'in_progress',
  'e_results',
  'paid_online',
  'rated',
] as const;
export type FigureMetric = (typeof FIGURE_METRICS)[number];

export type FigureDossier = {
  code: string;
  procedureCode: string;
  procedureName: string;
  channel: Channel;
  applicant: string;
  state: string;
  receivedAt: string | null;
  dueAt: string | null;
  resultReadyAt: string | null;
  daysOverdue: number;
};

/** The public board: a subset of the indicators, and the overdue dossiers with initials only. */
export type PublicStats = Pick<
  Indicators,
  | 'unit'
  | 'period'
  | 'received'
  | 'resolved'
  | 'inProgress'
  | 'onTimeShare'
  | 'onlineShare'
  | 'fullOnlineShare'
  | 'satisfaction'
  | 'processingDays'
  | 'score766'
> & {
  overdue: {
    total: number;
    items: Pick<FigureDossier, 'procedureName' | 'applicant' | 'receivedAt' | 'dueAt' | 'daysOverdue'>[];
  } | null;
};

const get = <T>(path: string, params: object, signal?: AbortSignal) =>
  api<T>(`${path}${toQuery(params as Record<string, string>)}`, signal ? { signal } : {});

export const getIndicators = (p: StatsParams, signal?: AbortSignal) =>
  get<Indicators>('/api/stats/indicators', p, signal);

export const getRanking = (p: StatsParams, signal?: AbortSignal) =>
  get<{ items: RankingItem[] }>('/api/stats/ranking', p, signal);

export const getTrend = (p: StatsParams, signal?: AbortSignal) => get<Trend>('/api/stats/trend', p, signal);

export const getProcedureFigures = (p: StatsParams, signal?: AbortSignal) =>
  get<{ items: ProcedureFigures[] }>('/api/stats/procedures', p, signal);

export const getFigureDossiers = (
  p: StatsParams & { metric: FigureMetric; page: number; pageSize: number },
  signal?: AbortSignal,
) => get<{ total: number; items: FigureDossier[] }>('/api/stats/dossiers', p, signal);

export const getPublicStats = (p: StatsParams, signal?: AbortSignal) =>
  get<PublicStats>('/api/public/stats', p, signal);

export const getPublicRanking = (p: StatsParams, signal?: AbortSignal) =>
  get<{ items: RankingItem[] }>('/api/public/stats/ranking', p, signal);

/** A unit's names (a commune with its province's), for the way up from a commune's dashboard. */
export const getUnitSummary = (code: string) =>
  api<Pick<UnitSummary, 'code' | 'name' | 'level' | 'provinceCode' | 'provinceName'>>(
    `/api/units/${encodeURIComponent(code)}`,
  );

/** The provinces in force today, for the board's unit picker. */
export const listProvinces = () =>
  api<{ items: Pick<UnitSummary, 'code' | 'name'>[] }>('/api/units/provinces');
