import { z } from 'zod';
import { toLocalDate } from '../calendar/vn-time.ts';
import { ProcedureField } from '../catalog/procedure.schemas.ts';
import { CHANNELS } from '../dossiers/dossier-status.ts';
import { IsoDate } from '../units/units.schemas.ts';

/** A unit's code for the figures: 'VN', a province (2 digits) or a commune (5 digits). */
export const StatsUnit = z
  .string({ error: 'Vui lòng chọn đơn vị' })
  .trim()
  .regex(/^(VN|\d{2}|\d{5})$/, { error: 'Mã đơn vị phải là VN, mã tỉnh (2 chữ số) hoặc mã xã (5 chữ số)' });

/** The longest period one request may cover (ten years): enough for any report, bounded for the server. */
const MAX_DAYS = 3660;

export const StatsQueryFields = z.object({
  unit: StatsUnit,
  /** Without dates: this month so far (Vietnam's calendar). */
  from: IsoDate.default(() => `${toLocalDate(new Date()).slice(0, 7)}-01`),
  to: IsoDate.default(() => toLocalDate(new Date())),
  channel: z.enum(CHANNELS, { error: 'Kênh phải là counter, online hoặc postal' }).optional(),
  field: ProcedureField.optional(),
  procedure: z
    .string()
    .trim()
    .regex(/^[\d.]{3,20}$/, { error: 'Mã thủ tục không hợp lệ' })
    .optional(),
});

/** The period is in order and at most ten years long. */
export function checkPeriod(q: { from: string; to: string }, ctx: z.RefinementCtx) {
  if (q.from > q.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'Ngày kết thúc phải từ ngày bắt đầu trở đi' });
  } else if ((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 > MAX_DAYS) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'Khoảng thời gian tối đa là 10 năm' });
  }
}

export const StatsQuery = StatsQueryFields.superRefine(checkPeriod);
export type StatsQuery = z.infer<typeof StatsQuery>;

/** The counters a figure's dossiers are listed by (GET /api/stats/dossiers?metric=). */
export const FigureMetric = z.enum(
  ['received', 'resolved', 'resolved_late', 'overdue', 'in_progress', 'e_results', 'paid_online', 'rated'],
  { error: 'Chỉ số không hợp lệ' },
);
export type FigureMetric = z.infer<typeof FigureMetric>;

// ——— The answers (src/core/stats/indicators.ts computes the figures) ———

/** Whose figures: the nation, a province or a commune. */
export const StatsUnitRef = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['nation', 'province', 'commune']),
  provinceCode: z.string().nullable(),
});
export type StatsUnitRef = z.infer<typeof StatsUnitRef>;

/** The period asked, and the evening the state figures describe (its last day, or today while it runs). */
export const StatsPeriod = z.object({ from: z.string(), to: z.string(), asOf: z.string() });
export type StatsPeriod = z.infer<typeof StatsPeriod>;

/** The filters the figures were counted with, echoed (null: not filtered). */
export const StatsFilterEcho = z.object({
  channel: z.enum(CHANNELS).nullable(),
  field: ProcedureField.nullable(),
  procedure: z.string().nullable(),
});
export type StatsFilterEcho = z.infer<typeof StatsFilterEcho>;

/** A share with what it is made of, so an inspector can recompute it. */
export const Ratio = z.object({
  value: z.number().nullable(),
  numerator: z.number(),
  denominator: z.number(),
  formula: z.string(),
});
export type Ratio = z.infer<typeof Ratio>;

export const ScoreIndicator = z.object({
  key: z.string(),
  name: z.string(),
  max: z.number(),
  target: z.number().nullable().describe('the target share where Decision 766 sets one'),
  ratio: Ratio,
  points: z.number().nullable().describe('null when nothing was there to measure (left out of the total)'),
  formula: z.string(),
});
export type ScoreIndicator = z.infer<typeof ScoreIndicator>;

export const ScoreGroup = z.object({
  key: z.string(),
  name: z.string(),
  max: z.number(),
  points: z.number().nullable(),
  indicators: z.array(ScoreIndicator),
});
export type ScoreGroup = z.infer<typeof ScoreGroup>;

export const Score766 = z.object({
  total: z.number().nullable().describe('out of 100, over the indicators that could be measured'),
  earned: z.number(),
  measurableMax: z.number(),
  formula: z.string(),
  groups: z.array(ScoreGroup),
});
export type Score766 = z.infer<typeof Score766>;

export const Received = z.object({
  total: z.number(),
  counter: z.number(),
  online: z.number(),
  postal: z.number(),
});
export type Received = z.infer<typeof Received>;
export const Resolved = z.object({
  total: z.number(),
  early: z.number(),
  onTime: z.number(),
  late: z.number(),
});
export type Resolved = z.infer<typeof Resolved>;
export const InProgress = z.object({ total: z.number(), onTime: z.number(), overdue: z.number() });
export type InProgress = z.infer<typeof InProgress>;
export const Satisfaction = z.object({
  rated: z.number(),
  verySatisfied: z.number(),
  satisfied: z.number(),
  notSatisfied: z.number(),
  share: z.number().nullable(),
});
export type Satisfaction = z.infer<typeof Satisfaction>;
export const ProcessingDays = z.object({
  average: z.number().nullable(),
  median: z.number().nullable(),
  formula: z.string(),
});
export type ProcessingDays = z.infer<typeof ProcessingDays>;

