-- Indicators (Decision 766): every figure is a sum of what each dossier contributes, kept in rollup
-- tables by triggers in the transaction of the dossier's own write, so they are never stale and never
-- drift; `npm run stats:rebuild` recounts them from the events and proves they match.
--
-- What a dossier contributes is one function, stats_contrib(dossier): rows of (day, counters), a day in
-- Vietnam time (UTC+7, no daylight saving). Flows (received, resolved, rated) count on their day; the
-- state at the end of a day T is a running sum: in progress = received - ended up to T, overdue =
-- due_passed - overdue_cleared up to T (a dossier is overdue from the day after its due date while not
-- ended, and not while the clock is stopped for the applicant). A dossier refused at reception was
-- never received (national status 3) and counts nowhere. Verdicts are against the statutory due
-- date (moved by pauses for the applicant, never by an apology: a late dossier stays late).

-- Facts kept on the dossier that other tables decide (documents, results, ratings) or the catalogue did.
alter table dossier add column online_full boolean not null default false;
alter table dossier add column components_digitized smallint not null default 0;
alter table dossier add column components_reused smallint not null default 0;
alter table dossier add column e_result boolean not null default false;
alter table dossier add column rating text;
alter table dossier add column rated_at timestamptz;

create function vn_day(t timestamptz) returns date language sql immutable as $$
  select ((t at time zone 'UTC') + interval '7 hours')::date
$$;

-- The counters, in this order everywhere (src/core/stats/metrics.ts lists them too; a test compares).
create table stats_day_procedure (
  unit_code text not null,
  province_code text not null,
  day date not null,
  procedure_code text not null,
  channel text not null,
  received integer not null default 0,
  recv_online_full integer not null default 0,
  fee_bearing integer not null default 0,
  paid_online integer not null default 0,
  comp_total integer not null default 0,
  comp_digitized integer not null default 0,
  comp_reused integer not null default 0,
  dossiers_digitized integer not null default 0,
  resolved_early integer not null default 0,
  resolved_on_time integer not null default 0,
  resolved_late integer not null default 0,
  late_apologized integer not null default 0,
  processing_hours numeric(14,2) not null default 0,
  pd_00 integer not null default 0,
  pd_01 integer not null default 0,
  pd_02 integer not null default 0,
  pd_03 integer not null default 0,
  pd_04 integer not null default 0,
  pd_05 integer not null default 0,
  pd_06 integer not null default 0,
  pd_07 integer not null default 0,
  pd_08 integer not null default 0,
  pd_09 integer not null default 0,
  pd_10 integer not null default 0,
  pd_11 integer not null default 0,
  pd_12 integer not null default 0,
  pd_13 integer not null default 0,
  pd_14 integer not null default 0,
  pd_15 integer not null default 0,
  pd_16 integer not null default 0,
  pd_17 integer not null default 0,
  pd_18 integer not null default 0,
  pd_19 integer not null default 0,
  pd_20 integer not null default 0,
  pd_21 integer not null default 0,
  pd_22 integer not null default 0,
  pd_23 integer not null default 0,
  pd_24 integer not null default 0,
  pd_25 integer not null default 0,
  pd_26 integer not null default 0,
  pd_27 integer not null default 0,
  pd_28 integer not null default 0,
  pd_29 integer not null default 0,
  pd_30 integer not null default 0,
  pd_31 integer not null default 0,
  e_results integer not null default 0,
  rated_very integer not null default 0,
  rated_satisfied integer not null default 0,
  rated_not integer not null default 0,
  ended integer not null default 0,
  due_passed integer not null default 0,
  overdue_cleared integer not null default 0,
  primary key (unit_code, day, procedure_code, channel)
);
create index stats_day_procedure_province on stats_day_procedure (province_code, day);

create table stats_day (
  unit_code text not null,
  province_code text not null,
  day date not null,
  channel text not null,
  received integer not null default 0,
  recv_online_full integer not null default 0,
  fee_bearing integer not null default 0,
  paid_online integer not null default 0,
  comp_total integer not null default 0,
  comp_digitized integer not null default 0,
  comp_reused integer not null default 0,
  dossiers_digitized integer not null default 0,
  resolved_early integer not null default 0,
  resolved_on_time integer not null default 0,
  resolved_late integer not null default 0,
  late_apologized integer not null default 0,
  processing_hours numeric(14,2) not null default 0,
  pd_00 integer not null default 0,
  pd_01 integer not null default 0,
  pd_02 integer not null default 0,
  pd_03 integer not null default 0,
  pd_04 integer not null default 0,
  pd_05 integer not null default 0,
  pd_06 integer not null default 0,
  pd_07 integer not null default 0,
  pd_08 integer not null default 0,
  pd_09 integer not null default 0,
  pd_10 integer not null default 0,
  pd_11 integer not null default 0,
  pd_12 integer not null default 0,
  pd_13 integer not null default 0,
  pd_14 integer not null default 0,
  pd_15 integer not null default 0,
  pd_16 integer not null default 0,
  pd_17 integer not null default 0,
  pd_18 integer not null default 0,
  pd_19 integer not null default 0,
  pd_20 integer not null default 0,
  pd_21 integer not null default 0,
  pd_22 integer not null default 0,
  pd_23 integer not null default 0,
  pd_24 integer not null default 0,
  pd_25 integer not null default 0,
  pd_26 integer not null default 0,
  pd_27 integer not null default 0,
  pd_28 integer not null default 0,
  pd_29 integer not null default 0,
  pd_30 integer not null default 0,
  pd_31 integer not null default 0,
  e_results integer not null default 0,
  rated_very integer not null default 0,
  rated_satisfied integer not null default 0,
  rated_not integer not null default 0,
  ended integer not null default 0,
  due_passed integer not null default 0,
  overdue_cleared integer not null default 0,
  primary key (unit_code, day, channel)
);
create index stats_day_province on stats_day (province_code, day);
create index stats_day_day on stats_day (day);

