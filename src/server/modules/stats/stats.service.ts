import { type Kysely, sql } from 'kysely';
import { toLocalDate } from '../../../core/calendar/vn-time.ts';
import { maskName } from '../../../core/dossiers/citizen-id.ts';
import { CHANNELS, type Channel } from '../../../core/dossiers/dossier-status.ts';
import { AppError } from '../../../core/errors.ts';
import type { StaffPrincipal } from '../../../core/identity/roles.ts';
import { type CatalogueFigures, computeIndicators } from '../../../core/stats/indicators.ts';
import { addCounters, type Counters, emptyCounters } from '../../../core/stats/metrics.ts';
import type {
  FigureDossiers,
  FigureMetric,
  Indicators,
  ProcedureFigures,
  Ranking,
  StatsFilterEcho,
  StatsQuery,
  StatsUnitRef,
  Trend,
} from '../../../core/stats/stats.schemas.ts';
import { canSeeStats } from '../../../core/stats/stats-access.ts';
import type { DB } from '../../db/schema.ts';
import type { UnitsService } from '../units/units.service.ts';
import {
  createStatsRepository,
  type StatsFilter,
  type StatsRow,
  type StatsScope,
  type StatsSplit,
} from './stats.repository.ts';

export type UnitRef = StatsUnitRef;

/** The figure behind each ratio, and the counter its dossiers are listed by (GET /api/stats/dossiers). */
export const FIGURE_METRICS = {
  received: 'received',
  online: 'received',
  resolved: 'resolved',
  late: 'resolved_late',
  overdue: 'overdue',
  inProgress: 'in_progress',
  eResults: 'e_results',
  paidOnline: 'paid_online',
  rated: 'rated',
} as const satisfies Record<string, FigureMetric>;
export type { FigureMetric };

function byChannel(rows: StatsRow[]): Record<Channel, Counters> {
  const out = Object.fromEntries(CHANNELS.map((c) => [c, emptyCounters()])) as Record<Channel, Counters>;
  for (const row of rows) addCounters(out[row.channel], row);
  return out;
}

function total(rows: StatsRow[]): Counters {
  const out = emptyCounters();
  for (const row of rows) addCounters(out, row);
  return out;
}

function groupByKey(rows: StatsRow[]) {
  const map = new Map<string, StatsRow[]>();
  for (const row of rows) {
    const key = row.key ?? '';
    map.set(key, [...(map.get(key) ?? []), row]);
  }
  return map;
}

