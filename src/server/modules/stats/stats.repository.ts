import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Channel } from '../../../core/dossiers/dossier-status.ts';
import { type Counters, METRICS } from '../../../core/stats/metrics.ts';
import type { DB } from '../../db/schema.ts';

/** Whose figures: the nation, a province, or a commune (the commune that received the dossiers). */
export type StatsScope =
  | { level: 'nation' }
  | { level: 'province'; code: string }
  | { level: 'commune'; code: string };

export type StatsFilter = {
  channel?: Channel;
  /** Only these procedures (a procedure, or every procedure of a field). */
  procedureCodes?: string[];
};

/** How the sums are split, besides by channel. */
export type StatsSplit = 'none' | 'unit' | 'province' | 'month' | 'day' | 'procedure';

export type StatsRow = Counters & { channel: Channel; key: string | null };

const SUMS = sql.raw(METRICS.map((m) => `sum(${m})::float8 as ${m}`).join(', '));
/** A running sum only needs the state's counters: summing the other 48 would be wasted work. */
const STATE_METRICS = new Set(['received', 'ended', 'due_passed', 'overdue_cleared']);
const stateSums = (sign: '' | '-') =>
  sql.raw(
    METRICS.map((m) =>
      STATE_METRICS.has(m) ? `${sign}sum(${m})::float8 as ${m}` : `0::float8 as ${m}`,
    ).join(', '),
  );
const STATE_SUMS = stateSums('');
const MINUS_STATE_SUMS = stateSums('-');

const EPOCH = '1900-01-01';

function addDays(day: string, n: number) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
const monthOf = (day: string) => `${day.slice(0, 7)}-01`;
const endOfMonth = (day: string) => addDays(addMonths(monthOf(day), 1), -1);
function addMonths(month: string, n: number) {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * Whole months come from stats_month, the days at either end from stats_day: a national year is about
 * 3,321 × 12 × 3 rows whatever the number of dossiers. A procedure filter or split reads
 * stats_day_procedure.
 */
export function planRange(from: string, to: string) {
  const firstFull = from === monthOf(from) ? from : addMonths(monthOf(from), 1);
  const lastFull = addDays(to, 1) === monthOf(addDays(to, 1)) ? monthOf(to) : addMonths(monthOf(to), -1);
  if (firstFull > lastFull) return { months: null, days: [[from, to]] as [string, string][] };
  const days: [string, string][] = [];
  if (from < firstFull) days.push([from, addDays(firstFull, -1)]);
  const afterMonths = addMonths(lastFull, 1);
  if (afterMonths <= to) days.push([afterMonths, to]);
  return { months: [firstFull, lastFull] as [string, string], days };
}

function scopeCondition(scope: StatsScope): RawBuilder<unknown> {
  if (scope.level === 'nation') return sql`true`;
  if (scope.level === 'province') return sql`province_code = ${scope.code}`;
  return sql`unit_code = ${scope.code}`;
}

function filterCondition(filter: StatsFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (filter.channel) parts.push(sql`channel = ${filter.channel}`);
  if (filter.procedureCodes) parts.push(sql`procedure_code = any(${filter.procedureCodes}::text[])`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

function keyExpression(split: StatsSplit, dayColumn: 'day' | 'month'): RawBuilder<unknown> {
  switch (split) {
    case 'unit':
      return sql`unit_code`;
    case 'province':
      return sql`province_code`;
    case 'procedure':
      return sql`procedure_code`;
    case 'month':
      return sql.raw(`to_char(${dayColumn}, 'YYYY-MM')`);
    case 'day':
      return sql.raw(`to_char(${dayColumn}, 'YYYY-MM-DD')`);
    default:
      return sql`null::text`;
  }
}

/**
 * `today` is Vietnam's date: nothing received, resolved, rated or ended is dated after it, so a period
 * that reaches today takes its month whole from stats_month, and a running sum up to a day of this month
 * is the total less what is dated later (due dates to come), which is few rows.
 */
export function createStatsRepository(db: Kysely<DB>, today: () => string) {
  async function run(parts: RawBuilder<unknown>[]) {
    const union = sql.join(parts, sql` union all `);
    const result = await sql<StatsRow>`select channel, key, ${SUMS} from (${union}) s group by 1, 2`.execute(
      db,
    );
    return result.rows;
  }

  /** The flows of a period (received, resolved, rated…): not the due-date counters, which run ahead. */
  async function sums(
    scope: StatsScope,
    from: string,
    to: string,
    filter: StatsFilter = {},
    split: StatsSplit = 'none',
  ): Promise<StatsRow[]> {
    const where = sql`${scopeCondition(scope)} and ${filterCondition(filter)}`;
    const parts: RawBuilder<unknown>[] = [];
    if (filter.procedureCodes || split === 'procedure') {
      parts.push(
        sql`select channel, ${keyExpression(split, 'day')} as key, ${SUMS} from stats_day_procedure
            where ${where} and day between ${from}::date and ${to}::date group by 1, 2`,
      );
    } else {
      // Day by day cannot come from whole months; a period reaching today may take its month whole.
      const end = to >= today() ? endOfMonth(to) : to;
      const plan =
        split === 'day' ? { months: null, days: [[from, to]] as [string, string][] } : planRange(from, end);
      if (plan.months) {
        parts.push(
          sql`select channel, ${keyExpression(split, 'month')} as key, ${SUMS} from stats_month
              where ${where} and month between ${plan.months[0]}::date and ${plan.months[1]}::date
              group by 1, 2`,
        );
      }
      for (const [a, b] of plan.days) {
        parts.push(
          sql`select channel, ${keyExpression(split, 'day')} as key, ${SUMS} from stats_day
              where ${where} and day between ${a}::date and ${b}::date group by 1, 2`,
        );
      }
    }
    return run(parts);
  }

  /**
   * Running sums from the first day up to the end of `day` (the state on that evening): received, ended
   * and the due-date counters only (in progress and overdue are made of them).
   */
  async function upTo(scope: StatsScope, day: string, filter: StatsFilter = {}, split: StatsSplit = 'none') {
    const where = sql`${scopeCondition(scope)} and ${filterCondition(filter)}`;
    if (filter.procedureCodes || split === 'procedure') {
      return run([
        sql`select channel, ${keyExpression(split, 'day')} as key, ${STATE_SUMS} from stats_day_procedure
            where ${where} and day <= ${day}::date group by 1, 2`,
      ]);
    }
    if (split === 'day' || split === 'month' || day < monthOf(today())) {
      const plan = planRange(EPOCH, day);
      const parts: RawBuilder<unknown>[] = [];
      if (plan.months) {
        parts.push(
          sql`select channel, ${keyExpression(split, 'month')} as key, ${STATE_SUMS} from stats_month
              where ${where} and month <= ${plan.months[1]}::date group by 1, 2`,
        );
      }
      for (const [a, b] of plan.days) {
        parts.push(
          sql`select channel, ${keyExpression(split, 'day')} as key, ${STATE_SUMS} from stats_day
              where ${where} and day between ${a}::date and ${b}::date group by 1, 2`,
        );
      }
      return run(parts);
    }
    return run([
      sql`select channel, ${keyExpression(split, 'month')} as key, ${STATE_SUMS} from stats_month
          where ${where} group by 1, 2`,
      sql`select channel, ${keyExpression(split, 'day')} as key, ${MINUS_STATE_SUMS} from stats_day
          where ${where} and day > ${day}::date group by 1, 2`,
    ]);
  }

  return { sums, upTo };
}

export type StatsRepository = ReturnType<typeof createStatsRepository>;