create table stats_month (
  unit_code text not null,
  province_code text not null,
  month date not null,
  channel text not null,
  received integer not null default 0,
  recv_online_full integer not null default 0,
  fee_bearing integer not null default 0,
  paid_online integer not null default 0,
  comp_total integer not null default 0,
  comp_digitized integer not null default 0,
  comp_reused integer not null default 0,
  dossiers_digitized integer not null default 0,
  resolved_early integer not null default 0,
  resolved_on_time integer not null default 0,
  resolved_late integer not null default 0,
  late_apologized integer not null default 0,
  processing_hours numeric(14,2) not null default 0,
  pd_00 integer not null default 0,
  pd_01 integer not null default 0,
  pd_02 integer not null default 0,
  pd_03 integer not null default 0,
  pd_04 integer not null default 0,
  pd_05 integer not null default 0,
  pd_06 integer not null default 0,
  pd_07 integer not null default 0,
  pd_08 integer not null default 0,
  pd_09 integer not null default 0,
  pd_10 integer not null default 0,
  pd_11 integer not null default 0,
  pd_12 integer not null default 0,
  pd_13 integer not null default 0,
  pd_14 integer not null default 0,
  pd_15 integer not null default 0,
  pd_16 integer not null default 0,
  pd_17 integer not null default 0,
  pd_18 integer not null default 0,
  pd_19 integer not null default 0,
  pd_20 integer not null default 0,
  pd_21 integer not null default 0,
  pd_22 integer not null default 0,
  pd_23 integer not null default 0,
  pd_24 integer not null default 0,
  pd_25 integer not null default 0,
  pd_26 integer not null default 0,
  pd_27 integer not null default 0,
  pd_28 integer not null default 0,
  pd_29 integer not null default 0,
  pd_30 integer not null default 0,
  pd_31 integer not null default 0,
  e_results integer not null default 0,
  rated_very integer not null default 0,
  rated_satisfied integer not null default 0,
  rated_not integer not null default 0,
  ended integer not null default 0,
  due_passed integer not null default 0,
  overdue_cleared integer not null default 0,
  primary key (unit_code, month, channel)
);
create index stats_month_province on stats_month (province_code, month);
create index stats_month_month on stats_month (month);