export function createStatsService(deps: { db: Kysely<DB>; units: UnitsService; now: () => Date }) {
  const { db, units } = deps;
  const repo = createStatsRepository(db, () => toLocalDate(deps.now()));

  async function resolveUnit(code: string): Promise<UnitRef> {
    if (code === 'VN') return { code, name: 'Toàn quốc', level: 'nation', provinceCode: null };
    const unit = await units.getUnitRecord(code);
    if (unit.level === 'district') throw new AppError('UNIT_NOT_FOUND', { code });
    return {
      code: unit.code,
      name: unit.name,
      level: unit.level === 'province' ? 'province' : 'commune',
      provinceCode: unit.level === 'province' ? unit.code : unit.provinceCode,
    };
  }

  const scopeOf = (unit: UnitRef): StatsScope =>
    unit.level === 'nation' ? { level: 'nation' } : { level: unit.level, code: unit.code };

  async function filterOf(query: StatsQuery): Promise<StatsFilter> {
    const filter: StatsFilter = {};
    if (query.channel) filter.channel = query.channel;
    if (query.procedure) filter.procedureCodes = [query.procedure];
    if (query.field) {
      const rows = await db
        .selectFrom('procedure_version')
        .select('code')
        .distinct()
        .where('field', '=', query.field)
        .execute();
      const codes = rows.map((r) => r.code).filter((c) => !query.procedure || c === query.procedure);
      filter.procedureCodes = codes;
    }
    return filter;
  }

  /** The national catalogue as it stands (every unit offers the same published procedures). */
  async function catalogue(query: StatsQuery): Promise<CatalogueFigures> {
    let q = db
      .selectFrom('procedure_version')
      .select([
        sql<number>`count(*)::int`.as('published'),
        sql<number>`count(*) filter (where jsonb_array_length(definition->'components') > 0
          and jsonb_array_length(definition->'legalBasis') > 0 and definition ? 'fees'
          and definition ? 'duration')::int`.as('complete'),
        sql<number>`count(*) filter (where online_level in ('partial', 'full'))::int`.as('online'),
        sql<number>`count(*) filter (where online_level = 'full')::int`.as('fullOnline'),
      ])
      .where('status', '=', 'published')
      // The catalogue's procedures are the national versions; province variants are not extra procedures.
      .where('scope', '=', 'VN');
    if (query.field) q = q.where('field', '=', query.field);
    if (query.procedure) q = q.where('code', '=', query.procedure);
    return q.executeTakeFirstOrThrow();
  }

  /** The evening the state figures describe: the period's last day, or today while it runs. */
  const asOfDay = (to: string) => {
    const today = toLocalDate(deps.now());
    return to < today ? to : today;
  };

  async function indicatorsFor(unit: UnitRef, query: StatsQuery): Promise<Indicators> {
    const filter = await filterOf(query);
    const scope = scopeOf(unit);
    const asOf = asOfDay(query.to);
    const [flow, upTo, cat] = await Promise.all([
      repo.sums(scope, query.from, query.to, filter),
      repo.upTo(scope, asOf, filter),
      catalogue(query),
    ]);
    const figures = computeIndicators({ flow: byChannel(flow), upTo: total(upTo), catalogue: cat });
    return { unit, period: { from: query.from, to: query.to, asOf }, filter: filterEcho(query), ...figures };
  }

  const filterEcho = (q: StatsQuery): StatsFilterEcho => ({
    channel: q.channel ?? null,
    field: q.field ?? null,
    procedure: q.procedure ?? null,
  });

  /** The units under a unit, each with its indicators: a province's communes, the nation's provinces. */
  async function ranking(unit: UnitRef, query: StatsQuery): Promise<Ranking> {
    if (unit.level === 'commune')
      throw new AppError(
        'VALIDATION_FAILED',
        {},
        { 'query.unit': 'Chọn một tỉnh hoặc toàn quốc để xếp hạng' },
      );
    const filter = await filterOf(query);
    const asOf = asOfDay(query.to);
    const split: StatsSplit = unit.level === 'nation' ? 'province' : 'unit';
    const [flow, upTo, cat, names] = await Promise.all([
      repo.sums(scopeOf(unit), query.from, query.to, filter, split),
      repo.upTo(scopeOf(unit), asOf, filter, split),
      catalogue(query),
      unit.level === 'nation'
        ? db
            .selectFrom('admin_unit')
            .select(['code', 'name'])
            .where('level', '=', 'province')
            .where('valid_to', 'is', null)
            .execute()
        : db
            .selectFrom('admin_unit')
            .select(['code', 'name'])
            .where('level', '=', 'commune')
            .where('province_code', '=', unit.code)
            .where('valid_to', 'is', null)
            .execute(),
    ]);
    const flows = groupByKey(flow);
    const states = groupByKey(upTo);
    const rows = names.map((u) => {
      const figures = computeIndicators({
        flow: byChannel(flows.get(u.code) ?? []),
        upTo: total(states.get(u.code) ?? []),
        catalogue: cat,
      });
      return {
        code: u.code,
        name: u.name,
        received: figures.received,
        resolved: figures.resolved,
        inProgress: figures.inProgress,
        onTimeShare: figures.onTimeShare,
        onlineShare: figures.onlineShare,
        satisfactionShare: figures.satisfaction.share,
        score766: figures.score766.total,
        groups: figures.score766.groups.map((g) => ({ key: g.key, points: g.points, max: g.max })),
      };
    });
    // The best first; units with nothing to measure last, by name.
    rows.sort(
      (a, b) =>
        (b.score766 ?? -1) - (a.score766 ?? -1) ||
        b.received.total - a.received.total ||
        a.name.localeCompare(b.name, 'vi'),
    );
    return { unit, period: { from: query.from, to: query.to, asOf }, filter: filterEcho(query), items: rows };
  }

  /** Month by month (or day by day for a short period): received, resolved, on time, online. */
  async function trend(unit: UnitRef, query: StatsQuery): Promise<Trend> {
    const filter = await filterOf(query);
    const days = (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000;
    const split: StatsSplit & Trend['granularity'] = days <= 62 ? 'day' : 'month';
    const rows = await repo.sums(scopeOf(unit), query.from, query.to, filter, split);
    const points = [...groupByKey(rows).entries()]
      .map(([key, list]) => {
        const c = byChannel(list);
        const all = total(list);
        const resolved = all.resolved_early + all.resolved_on_time + all.resolved_late;
        return {
          period: key,
          received: all.received,
          online: c.online.received,
          counter: c.counter.received,
          postal: c.postal.received,
          resolved,
          onTime: all.resolved_early + all.resolved_on_time,
          late: all.resolved_late,
        };
      })
      .sort((a, b) => a.period.localeCompare(b.period));
    return { unit, granularity: split, points };
  }

  return {
    resolveUnit,

    async unitFor(staff: StaffPrincipal | null, code: string) {
      const unit = await resolveUnit(code);
      if (staff && !canSeeStats(staff, unit)) throw new AppError('FORBIDDEN', {});
      return unit;
    },

    indicators: indicatorsFor,
    ranking,
    trend,

    /** Sums per procedure in the unit and period: the drill-down under a commune or a province. */
    async byProcedure(unit: UnitRef, query: StatsQuery): Promise<ProcedureFigures[]> {
      const filter = await filterOf(query);
      const rows = await repo.sums(scopeOf(unit), query.from, query.to, filter, 'procedure');
      const names = await db
        .selectFrom('procedure_version')
        .select(['code', 'name', 'field'])
        .where('status', '=', 'published')
        .execute();
      const nameOf = new Map(names.map((n) => [n.code, n]));
      return [...groupByKey(rows).entries()]
        .map(([code, list]) => {
          const all = total(list);
          const resolved = all.resolved_early + all.resolved_on_time + all.resolved_late;
          return {
            code,
            name: nameOf.get(code)?.name ?? code,
            field: nameOf.get(code)?.field ?? null,
            received: all.received,
            online: byChannel(list).online.received,
            resolved,
            late: all.resolved_late,
            onTimeShare: resolved ? (all.resolved_early + all.resolved_on_time) / resolved : null,
          };
        })
        .sort((a, b) => b.received - a.received);
    },

    /**
     * The dossiers behind a figure, with the same definition the rollups count by (stats_contrib), so
     * the list's total is the figure. Commune and province only: a national list is not a list to read.
     */
    async dossiers(
      unit: UnitRef,
      query: StatsQuery & { metric: FigureMetric; page: number; pageSize: number },
      options: { masked: boolean },
    ): Promise<FigureDossiers> {
      if (unit.level === 'nation') {
        throw new AppError(
          'VALIDATION_FAILED',
          {},
          { 'query.unit': 'Chọn một tỉnh hoặc một xã để xem danh sách hồ sơ' },
        );
      }
      const filter = await filterOf(query);
      const asOf = asOfDay(query.to);
      const scope =
        unit.level === 'province'
          ? sql`d.province_code = ${unit.code}`
          : sql`d.competent_unit_code = ${unit.code}`;
      const channel = query.channel ? sql`d.channel = ${query.channel}` : sql`true`;
      const procedures = filter.procedureCodes
        ? sql`d.procedure_code = any(${filter.procedureCodes}::text[])`
        : sql`true`;
      const flowIn = sql`c.day between ${query.from}::date and ${query.to}::date`;
      const upTo = sql`c.day <= ${asOf}::date`;
      const having = {
        received: sql`sum(c.received) filter (where ${flowIn}) > 0`,
        resolved: sql`sum(c.resolved_early + c.resolved_on_time + c.resolved_late) filter (where ${flowIn}) > 0`,
        resolved_late: sql`sum(c.resolved_late) filter (where ${flowIn}) > 0`,
        e_results: sql`sum(c.e_results) filter (where ${flowIn}) > 0`,
        paid_online: sql`sum(c.paid_online) filter (where ${flowIn}) > 0`,
        rated: sql`sum(c.rated_very + c.rated_satisfied + c.rated_not) filter (where ${flowIn}) > 0`,
        in_progress: sql`coalesce(sum(c.received - c.ended) filter (where ${upTo}), 0) > 0`,
        overdue: sql`coalesce(sum(c.due_passed - c.overdue_cleared) filter (where ${upTo}), 0) > 0`,
      }[query.metric];
      const offset = (query.page - 1) * query.pageSize;
      const result = await sql<{
        code: string;
        procedure_code: string;
        channel: Channel;
        applicant_name: string;
        state: string;
        received_at: Date | null;
        due_at: Date | null;
        result_ready_at: string | null;
        total: number;
      }>`
        select d.code, d.procedure_code, d.channel, d.applicant_name, d.state, d.received_at, d.statutory_due_at as due_at,
               d.snapshot->>'resultReadyAt' as result_ready_at, count(*) over ()::int as total
        from dossier d cross join lateral stats_contrib(d) c
        where ${scope} and ${channel} and ${procedures}
        group by d.id
        having ${having}
        order by d.statutory_due_at nulls last, d.id
        limit ${query.pageSize} offset ${offset}`.execute(db);
      const names = await db
        .selectFrom('procedure_version')
        .select(['code', 'name'])
        .where('status', '=', 'published')
        .execute();
      const nameOf = new Map(names.map((n) => [n.code, n.name]));
      const now = deps.now().getTime();
      return {
        metric: query.metric,
        total: result.rows[0]?.total ?? 0,
        page: query.page,
        pageSize: query.pageSize,
        items: result.rows.map((r) => ({
          code: r.code,
          procedureCode: r.procedure_code,
          procedureName: nameOf.get(r.procedure_code) ?? r.procedure_code,
          channel: r.channel,
          applicant: options.masked ? maskName(r.applicant_name) : r.applicant_name,
          state: r.state,
          receivedAt: r.received_at ? new Date(r.received_at).toISOString() : null,
          dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
          resultReadyAt: r.result_ready_at,
          daysOverdue:
            r.due_at && !r.result_ready_at && new Date(r.due_at).getTime() < now
              ? Math.floor((now - new Date(r.due_at).getTime()) / 86_400_000)
              : 0,
        })),
      };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
