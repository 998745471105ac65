import { METRICS, type Metric, PROCESSING_DAY_METRICS } from '../../core/stats/metrics.ts';

/**
 * The SQL of the indicator rollups, generated from METRICS (src/core/stats/metrics.ts): the columns of the
 * three tables, what a dossier contributes (stats_contrib), the trigger's upserts (stats_add) and the full
 * recount (stats_recount). Each of the 52 counters is named once, in METRICS; what a dossier contributes
 * is written once per kind of day below, naming only the counters it moves. `npm run stats:sql` writes a
 * new migration from this when METRICS changes; a test keeps the newest one equal to what this makes.
 * A new counter read from a new column of `dossier` also needs that column in the trigger's `when` list
 * (stats_on_dossier's update trigger, migration 0008), which stays hand-written.
 */

/** Counters that hold a measure, not a count. */
const NUMERIC: ReadonlySet<Metric> = new Set(['processing_hours']);

const sqlType = (m: Metric) => (NUMERIC.has(m) ? 'numeric(14,2)' : 'integer');
const zero = (m: Metric) => (NUMERIC.has(m) ? '0::numeric' : '0');

// The dossier's facts the days are read from.
const RESULT_AT = "(d.snapshot->>'resultReadyAt')::timestamptz";
const ENDED_AT = `coalesce(${RESULT_AT}, case when d.state in ('refused', 'withdrawn', 'stopped', 'returned') then d.closed_at end)`;
const RECEIVED = "d.received_at is not null and d.state <> 'refused'";
const DUE_RUNS = `${RECEIVED} and d.statutory_due_at is not null and d.state not in ('awaiting_supplement', 'awaiting_payment')`;
const TOTAL_FEES = "coalesce((d.fees->>'totalVnd')::numeric, 0)";
const PROCESSING_HOURS = "coalesce((d.snapshot->>'processingHours')::numeric, 0)";
const PROCESSING_DAYS = `least(31, ceil(${PROCESSING_HOURS} / 8))::int`;

/** A kind of day a dossier counts on: when, whether, from what, and the counters it moves (others 0). */
type ContribRow = { day: string; from?: string; where: string; values: Partial<Record<Metric, string>> };

/**
 * What a dossier contributes. Flows count on their day in Vietnam time; a dossier refused at reception was
 * never received and counts nowhere; verdicts are against the statutory due date (moved by pauses for the
 * applicant, never by an apology); a dossier is overdue from the day after that date while not ended and
 * not while the clock waits for the applicant.
 */
const CONTRIB: readonly ContribRow[] = [
  {
    // Received: the day it was taken in, with its papers.
    day: 'vn_day(d.received_at)',
    from: "(select count(*)::int as handed from jsonb_array_elements(d.components) x where (x->>'handedIn')::boolean) c",
    where: RECEIVED,
    values: {
      received: '1',
      recv_online_full: "(d.channel = 'online' and d.online_full)::int",
      fee_bearing: `(${TOTAL_FEES} > 0)::int`,
      paid_online: `(${TOTAL_FEES} > 0 and coalesce((d.fees->>'paidOnline')::boolean, false))::int`,
      comp_total: 'c.handed',
      comp_digitized: 'least(d.components_digitized, c.handed)',
      comp_reused: 'least(d.components_reused, c.handed)',
      dossiers_digitized: '(c.handed > 0 and d.components_digitized >= c.handed)::int',
    },
  },
  {
    // Resolved: the day the result was ready, with its verdict and its processing time.
    day: `vn_day(${RESULT_AT})`,
    where: `${RECEIVED} and ${RESULT_AT} is not null`,
    values: {
      resolved_early: `(d.statutory_due_at is not null and vn_day(${RESULT_AT}) < vn_day(d.statutory_due_at))::int`,
      resolved_on_time: `(d.statutory_due_at is null or (${RESULT_AT} <= d.statutory_due_at and vn_day(${RESULT_AT}) >= vn_day(d.statutory_due_at)))::int`,
      resolved_late: `(d.statutory_due_at is not null and ${RESULT_AT} > d.statutory_due_at)::int`,
      late_apologized: `(d.statutory_due_at is not null and ${RESULT_AT} > d.statutory_due_at and coalesce((d.snapshot->>'apologies')::int, 0) > 0)::int`,
      processing_hours: `${PROCESSING_HOURS}::numeric`,
      ...Object.fromEntries(PROCESSING_DAY_METRICS.map((m, n) => [m, `(${PROCESSING_DAYS} = ${n})::int`])),
      e_results: 'd.e_result::int',
    },
  },
  {
    // Rated: the day of the rating.
    day: 'vn_day(d.rated_at)',
    where: 'd.rated_at is not null',
    values: {
      rated_very: "(d.rating = 'very_satisfied')::int",
      rated_satisfied: "(d.rating = 'satisfied')::int",
      rated_not: "(d.rating = 'not_satisfied')::int",
    },
  },
  {
    // Ended (resolved, or closed without a result): it is no longer in progress from that day.
    day: `vn_day(${ENDED_AT})`,
    where: `${RECEIVED} and ${ENDED_AT} is not null`,
    values: { ended: '1' },
  },
  {
    // Overdue from the day after the statutory due date…
    day: 'vn_day(d.statutory_due_at) + 1',
    where: DUE_RUNS,
    values: { due_passed: '1' },
  },
  {
    // …until the day it ended (never before it became overdue).
    day: `greatest(vn_day(d.statutory_due_at) + 1, vn_day(${ENDED_AT}))`,
    where: `${DUE_RUNS} and ${ENDED_AT} is not null`,
    values: { overdue_cleared: '1' },
  },
];