-- What one dossier contributes, day by day (several rows may share a day: the caller sums them).
create function stats_contrib(d dossier) returns table (day date, received integer, recv_online_full integer, fee_bearing integer, paid_online integer, comp_total integer, comp_digitized integer, comp_reused integer, dossiers_digitized integer, resolved_early integer, resolved_on_time integer, resolved_late integer, late_apologized integer, processing_hours numeric, pd_00 integer, pd_01 integer, pd_02 integer, pd_03 integer, pd_04 integer, pd_05 integer, pd_06 integer, pd_07 integer, pd_08 integer, pd_09 integer, pd_10 integer, pd_11 integer, pd_12 integer, pd_13 integer, pd_14 integer, pd_15 integer, pd_16 integer, pd_17 integer, pd_18 integer, pd_19 integer, pd_20 integer, pd_21 integer, pd_22 integer, pd_23 integer, pd_24 integer, pd_25 integer, pd_26 integer, pd_27 integer, pd_28 integer, pd_29 integer, pd_30 integer, pd_31 integer, e_results integer, rated_very integer, rated_satisfied integer, rated_not integer, ended integer, due_passed integer, overdue_cleared integer)
language sql stable as $$
  select vn_day(d.received_at) as day, 1, (d.channel = 'online' and d.online_full)::int, (coalesce((d.fees->>'totalVnd')::numeric, 0) > 0)::int, (coalesce((d.fees->>'totalVnd')::numeric, 0) > 0 and coalesce((d.fees->>'paidOnline')::boolean, false))::int, c.handed, least(d.components_digitized, c.handed), least(d.components_reused, c.handed), (c.handed > 0 and d.components_digitized >= c.handed)::int, 0, 0, 0, 0, 0::numeric, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  from (select count(*)::int as handed from jsonb_array_elements(d.components) x where (x->>'handedIn')::boolean) c
  where d.received_at is not null and d.state <> 'refused'
  union all
  select vn_day((d.snapshot->>'resultReadyAt')::timestamptz) as day, 0, 0, 0, 0, 0, 0, 0, 0, (d.statutory_due_at is not null and vn_day((d.snapshot->>'resultReadyAt')::timestamptz) < vn_day(d.statutory_due_at))::int, (d.statutory_due_at is null or ((d.snapshot->>'resultReadyAt')::timestamptz <= d.statutory_due_at and vn_day((d.snapshot->>'resultReadyAt')::timestamptz) >= vn_day(d.statutory_due_at)))::int, (d.statutory_due_at is not null and (d.snapshot->>'resultReadyAt')::timestamptz > d.statutory_due_at)::int, (d.statutory_due_at is not null and (d.snapshot->>'resultReadyAt')::timestamptz > d.statutory_due_at and coalesce((d.snapshot->>'apologies')::int, 0) > 0)::int, coalesce((d.snapshot->>'processingHours')::numeric, 0)::numeric, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 0)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 1)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 2)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 3)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 4)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 5)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 6)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 7)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 8)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 9)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 10)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 11)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 12)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 13)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 14)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 15)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 16)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 17)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 18)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 19)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 20)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 21)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 22)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 23)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 24)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 25)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 26)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 27)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 28)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 29)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 30)::int, (least(31, ceil(coalesce((d.snapshot->>'processingHours')::numeric, 0) / 8))::int = 31)::int, d.e_result::int, 0, 0, 0, 0, 0, 0
  where d.received_at is not null and d.state <> 'refused' and (d.snapshot->>'resultReadyAt')::timestamptz is not null
  union all
  select vn_day(d.rated_at) as day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0::numeric, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (d.rating = 'very_satisfied')::int, (d.rating = 'satisfied')::int, (d.rating = 'not_satisfied')::int, 0, 0, 0
  where d.rated_at is not null
  union all
  select vn_day(coalesce((d.snapshot->>'resultReadyAt')::timestamptz, case when d.state in ('refused', 'withdrawn', 'stopped', 'returned') then d.closed_at end)) as day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0::numeric, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0
  where d.received_at is not null and d.state <> 'refused' and coalesce((d.snapshot->>'resultReadyAt')::timestamptz, case when d.state in ('refused', 'withdrawn', 'stopped', 'returned') then d.closed_at end) is not null
  union all
  select vn_day(d.statutory_due_at) + 1 as day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0::numeric, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0
  where d.received_at is not null and d.state <> 'refused' and d.statutory_due_at is not null and d.state not in ('awaiting_supplement', 'awaiting_payment')
  union all
  select greatest(vn_day(d.statutory_due_at) + 1, vn_day(coalesce((d.snapshot->>'resultReadyAt')::timestamptz, case when d.state in ('refused', 'withdrawn', 'stopped', 'returned') then d.closed_at end))) as day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0::numeric, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
  where d.received_at is not null and d.state <> 'refused' and d.statutory_due_at is not null and d.state not in ('awaiting_supplement', 'awaiting_payment') and coalesce((d.snapshot->>'resultReadyAt')::timestamptz, case when d.state in ('refused', 'withdrawn', 'stopped', 'returned') then d.closed_at end) is not null
$$;

