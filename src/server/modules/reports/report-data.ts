import type { Kysely } from 'kysely';
import { toLocalDate } from '../../../core/calendar/vn-time.ts';
import { PROCEDURE_FIELDS } from '../../../core/catalog/procedure.schemas.ts';
import { addCounters, type Counters, emptyCounters } from '../../../core/stats/metrics.ts';
import { type Period, periodLabel } from '../../../core/stats/report-periods.ts';
import type { DB } from '../../db/schema.ts';
import { listProcedureFields } from '../catalog/catalog.service.ts';
import { createStatsRepository, type StatsRow, type StatsScope } from '../stats/stats.repository.ts';
import type { StatsService, UnitRef } from '../stats/stats.service.ts';

export type Cell = string | number | null;
export type ReportColumn = {
  title: string;
  width: number;
  align?: 'left' | 'center' | 'right';
  percent?: boolean;
};
/** One table of the report: a sheet in the workbook, a table in the PDF, a CSV file. */
export type ReportTable = {
  key: string;
  /** The workbook's sheet (at most 31 characters). */
  sheet: string;
  title: string;
  columns: ReportColumn[];
  rows: Cell[][];
};
export type ReportData = {
  unit: UnitRef;
  period: Period;
  label: string;
  asOf: string;
  tables: ReportTable[];
};

export const REPORT_TABLES = ['summary', 'fields', 'score', 'procedures', 'units'] as const;
export type ReportTableKey = (typeof REPORT_TABLES)[number];

const n = (c: string, width = 1) => ({ title: c, width, align: 'right' as const });
const pct = (c: string, width = 1) => ({ title: c, width, align: 'right' as const, percent: true });

/** The columns of the periodic report on handling administrative procedures. */
const HANDLING_COLUMNS: ReportColumn[] = [
  n('Tổng số hồ sơ'),
  n('Kỳ trước chuyển sang'),
  n('Tiếp nhận trực tuyến'),
  n('Tiếp nhận trực tiếp'),
  n('Tiếp nhận qua bưu chính'),
  n('Đã giải quyết'),
  n('Trước hạn'),
  n('Đúng hạn'),
  n('Quá hạn'),
  n('Đang giải quyết'),
  n('Trong hạn'),
  n('Quá hạn (đang giải quyết)'),
];

function handlingRow(carried: Counters, flow: Record<string, Counters>, upTo: Counters): number[] {
  const carriedOver = carried.received - carried.ended;
  const all = emptyCounters();
  for (const c of Object.values(flow)) addCounters(all, c);
  const inProgress = upTo.received - upTo.ended;
  const overdue = upTo.due_passed - upTo.overdue_cleared;
  return [
    carriedOver + all.received,
    carriedOver,
    flow.online?.received ?? 0,
    flow.counter?.received ?? 0,
    flow.postal?.received ?? 0,
    all.resolved_early + all.resolved_on_time + all.resolved_late,
    all.resolved_early,
    all.resolved_on_time,
    all.resolved_late,
    inProgress,
    inProgress - overdue,
    overdue,
  ];
}

const dayBefore = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

/** Groups rows (split by procedure) by the procedure's field, per channel. */
function byField(rows: StatsRow[], fieldOf: Map<string, string>) {
  const out = new Map<string, Record<string, Counters>>();
  for (const row of rows) {
    const field = fieldOf.get(row.key ?? '') ?? 'other';
    const entry = out.get(field) ?? {};
    entry[row.channel] = addCounters(entry[row.channel] ?? emptyCounters(), row);
    out.set(field, entry);
  }
  return out;
}

const sumAll = (entry: Record<string, Counters> | undefined) => {
  const all = emptyCounters();
  for (const c of Object.values(entry ?? {})) addCounters(all, c);
  return all;
};