/** Every ratio behind the figures, by name, each with its formula, numerator and denominator. */
export const Ratios = z.object({
  onTime: Ratio,
  inProgressOnTime: Ratio,
  online: Ratio,
  fullOnline: Ratio,
  proceduresOnline: Ratio,
  proceduresComplete: Ratio,
  apologized: Ratio,
  payment: Ratio,
  eResults: Ratio,
  dossiersDigitized: Ratio,
  componentsDigitized: Ratio,
  reuse: Ratio,
  satisfaction: Ratio,
});
export type Ratios = z.infer<typeof Ratios>;

/** GET /api/stats/indicators: a unit's figures and Decision 766 score for a period. */
export const Indicators = z.object({
  unit: StatsUnitRef,
  period: StatsPeriod,
  filter: StatsFilterEcho,
  received: Received,
  resolved: Resolved,
  inProgress: InProgress,
  processingDays: ProcessingDays,
  onlineShare: z.number().nullable(),
  fullOnlineShare: z.number().nullable(),
  onTimeShare: z.number().nullable(),
  proceduresOnline: z.object({
    published: z.number(),
    complete: z.number(),
    online: z.number(),
    fullOnline: z.number(),
    share: z.number().nullable(),
  }),
  digitization: z.object({
    dossiersShare: z.number().nullable(),
    componentsShare: z.number().nullable(),
    reuseShare: z.number().nullable(),
    resultsShare: z.number().nullable(),
  }),
  onlinePaymentShare: z.number().nullable(),
  electronicResults: z.number(),
  satisfaction: Satisfaction,
  ratios: Ratios,
  score766: Score766,
});
export type Indicators = z.infer<typeof Indicators>;

/** A unit under the one asked (a province's commune, the nation's province) with its main figures. */
export const RankingItem = z.object({
  code: z.string(),
  name: z.string(),
  received: Received,
  resolved: Resolved,
  inProgress: InProgress,
  onTimeShare: z.number().nullable(),
  onlineShare: z.number().nullable(),
  satisfactionShare: z.number().nullable(),
  score766: z.number().nullable(),
  groups: z.array(z.object({ key: z.string(), points: z.number().nullable(), max: z.number() })),
});
export type RankingItem = z.infer<typeof RankingItem>;

/** GET /api/stats/ranking and /api/public/stats/ranking: best first. */
export const Ranking = z.object({
  unit: StatsUnitRef,
  period: StatsPeriod,
  filter: StatsFilterEcho,
  items: z.array(RankingItem),
});
export type Ranking = z.infer<typeof Ranking>;

export const TrendPoint = z.object({
  period: z.string().describe('YYYY-MM-DD per day, YYYY-MM per month'),
  received: z.number(),
  online: z.number(),
  counter: z.number(),
  postal: z.number(),
  resolved: z.number(),
  onTime: z.number(),
  late: z.number(),
});
export type TrendPoint = z.infer<typeof TrendPoint>;

/** GET /api/stats/trend. */
export const Trend = z.object({
  unit: StatsUnitRef,
  granularity: z.enum(['day', 'month']),
  points: z.array(TrendPoint),
});
export type Trend = z.infer<typeof Trend>;

export const ProcedureFigures = z.object({
  code: z.string(),
  name: z.string(),
  field: z.string().nullable(),
  received: z.number(),
  online: z.number(),
  resolved: z.number(),
  late: z.number(),
  onTimeShare: z.number().nullable(),
});
export type ProcedureFigures = z.infer<typeof ProcedureFigures>;

/** GET /api/stats/procedures: the figures per procedure, the most received first. */
export const ProcedureFiguresList = z.object({ items: z.array(ProcedureFigures) });
export type ProcedureFiguresList = z.infer<typeof ProcedureFiguresList>;

export const FigureDossier = z.object({
  code: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  channel: z.enum(CHANNELS),
  applicant: z.string().describe('initials only on the public board'),
  state: z.string(),
  receivedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  resultReadyAt: z.string().nullable(),
  daysOverdue: z.number(),
});
export type FigureDossier = z.infer<typeof FigureDossier>;

/** GET /api/stats/dossiers: the dossiers behind a figure, counted as the figure is. */
export const FigureDossiers = z.object({
  metric: FigureMetric,
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  items: z.array(FigureDossier),
});
export type FigureDossiers = z.infer<typeof FigureDossiers>;

/** GET /api/public/stats: the figures citizens are promised, and the overdue dossiers with initials only. */
export const PublicStats = Indicators.pick({
  unit: true,
  period: true,
  received: true,
  resolved: true,
  inProgress: true,
  onTimeShare: true,
  onlineShare: true,
  fullOnlineShare: true,
  satisfaction: true,
  processingDays: true,
  score766: true,
}).extend({
  overdue: z
    .object({
      total: z.number(),
      // No dossier code: the board is public and a code opens the tracking page.
      items: z.array(
        FigureDossier.pick({
          procedureName: true,
          applicant: true,
          receivedAt: true,
          dueAt: true,
          daysOverdue: true,
        }),
      ),
    })
    .nullable()
    .describe('null for the nation: a national list is not a list to read'),
});
export type PublicStats = z.infer<typeof PublicStats>;