-- Adds (sign 1) or takes away (sign -1) a dossier's contribution in the three rollups.
create function stats_add(d dossier, sign integer) returns void language plpgsql as $$
begin
  insert into stats_day_procedure as t (unit_code, province_code, day, procedure_code, channel, received, recv_online_full, fee_bearing, paid_online, comp_total, comp_digitized, comp_reused, dossiers_digitized, resolved_early, resolved_on_time, resolved_late, late_apologized, processing_hours, pd_00, pd_01, pd_02, pd_03, pd_04, pd_05, pd_06, pd_07, pd_08, pd_09, pd_10, pd_11, pd_12, pd_13, pd_14, pd_15, pd_16, pd_17, pd_18, pd_19, pd_20, pd_21, pd_22, pd_23, pd_24, pd_25, pd_26, pd_27, pd_28, pd_29, pd_30, pd_31, e_results, rated_very, rated_satisfied, rated_not, ended, due_passed, overdue_cleared)
  select d.receiving_unit_code, d.province_code, c.day, d.procedure_code, d.channel, sign * sum(received), sign * sum(recv_online_full), sign * sum(fee_bearing), sign * sum(paid_online), sign * sum(comp_total), sign * sum(comp_digitized), sign * sum(comp_reused), sign * sum(dossiers_digitized), sign * sum(resolved_early), sign * sum(resolved_on_time), sign * sum(resolved_late), sign * sum(late_apologized), sign * sum(processing_hours), sign * sum(pd_00), sign * sum(pd_01), sign * sum(pd_02), sign * sum(pd_03), sign * sum(pd_04), sign * sum(pd_05), sign * sum(pd_06), sign * sum(pd_07), sign * sum(pd_08), sign * sum(pd_09), sign * sum(pd_10), sign * sum(pd_11), sign * sum(pd_12), sign * sum(pd_13), sign * sum(pd_14), sign * sum(pd_15), sign * sum(pd_16), sign * sum(pd_17), sign * sum(pd_18), sign * sum(pd_19), sign * sum(pd_20), sign * sum(pd_21), sign * sum(pd_22), sign * sum(pd_23), sign * sum(pd_24), sign * sum(pd_25), sign * sum(pd_26), sign * sum(pd_27), sign * sum(pd_28), sign * sum(pd_29), sign * sum(pd_30), sign * sum(pd_31), sign * sum(e_results), sign * sum(rated_very), sign * sum(rated_satisfied), sign * sum(rated_not), sign * sum(ended), sign * sum(due_passed), sign * sum(overdue_cleared)
  from stats_contrib(d) c group by 3, 4, 5
  on conflict (unit_code, day, procedure_code, channel) do update set received = t.received + excluded.received, recv_online_full = t.recv_online_full + excluded.recv_online_full, fee_bearing = t.fee_bearing + excluded.fee_bearing, paid_online = t.paid_online + excluded.paid_online, comp_total = t.comp_total + excluded.comp_total, comp_digitized = t.comp_digitized + excluded.comp_digitized, comp_reused = t.comp_reused + excluded.comp_reused, dossiers_digitized = t.dossiers_digitized + excluded.dossiers_digitized, resolved_early = t.resolved_early + excluded.resolved_early, resolved_on_time = t.resolved_on_time + excluded.resolved_on_time, resolved_late = t.resolved_late + excluded.resolved_late, late_apologized = t.late_apologized + excluded.late_apologized, processing_hours = t.processing_hours + excluded.processing_hours, pd_00 = t.pd_00 + excluded.pd_00, pd_01 = t.pd_01 + excluded.pd_01, pd_02 = t.pd_02 + excluded.pd_02, pd_03 = t.pd_03 + excluded.pd_03, pd_04 = t.pd_04 + excluded.pd_04, pd_05 = t.pd_05 + excluded.pd_05, pd_06 = t.pd_06 + excluded.pd_06, pd_07 = t.pd_07 + excluded.pd_07, pd_08 = t.pd_08 + excluded.pd_08, pd_09 = t.pd_09 + excluded.pd_09, pd_10 = t.pd_10 + excluded.pd_10, pd_11 = t.pd_11 + excluded.pd_11, pd_12 = t.pd_12 + excluded.pd_12, pd_13 = t.pd_13 + excluded.pd_13, pd_14 = t.pd_14 + excluded.pd_14, pd_15 = t.pd_15 + excluded.pd_15, pd_16 = t.pd_16 + excluded.pd_16, pd_17 = t.pd_17 + excluded.pd_17, pd_18 = t.pd_18 + excluded.pd_18, pd_19 = t.pd_19 + excluded.pd_19, pd_20 = t.pd_20 + excluded.pd_20, pd_21 = t.pd_21 + excluded.pd_21, pd_22 = t.pd_22 + excluded.pd_22, pd_23 = t.pd_23 + excluded.pd_23, pd_24 = t.pd_24 + excluded.pd_24, pd_25 = t.pd_25 + excluded.pd_25, pd_26 = t.pd_26 + excluded.pd_26, pd_27 = t.pd_27 + excluded.pd_27, pd_28 = t.pd_28 + excluded.pd_28, pd_29 = t.pd_29 + excluded.pd_29, pd_30 = t.pd_30 + excluded.pd_30, pd_31 = t.pd_31 + excluded.pd_31, e_results = t.e_results + excluded.e_results, rated_very = t.rated_very + excluded.rated_very, rated_satisfied = t.rated_satisfied + excluded.rated_satisfied, rated_not = t.rated_not + excluded.rated_not, ended = t.ended + excluded.ended, due_passed = t.due_passed + excluded.due_passed, overdue_cleared = t.overdue_cleared + excluded.overdue_cleared;
  insert into stats_day as t (unit_code, province_code, day, channel, received, recv_online_full, fee_bearing, paid_online, comp_total, comp_digitized, comp_reused, dossiers_digitized, resolved_early, resolved_on_time, resolved_late, late_apologized, processing_hours, pd_00, pd_01, pd_02, pd_03, pd_04, pd_05, pd_06, pd_07, pd_08, pd_09, pd_10, pd_11, pd_12, pd_13, pd_14, pd_15, pd_16, pd_17, pd_18, pd_19, pd_20, pd_21, pd_22, pd_23, pd_24, pd_25, pd_26, pd_27, pd_28, pd_29, pd_30, pd_31, e_results, rated_very, rated_satisfied, rated_not, ended, due_passed, overdue_cleared)
  select d.receiving_unit_code, d.province_code, c.day, d.channel, sign * sum(received), sign * sum(recv_online_full), sign * sum(fee_bearing), sign * sum(paid_online), sign * sum(comp_total), sign * sum(comp_digitized), sign * sum(comp_reused), sign * sum(dossiers_digitized), sign * sum(resolved_early), sign * sum(resolved_on_time), sign * sum(resolved_late), sign * sum(late_apologized), sign * sum(processing_hours), sign * sum(pd_00), sign * sum(pd_01), sign * sum(pd_02), sign * sum(pd_03), sign * sum(pd_04), sign * sum(pd_05), sign * sum(pd_06), sign * sum(pd_07), sign * sum(pd_08), sign * sum(pd_09), sign * sum(pd_10), sign * sum(pd_11), sign * sum(pd_12), sign * sum(pd_13), sign * sum(pd_14), sign * sum(pd_15), sign * sum(pd_16), sign * sum(pd_17), sign * sum(pd_18), sign * sum(pd_19), sign * sum(pd_20), sign * sum(pd_21), sign * sum(pd_22), sign * sum(pd_23), sign * sum(pd_24), sign * sum(pd_25), sign * sum(pd_26), sign * sum(pd_27), sign * sum(pd_28), sign * sum(pd_29), sign * sum(pd_30), sign * sum(pd_31), sign * sum(e_results), sign * sum(rated_very), sign * sum(rated_satisfied), sign * sum(rated_not), sign * sum(ended), sign * sum(due_passed), sign * sum(overdue_cleared)
  from stats_contrib(d) c group by 3, 4
  on conflict (unit_code, day, channel) do update set received = t.received + excluded.received, recv_online_full = t.recv_online_full + excluded.recv_online_full, fee_bearing = t.fee_bearing + excluded.fee_bearing, paid_online = t.paid_online + excluded.paid_online, comp_total = t.comp_total + excluded.comp_total, comp_digitized = t.comp_digitized + excluded.comp_digitized, comp_reused = t.comp_reused + excluded.comp_reused, dossiers_digitized = t.dossiers_digitized + excluded.dossiers_digitized, resolved_early = t.resolved_early + excluded.resolved_early, resolved_on_time = t.resolved_on_time + excluded.resolved_on_time, resolved_late = t.resolved_late + excluded.resolved_late, late_apologized = t.late_apologized + excluded.late_apologized, processing_hours = t.processing_hours + excluded.processing_hours, pd_00 = t.pd_00 + excluded.pd_00, pd_01 = t.pd_01 + excluded.pd_01, pd_02 = t.pd_02 + excluded.pd_02, pd_03 = t.pd_03 + excluded.pd_03, pd_04 = t.pd_04 + excluded.pd_04, pd_05 = t.pd_05 + excluded.pd_05, pd_06 = t.pd_06 + excluded.pd_06, pd_07 = t.pd_07 + excluded.pd_07, pd_08 = t.pd_08 + excluded.pd_08, pd_09 = t.pd_09 + excluded.pd_09, pd_10 = t.pd_10 + excluded.pd_10, pd_11 = t.pd_11 + excluded.pd_11, pd_12 = t.pd_12 + excluded.pd_12, pd_13 = t.pd_13 + excluded.pd_13, pd_14 = t.pd_14 + excluded.pd_14, pd_15 = t.pd_15 + excluded.pd_15, pd_16 = t.pd_16 + excluded.pd_16, pd_17 = t.pd_17 + excluded.pd_17, pd_18 = t.pd_18 + excluded.pd_18, pd_19 = t.pd_19 + excluded.pd_19, pd_20 = t.pd_20 + excluded.pd_20, pd_21 = t.pd_21 + excluded.pd_21, pd_22 = t.pd_22 + excluded.pd_22, pd_23 = t.pd_23 + excluded.pd_23, pd_24 = t.pd_24 + excluded.pd_24, pd_25 = t.pd_25 + excluded.pd_25, pd_26 = t.pd_26 + excluded.pd_26, pd_27 = t.pd_27 + excluded.pd_27, pd_28 = t.pd_28 + excluded.pd_28, pd_29 = t.pd_29 + excluded.pd_29, pd_30 = t.pd_30 + excluded.pd_30, pd_31 = t.pd_31 + excluded.pd_31, e_results = t.e_results + excluded.e_results, rated_very = t.rated_very + excluded.rated_very, rated_satisfied = t.rated_satisfied + excluded.rated_satisfied, rated_not = t.rated_not + excluded.rated_not, ended = t.ended + excluded.ended, due_passed = t.due_passed + excluded.due_passed, overdue_cleared = t.overdue_cleared + excluded.overdue_cleared;
  insert into stats_month as t (unit_code, province_code, month, channel, received, recv_online_full, fee_bearing, paid_online, comp_total, comp_digitized, comp_reused, dossiers_digitized, resolved_early, resolved_on_time, resolved_late, late_apologized, processing_hours, pd_00, pd_01, pd_02, pd_03, pd_04, pd_05, pd_06, pd_07, pd_08, pd_09, pd_10, pd_11, pd_12, pd_13, pd_14, pd_15, pd_16, pd_17, pd_18, pd_19, pd_20, pd_21, pd_22, pd_23, pd_24, pd_25, pd_26, pd_27, pd_28, pd_29, pd_30, pd_31, e_results, rated_very, rated_satisfied, rated_not, ended, due_passed, overdue_cleared)
  select d.receiving_unit_code, d.province_code, date_trunc('month', c.day)::date, d.channel, sign * sum(received), sign * sum(recv_online_full), sign * sum(fee_bearing), sign * sum(paid_online), sign * sum(comp_total), sign * sum(comp_digitized), sign * sum(comp_reused), sign * sum(dossiers_digitized), sign * sum(resolved_early), sign * sum(resolved_on_time), sign * sum(resolved_late), sign * sum(late_apologized), sign * sum(processing_hours), sign * sum(pd_00), sign * sum(pd_01), sign * sum(pd_02), sign * sum(pd_03), sign * sum(pd_04), sign * sum(pd_05), sign * sum(pd_06), sign * sum(pd_07), sign * sum(pd_08), sign * sum(pd_09), sign * sum(pd_10), sign * sum(pd_11), sign * sum(pd_12), sign * sum(pd_13), sign * sum(pd_14), sign * sum(pd_15), sign * sum(pd_16), sign * sum(pd_17), sign * sum(pd_18), sign * sum(pd_19), sign * sum(pd_20), sign * sum(pd_21), sign * sum(pd_22), sign * sum(pd_23), sign * sum(pd_24), sign * sum(pd_25), sign * sum(pd_26), sign * sum(pd_27), sign * sum(pd_28), sign * sum(pd_29), sign * sum(pd_30), sign * sum(pd_31), sign * sum(e_results), sign * sum(rated_very), sign * sum(rated_satisfied), sign * sum(rated_not), sign * sum(ended), sign * sum(due_passed), sign * sum(overdue_cleared)
  from stats_contrib(d) c group by 3, 4
  on conflict (unit_code, month, channel) do update set received = t.received + excluded.received, recv_online_full = t.recv_online_full + excluded.recv_online_full, fee_bearing = t.fee_bearing + excluded.fee_bearing, paid_online = t.paid_online + excluded.paid_online, comp_total = t.comp_total + excluded.comp_total, comp_digitized = t.comp_digitized + excluded.comp_digitized, comp_reused = t.comp_reused + excluded.comp_reused, dossiers_digitized = t.dossiers_digitized + excluded.dossiers_digitized, resolved_early = t.resolved_early + excluded.resolved_early, resolved_on_time = t.resolved_on_time + excluded.resolved_on_time, resolved_late = t.resolved_late + excluded.resolved_late, late_apologized = t.late_apologized + excluded.late_apologized, processing_hours = t.processing_hours + excluded.processing_hours, pd_00 = t.pd_00 + excluded.pd_00, pd_01 = t.pd_01 + excluded.pd_01, pd_02 = t.pd_02 + excluded.pd_02, pd_03 = t.pd_03 + excluded.pd_03, pd_04 = t.pd_04 + excluded.pd_04, pd_05 = t.pd_05 + excluded.pd_05, pd_06 = t.pd_06 + excluded.pd_06, pd_07 = t.pd_07 + excluded.pd_07, pd_08 = t.pd_08 + excluded.pd_08, pd_09 = t.pd_09 + excluded.pd_09, pd_10 = t.pd_10 + excluded.pd_10, pd_11 = t.pd_11 + excluded.pd_11, pd_12 = t.pd_12 + excluded.pd_12, pd_13 = t.pd_13 + excluded.pd_13, pd_14 = t.pd_14 + excluded.pd_14, pd_15 = t.pd_15 + excluded.pd_15, pd_16 = t.pd_16 + excluded.pd_16, pd_17 = t.pd_17 + excluded.pd_17, pd_18 = t.pd_18 + excluded.pd_18, pd_19 = t.pd_19 + excluded.pd_19, pd_20 = t.pd_20 + excluded.pd_20, pd_21 = t.pd_21 + excluded.pd_21, pd_22 = t.pd_22 + excluded.pd_22, pd_23 = t.pd_23 + excluded.pd_23, pd_24 = t.pd_24 + excluded.pd_24, pd_25 = t.pd_25 + excluded.pd_25, pd_26 = t.pd_26 + excluded.pd_26, pd_27 = t.pd_27 + excluded.pd_27, pd_28 = t.pd_28 + excluded.pd_28, pd_29 = t.pd_29 + excluded.pd_29, pd_30 = t.pd_30 + excluded.pd_30, pd_31 = t.pd_31 + excluded.pd_31, e_results = t.e_results + excluded.e_results, rated_very = t.rated_very + excluded.rated_very, rated_satisfied = t.rated_satisfied + excluded.rated_satisfied, rated_not = t.rated_not + excluded.rated_not, ended = t.ended + excluded.ended, due_passed = t.due_passed + excluded.due_passed, overdue_cleared = t.overdue_cleared + excluded.overdue_cleared;