const list = (f: (m: Metric) => string) => METRICS.map(f).join(', ');

/** The rollup tables: their keys, and where a dossier's counters go. */
const ROLLUPS = [
  {
    table: 'stats_day_procedure',
    keys: ['unit_code', 'province_code', 'day', 'procedure_code', 'channel'],
    values: ['d.competent_unit_code', 'd.province_code', 'c.day', 'd.procedure_code', 'd.channel'],
    conflict: ['unit_code', 'day', 'procedure_code', 'channel'],
  },
  {
    table: 'stats_day',
    keys: ['unit_code', 'province_code', 'day', 'channel'],
    values: ['d.competent_unit_code', 'd.province_code', 'c.day', 'd.channel'],
    conflict: ['unit_code', 'day', 'channel'],
  },
  {
    table: 'stats_month',
    keys: ['unit_code', 'province_code', 'month', 'channel'],
    values: ['d.competent_unit_code', 'd.province_code', "date_trunc('month', c.day)::date", 'd.channel'],
    conflict: ['unit_code', 'month', 'channel'],
  },
] as const;

function contribSql(added: readonly Metric[]) {
  const unknown = CONTRIB.flatMap((r) => Object.keys(r.values)).filter((k) => !METRICS.includes(k as Metric));
  if (unknown.length > 0)
    throw new Error(`stats_contrib names counters METRICS has not: ${unknown.join(', ')}`);
  const rows = CONTRIB.map(
    (r) =>
      `  select ${r.day} as day, ${list((m) => r.values[m] ?? zero(m))}\n` +
      (r.from ? `  from ${r.from}\n` : '') +
      `  where ${r.where}`,
  );
  return [
    '-- What one dossier contributes, day by day (several rows may share a day: the caller sums them).',
    // A function's returned columns change only by making it anew (nothing depends on it in the catalog).
    ...(added.length > 0 ? ['drop function stats_contrib(dossier);'] : []),
    `create or replace function stats_contrib(d dossier) returns table (day date, ${list((m) => `${m} ${NUMERIC.has(m) ? 'numeric' : 'integer'}`)})`,
    'language sql stable as $$',
    rows.join('\n  union all\n'),
    '$$;',
  ].join('\n');
}

