import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';

export type BulkPlan = {
  /** How many dossiers, spread over every current commune (3,321) and the period. */
  size: number;
  seed: number;
  from: string;
  to: string;
};

/**
 * The demo history's generator at benchmark scale: the same seeded shape (channels, procedures, a few
 * late, scans, reuse, ratings, online payment) written by PostgreSQL itself in chunks, because a
 * million dossiers through the machine one by one would take hours. These dossiers have their rows and
 * facts but no events (the benchmarks read rows and rollups); the rollups are recounted at the end.
 */
export async function generateBulkHistory(
  db: Kysely<DB>,
  plan: BulkPlan,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<number> {
  await sql`drop table if exists bulk_commune, bulk_procedure`.execute(db);
  await sql`create table bulk_commune as
    select (row_number() over (order by code) - 1)::int as i, code, province_code
    from admin_unit where level = 'commune' and valid_to is null`.execute(db);
  await sql`create table bulk_procedure as
    select (row_number() over (order by code) - 1)::int as i, id, code, online_level,
      greatest(1, coalesce((definition->'duration'->>'amount')::int, 1)) as days
    from procedure_version where status = 'published' and scope = 'VN'`.execute(db);
  const staff = await db.selectFrom('staff_account').select('id').orderBy('id').executeTakeFirstOrThrow();
  // The dossier's secondary indexes are built once at the end: much faster than row by row.
  const indexes = await sql<{ name: string; definition: string }>`
    select indexname as name, indexdef as definition from pg_indexes
    where tablename = 'dossier' and indexdef not like 'CREATE UNIQUE%'`.execute(db);
  for (const index of indexes.rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  const chunk = 250_000;
  for (let start = 0; start < plan.size; start += chunk) {
    const end = Math.min(plan.size, start + chunk);
    await db.transaction().execute(async (trx) => {
      await sql`set local motcua.bulk_load = 'on'`.execute(trx);
      await sql`
        with n as (select g as i from generate_series(${start + 1}::int, ${end}::int) g),
        r as (
          select i, array(select (hashtextextended(${plan.seed}::text || ':' || i || ':' || k, 0) & 2147483647)::float8
                                 / 2147483648 from generate_series(1, 14) k) as r
          from n
        ),
        base as (
          select r.i, r.r, c.code as commune, c.province_code, p.id as pv, p.code as procedure_code,
            p.online_level, p.days,
            ${plan.from}::timestamptz + (r.r[4] * (${plan.to}::timestamptz - ${plan.from}::timestamptz)) as received_at
          from r
          join bulk_commune c on c.i = floor(r.r[1] * (select count(*) from bulk_commune))::int
          join bulk_procedure p on p.i = floor(r.r[2] * (select count(*) from bulk_procedure))::int
        ),
        shaped as (
          select b.*,
            case when b.online_level <> 'none' and b.r[3] < 0.6 then 'online'
                 when b.r[3] < 0.985 then 'counter' else 'postal' end as channel,
            b.received_at + make_interval(secs => b.days * 1.4 * 86400) as due_at,
            b.received_at < now() - interval '30 days' or b.r[5] < 0.9 as resolved,
            b.received_at + make_interval(secs => b.days * 1.4 * 86400 *
              case when b.r[6] < 0.95 then 0.2 + 0.75 * b.r[7] else 1.05 + 0.5 * b.r[7] end) as ready_at
          from base b
        ),
        final as (
          select s.*, s.resolved and s.ready_at < now() as done,
            round(extract(epoch from (s.ready_at - s.received_at)) / 3600 * 8 / 24, 2) as hours
          from shaped s
        )
        insert into dossier (code, procedure_version_id, procedure_code, channel, support_unit_code,
          receiving_unit_code, competent_unit_code, province_code, rule_version, applicant_citizen_id,
          applicant_name, applicant_name_folded, applicant, components, fees, state, status_code,
          submitted_at, received_at, statutory_due_at, due_at, closed_at, snapshot, version, created_by,
          online_full, components_digitized, components_reused, e_result, rating, rated_at, updated_at)
        select f.commune || '-B' || f.i, f.pv, f.procedure_code, f.channel, f.commune, f.commune, f.commune,
          f.province_code, 'ND118/2025', lpad((f.i % 1000000000000)::text, 12, '0'),
          'Công dân ' || f.i, 'cong dan ' || f.i, '{}'::jsonb,
          '[{"key": "to_khai", "handedIn": true}, {"key": "giay_to", "handedIn": true}]'::jsonb,
          jsonb_build_object('totalVnd', case when f.r[10] < 0.5 then 50000 else 0 end,
            'paidOnline', f.channel = 'online' and f.r[11] < 0.45),
          case when f.done then 'returned' else 'in_progress' end,
          case when f.done then 10 else 4 end,
          f.received_at, f.received_at, f.due_at, f.due_at,
          case when f.done then f.ready_at + interval '2 hours' end,
          case when f.done
            then jsonb_build_object('resultReadyAt', to_char(f.ready_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                    'processingHours', f.hours, 'apologies', 0)
            else jsonb_build_object('apologies', 0) end,
          case when f.done then 7 else 3 end, ${staff.id},
          f.channel = 'online' and f.online_level = 'full',
          case when f.r[8] < 0.85 then 2 else 0 end,
          case when f.r[8] < 0.85 and f.r[9] < 0.3 then 2 else 0 end,
          f.done and f.r[13] < 0.6,
          case when f.done and f.r[12] < 0.4 then
            case when f.r[14] < 0.62 then 'very_satisfied' when f.r[14] < 0.94 then 'satisfied' else 'not_satisfied' end
          end,
          case when f.done and f.r[12] < 0.4 then f.ready_at + interval '3 hours' end,
          now()
        from final f`.execute(trx);
    });
    onProgress(end, plan.size);
  }
  await sql`drop table bulk_commune, bulk_procedure`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.definition).execute(db);
  await sql`select stats_recount()`.execute(db);
  await sql`analyze`.execute(db);
  return plan.size;
}