end;
$$;

-- The full recount: every rollup from every dossier at once (the migration, npm run stats:rebuild).
create function stats_recount() returns void language plpgsql as $$
begin
  delete from stats_day_procedure;
  delete from stats_day;
  delete from stats_month;
  insert into stats_day_procedure (unit_code, province_code, day, procedure_code, channel, received, recv_online_full, fee_bearing, paid_online, comp_total, comp_digitized, comp_reused, dossiers_digitized, resolved_early, resolved_on_time, resolved_late, late_apologized, processing_hours, pd_00, pd_01, pd_02, pd_03, pd_04, pd_05, pd_06, pd_07, pd_08, pd_09, pd_10, pd_11, pd_12, pd_13, pd_14, pd_15, pd_16, pd_17, pd_18, pd_19, pd_20, pd_21, pd_22, pd_23, pd_24, pd_25, pd_26, pd_27, pd_28, pd_29, pd_30, pd_31, e_results, rated_very, rated_satisfied, rated_not, ended, due_passed, overdue_cleared)
  select d.receiving_unit_code, d.province_code, c.day, d.procedure_code, d.channel, sum(received), sum(recv_online_full), sum(fee_bearing), sum(paid_online), sum(comp_total), sum(comp_digitized), sum(comp_reused), sum(dossiers_digitized), sum(resolved_early), sum(resolved_on_time), sum(resolved_late), sum(late_apologized), sum(processing_hours), sum(pd_00), sum(pd_01), sum(pd_02), sum(pd_03), sum(pd_04), sum(pd_05), sum(pd_06), sum(pd_07), sum(pd_08), sum(pd_09), sum(pd_10), sum(pd_11), sum(pd_12), sum(pd_13), sum(pd_14), sum(pd_15), sum(pd_16), sum(pd_17), sum(pd_18), sum(pd_19), sum(pd_20), sum(pd_21), sum(pd_22), sum(pd_23), sum(pd_24), sum(pd_25), sum(pd_26), sum(pd_27), sum(pd_28), sum(pd_29), sum(pd_30), sum(pd_31), sum(e_results), sum(rated_very), sum(rated_satisfied), sum(rated_not), sum(ended), sum(due_passed), sum(overdue_cleared)
  from dossier d cross join lateral stats_contrib(d) c
  group by 1, 2, 3, 4, 5;
  insert into stats_day (unit_code, province_code, day, channel, received, recv_online_full, fee_bearing, paid_online, comp_total, comp_digitized, comp_reused, dossiers_digitized, resolved_early, resolved_on_time, resolved_late, late_apologized, processing_hours, pd_00, pd_01, pd_02, pd_03, pd_04, pd_05, pd_06, pd_07, pd_08, pd_09, pd_10, pd_11, pd_12, pd_13, pd_14, pd_15, pd_16, pd_17, pd_18, pd_19, pd_20, pd_21, pd_22, pd_23, pd_24, pd_25, pd_26, pd_27, pd_28, pd_29, pd_30, pd_31, e_results, rated_very, rated_satisfied, rated_not, ended, due_passed, overdue_cleared)
  select d.receiving_unit_code, d.province_code, c.day, d.channel, sum(received), sum(recv_online_full), sum(fee_bearing), sum(paid_online), sum(comp_total), sum(comp_digitized), sum(comp_reused), sum(dossiers_digitized), sum(resolved_early), sum(resolved_on_time), sum(resolved_late), sum(late_apologized), sum(processing_hours), sum(pd_00), sum(pd_01), sum(pd_02), sum(pd_03), sum(pd_04), sum(pd_05), sum(pd_06), sum(pd_07), sum(pd_08), sum(pd_09), sum(pd_10), sum(pd_11), sum(pd_12), sum(pd_13), sum(pd_14), sum(pd_15), sum(pd_16), sum(pd_17), sum(pd_18), sum(pd_19), sum(pd_20), sum(pd_21), sum(pd_22), sum(pd_23), sum(pd_24), sum(pd_25), sum(pd_26), sum(pd_27), sum(pd_28), sum(pd_29), sum(pd_30), sum(pd_31), sum(e_results), sum(rated_very), sum(rated_satisfied), sum(rated_not), sum(ended), sum(due_passed), sum(overdue_cleared)
  from dossier d cross join lateral stats_contrib(d) c
  group by 1, 2, 3, 4;
  insert into stats_month (unit_code, province_code, month, channel, received, recv_online_full, fee_bearing, paid_online, comp_total, comp_digitized, comp_reused, dossiers_digitized, resolved_early, resolved_on_time, resolved_late, late_apologized, processing_hours, pd_00, pd_01, pd_02, pd_03, pd_04, pd_05, pd_06, pd_07, pd_08, pd_09, pd_10, pd_11, pd_12, pd_13, pd_14, pd_15, pd_16, pd_17, pd_18, pd_19, pd_20, pd_21, pd_22, pd_23, pd_24, pd_25, pd_26, pd_27, pd_28, pd_29, pd_30, pd_31, e_results, rated_very, rated_satisfied, rated_not, ended, due_passed, overdue_cleared)
  select d.receiving_unit_code, d.province_code, date_trunc('month', c.day)::date, d.channel, sum(received), sum(recv_online_full), sum(fee_bearing), sum(paid_online), sum(comp_total), sum(comp_digitized), sum(comp_reused), sum(dossiers_digitized), sum(resolved_early), sum(resolved_on_time), sum(resolved_late), sum(late_apologized), sum(processing_hours), sum(pd_00), sum(pd_01), sum(pd_02), sum(pd_03), sum(pd_04), sum(pd_05), sum(pd_06), sum(pd_07), sum(pd_08), sum(pd_09), sum(pd_10), sum(pd_11), sum(pd_12), sum(pd_13), sum(pd_14), sum(pd_15), sum(pd_16), sum(pd_17), sum(pd_18), sum(pd_19), sum(pd_20), sum(pd_21), sum(pd_22), sum(pd_23), sum(pd_24), sum(pd_25), sum(pd_26), sum(pd_27), sum(pd_28), sum(pd_29), sum(pd_30), sum(pd_31), sum(e_results), sum(rated_very), sum(rated_satisfied), sum(rated_not), sum(ended), sum(due_passed), sum(overdue_cleared)
  from dossier d cross join lateral stats_contrib(d) c
  group by 1, 2, 3, 4;