function addSql() {
  const upserts = ROLLUPS.map((r) => {
    const groupBy = r.keys
      .map((k, i) => (k === 'unit_code' || k === 'province_code' ? null : i + 1))
      .filter(Boolean);
    return [
      `  insert into ${r.table} as t (${r.keys.join(', ')}, ${list((m) => m)})`,
      `  select ${r.values.join(', ')}, ${list((m) => `sign * sum(${m})`)}`,
      `  from stats_contrib(d) c group by ${groupBy.join(', ')}`,
      `  on conflict (${r.conflict.join(', ')}) do update set ${list((m) => `${m} = t.${m} + excluded.${m}`)};`,
    ].join('\n');
  });
  return [
    "-- Adds (sign 1) or takes away (sign -1) a dossier's contribution in the three rollups.",
    'create or replace function stats_add(d dossier, sign integer) returns void language plpgsql as $$',
    'begin',
    ...upserts,
    'end;',
    '$$;',
  ].join('\n');
}

function recountSql() {
  const inserts = ROLLUPS.map((r) =>
    [
      `  insert into ${r.table} (${r.keys.join(', ')}, ${list((m) => m)})`,
      `  select ${r.values.join(', ')}, ${list((m) => `sum(${m})`)}`,
      '  from dossier d cross join lateral stats_contrib(d) c',
      `  group by ${r.keys.map((_, i) => i + 1).join(', ')};`,
    ].join('\n'),
  );
  return [
    '-- The full recount: every rollup from every dossier at once (a migration, npm run stats:rebuild).',
    'create or replace function stats_recount() returns void language plpgsql as $$',
    'begin',
    ...ROLLUPS.map((r) => `  delete from ${r.table};`),
    ...inserts,
    'end;',
    '$$;',
  ].join('\n');
}

export const GENERATED_HEADER =
  '-- Generated by `npm run stats:sql` from METRICS (src/core/stats/metrics.ts).';

/** What a generated migration does beyond making the functions anew. */
export type StatsMigration = {
  /** Counters new since the last generated migration: columns of the three tables. */
  added: readonly Metric[];
  /** Count every rollup again from every dossier (new counters, or changed contributions). */
  recount: boolean;
};

const line = (text: string, key: string) =>
  text
    .split('\n')
    .find((l) => l.startsWith(`-- ${key}: `))
    ?.slice(key.length + 5);

/** The SQL without its comments: what a migration does, which a reworded comment does not change. */
export function withoutComments(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n');
}

/** What a generated migration was made from (its header says), or null for a hand-written one. */
export function readStatsMigration(text: string): (StatsMigration & { metrics: string[] }) | null {
  if (!text.startsWith(GENERATED_HEADER)) return null;
  const metrics = line(text, 'metrics');
  const added = line(text, 'added');
  const recount = line(text, 'recount');
  if (metrics === undefined || added === undefined || recount === undefined) return null;
  return {
    metrics: metrics.split(', '),
    added: added === 'none' ? [] : (added.split(', ') as Metric[]),
    recount: recount === 'yes',
  };
}

/**
 * A migration bringing the rollups to METRICS: the counters `added` since the last one become columns of
 * the three tables, the three functions are made anew, and with `recount` every figure is counted again.
 */
export function statsMigrationSql({ added, recount }: StatsMigration): string {
  // A new column goes at the end of the tables, and METRICS lists them in the tables' order.
  const tail = METRICS.slice(METRICS.length - added.length);
  if (added.some((m, i) => tail[i] !== m)) {
    throw new Error(`New counters go at the end of METRICS (the tables' column order): ${added.join(', ')}`);
  }
  const columns = ROLLUPS.flatMap((r) =>
    added.map((m) => `alter table ${r.table} add column ${m} ${sqlType(m)} not null default 0;`),
  );
  return [
    GENERATED_HEADER,
    '-- Do not edit: change METRICS or the contributions in src/server/db/stats-sql.ts and run it again.',
    `-- metrics: ${METRICS.join(', ')}`,
    `-- added: ${added.length > 0 ? added.join(', ') : 'none'}`,
    `-- recount: ${recount ? 'yes' : 'no'}`,
    '',
    ...(columns.length > 0 ? [...columns, ''] : []),
    contribSql(added),
    '',
    addSql(),
    '',
    recountSql(),
    ...(recount ? ['', 'select stats_recount();'] : []),
    '',
  ].join('\n');
}