/** Every table of a unit's report for a period, from the same rollups the dashboards read. */
export async function buildReportData(
  deps: { db: Kysely<DB>; stats: StatsService; now: () => Date },
  unit: UnitRef,
  period: Period,
): Promise<ReportData> {
  const repo = createStatsRepository(deps.db, () => toLocalDate(deps.now()));
  const scope: StatsScope =
    unit.level === 'nation' ? { level: 'nation' } : { level: unit.level, code: unit.code };
  const query = { unit: unit.code, from: period.from, to: period.to };
  const indicators = await deps.stats.indicators(unit, query);
  const asOf = indicators.period.asOf;
  const [flow, carried, upTo, procedures, names] = await Promise.all([
    repo.sums(scope, period.from, period.to, {}, 'procedure'),
    repo.upTo(scope, dayBefore(period.from), {}, 'procedure'),
    repo.upTo(scope, asOf, {}, 'procedure'),
    deps.stats.byProcedure(unit, query),
    listProcedureFields(deps.db),
  ]);
  const fieldOf = names;
  const flows = byField(flow, fieldOf);
  const carriedBy = byField(carried, fieldOf);
  const upToBy = byField(upTo, fieldOf);
  const fields = Object.keys(PROCEDURE_FIELDS).filter(
    (f) => flows.has(f) || carriedBy.has(f) || upToBy.has(f),
  );
  const fieldRows = fields.map((f) => [
    PROCEDURE_FIELDS[f as keyof typeof PROCEDURE_FIELDS],
    ...handlingRow(sumAll(carriedBy.get(f)), flows.get(f) ?? {}, sumAll(upToBy.get(f))),
  ]);
  const channels: Record<string, Counters> = {};
  for (const row of flow) channels[row.channel] = addCounters(channels[row.channel] ?? emptyCounters(), row);
  const sum = (rows: StatsRow[]) => rows.reduce((acc, r) => addCounters(acc, r), emptyCounters());
  const totals = handlingRow(sum(carried), channels, sum(upTo));

  const tables: ReportTable[] = [
    {
      key: 'summary',
      sheet: 'Tổng hợp',
      title: 'Tình hình, kết quả giải quyết thủ tục hành chính',
      columns: [{ title: 'Đơn vị', width: 2.4 }, ...HANDLING_COLUMNS],
      rows: [[unit.name, ...totals]],
    },
    {
      key: 'fields',
      sheet: 'Theo lĩnh vực',
      title: 'Theo lĩnh vực',
      columns: [{ title: 'Lĩnh vực', width: 2.4 }, ...HANDLING_COLUMNS],
      rows: [...fieldRows, ['Tổng cộng', ...totals]],
    },
    {
      key: 'score',
      sheet: 'Chỉ số 766',
      title: 'Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)',
      columns: [
        { title: 'Nhóm, chỉ số', width: 3 },
        n('Điểm tối đa', 0.8),
        n('Điểm đạt', 0.8),
        n('Tử số', 0.8),
        n('Mẫu số', 0.8),
        pct('Tỷ lệ', 0.8),
        { title: 'Cách tính', width: 4 },
      ],
      rows: [
        ...indicators.score766.groups.flatMap((g) => [
          [g.name, g.max, g.points, null, null, null, null] as Cell[],
          ...g.indicators.map(
            (i) =>
              [
                `  ${i.name}`,
                i.max,
                i.points,
                i.ratio.numerator,
                i.ratio.denominator,
                i.ratio.value,
                i.formula,
              ] as Cell[],
          ),
        ]),
        [
          'Tổng điểm (trên 100)',
          indicators.score766.measurableMax,
          indicators.score766.total,
          null,
          null,
          null,
          indicators.score766.formula,
        ],
      ],
    },
    {
      key: 'procedures',
      sheet: 'Theo thủ tục',
      title: 'Theo thủ tục hành chính',
      columns: [
        { title: 'Mã thủ tục', width: 1.1 },
        { title: 'Tên thủ tục', width: 4 },
        n('Tiếp nhận'),
        n('Trực tuyến'),
        n('Đã giải quyết'),
        n('Quá hạn'),
        pct('Đúng hạn'),
      ],
      rows: procedures.map((p) => [p.code, p.name, p.received, p.online, p.resolved, p.late, p.onTimeShare]),
    },
  ];
  if (unit.level !== 'commune') {
    const ranking = await deps.stats.ranking(unit, query);
    tables.push({
      key: 'units',
      sheet: 'Theo đơn vị',
      title: unit.level === 'nation' ? 'Theo tỉnh, thành phố' : 'Theo xã, phường, đặc khu',
      columns: [
        { title: 'Mã', width: 0.8 },
        { title: 'Đơn vị', width: 3 },
        n('Tiếp nhận'),
        n('Đã giải quyết'),
        n('Đang giải quyết'),
        n('Quá hạn'),
        pct('Đúng hạn'),
        pct('Trực tuyến'),
        pct('Hài lòng'),
        n('Điểm 766'),
      ],
      rows: ranking.items.map((u) => [
        u.code,
        u.name,
        u.received.total,
        u.resolved.total,
        u.inProgress.total,
        u.inProgress.overdue,
        u.onTimeShare,
        u.onlineShare,
        u.satisfactionShare,
        u.score766,
      ]),
    });
  }
  return { unit, period, label: periodLabel(period), asOf, tables };
}