end;
$$;

-- Dossiers already there: their facts, then all the rollups at once (before the triggers exist).
update dossier d set online_full = (p.online_level = 'full')
  from procedure_version p where p.id = d.procedure_version_id;
update dossier d set
  components_digitized = (select count(distinct component_key) from document x
                          where x.dossier_id = d.id and not x.is_result),
  components_reused = (select count(distinct component_key) from document x
                       where x.dossier_id = d.id and not x.is_result and x.digitization <> 'digitized'),
  e_result = exists (select 1 from result_issue r where r.dossier_id = d.id);
update dossier d set rating = r.rating, rated_at = r.created_at from dossier_rating r where r.dossier_id = d.id;
select stats_recount();

create function stats_on_dossier() returns trigger language plpgsql as $$
begin
  if current_setting('motcua.bulk_load', true) = 'on' then return null; end if;
  if tg_op <> 'INSERT' then perform stats_add(old, -1); end if;
  if tg_op <> 'DELETE' then perform stats_add(new, 1); end if;
  return null;
end;
$$;

create trigger dossier_stats_insert after insert on dossier
  for each row execute function stats_on_dossier();
-- Only a write that changes what the dossier contributes touches the rollups (not an assignment).
create trigger dossier_stats_update after update on dossier for each row
  when (old.received_at is distinct from new.received_at
     or old.statutory_due_at is distinct from new.statutory_due_at
     or old.closed_at is distinct from new.closed_at
     or old.state is distinct from new.state
     or old.snapshot->>'resultReadyAt' is distinct from new.snapshot->>'resultReadyAt'
     or old.snapshot->>'processingHours' is distinct from new.snapshot->>'processingHours'
     or old.snapshot->>'apologies' is distinct from new.snapshot->>'apologies'
     or old.fees is distinct from new.fees
     or old.components is distinct from new.components
     or old.online_full is distinct from new.online_full
     or old.components_digitized is distinct from new.components_digitized
     or old.components_reused is distinct from new.components_reused
     or old.e_result is distinct from new.e_result
     or old.rating is distinct from new.rating
     or old.rated_at is distinct from new.rated_at
     or old.channel is distinct from new.channel
     or old.procedure_code is distinct from new.procedure_code
     or old.receiving_unit_code is distinct from new.receiving_unit_code)
  execute function stats_on_dossier();
