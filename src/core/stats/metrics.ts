/**
 * The counters of the rollup tables, in their order there: what every dossier contributes day by day
 * (stats_contrib). The tables' columns and the rollups' functions are generated from this list
 * (src/server/db/stats-sql.ts, `npm run stats:sql` writes the migration); a new counter goes at the end.
 * A test compares this list with the tables' columns.
 */
const FLOW = [
  'received',
  'recv_online_full',
  'fee_bearing',
  'paid_online',
  'comp_total',
  'comp_digitized',
  'comp_reused',
  'dossiers_digitized',
  'resolved_early',
  'resolved_on_time',
  'resolved_late',
  'late_apologized',
  'processing_hours',
  'e_results',
  'rated_very',
  'rated_satisfied',
  'rated_not',
  'ended',
  'due_passed',
  'overdue_cleared',
] as const;

/** Whole working days from the clock's start to the result: buckets 0 to 30, and 31 for 31 or more. */
export const PROCESSING_DAY_BUCKETS = 32;
export const PROCESSING_DAY_METRICS = [
  'pd_00',
  'pd_01',
  'pd_02',
  'pd_03',
  'pd_04',
  'pd_05',
  'pd_06',
  'pd_07',
  'pd_08',
  'pd_09',
  'pd_10',
  'pd_11',
  'pd_12',
  'pd_13',
  'pd_14',
  'pd_15',
  'pd_16',
  'pd_17',
  'pd_18',
  'pd_19',
  'pd_20',
  'pd_21',
  'pd_22',
  'pd_23',
  'pd_24',
  'pd_25',
  'pd_26',
  'pd_27',
  'pd_28',
  'pd_29',
  'pd_30',
  'pd_31',
] as const;

export const METRICS = [
  ...FLOW.slice(0, FLOW.indexOf('processing_hours') + 1),
  ...PROCESSING_DAY_METRICS,
  ...FLOW.slice(FLOW.indexOf('processing_hours') + 1),
] as const;
export type Metric = (typeof METRICS)[number];
export type Counters = Record<Metric, number>;

export function emptyCounters(): Counters {
  return Object.fromEntries(METRICS.map((m) => [m, 0])) as Counters;
}

export function addCounters(into: Counters, more: Partial<Record<Metric, number | string | null>>) {
  for (const m of METRICS) into[m] += Number(more[m] ?? 0);
  return into;
}