create trigger dossier_stats_delete after delete on dossier
  for each row execute function stats_on_dossier();

-- The facts other tables decide, copied onto the dossier in the same transaction. A bulk load (the demo
-- history generator: `set local motcua.bulk_load = 'on'`) writes the facts itself and recounts at the end.
create function stats_dossier_online_level() returns trigger language plpgsql as $$
begin
  new.online_full := coalesce((select online_level = 'full' from procedure_version where id = new.procedure_version_id), false);
  return new;
end;
$$;
create trigger dossier_online_level before insert on dossier
  for each row execute function stats_dossier_online_level();

create function stats_on_document() returns trigger language plpgsql as $$
declare
  target bigint := coalesce(new.dossier_id, old.dossier_id);
begin
  if target is null or current_setting('motcua.bulk_load', true) = 'on' then return null; end if;
  update dossier set
    components_digitized = (select count(distinct component_key) from document
                            where dossier_id = target and not is_result),
    components_reused = (select count(distinct component_key) from document
                         where dossier_id = target and not is_result and digitization <> 'digitized')
  where id = target;
  return null;
end;
$$;
create trigger document_stats after insert or update or delete on document
  for each row execute function stats_on_document();

create function stats_on_result() returns trigger language plpgsql as $$
begin
  if current_setting('motcua.bulk_load', true) = 'on' then return null; end if;
  update dossier set e_result = true where id = new.dossier_id and not e_result;
  return null;
end;
$$;
create trigger result_issue_stats after insert on result_issue
  for each row execute function stats_on_result();

create function stats_on_rating() returns trigger language plpgsql as $$
begin
  if current_setting('motcua.bulk_load', true) = 'on' then return null; end if;
  update dossier set rating = new.rating, rated_at = new.created_at where id = new.dossier_id;
  return null;
end;
$$;
create trigger dossier_rating_stats after insert or update on dossier_rating
  for each row execute function stats_on_rating();

