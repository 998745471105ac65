import { type Kysely, sql } from 'kysely';
import { DOSSIER_CASE, getDossierState } from '../../../core/dossiers/dossier-machine.ts';
import type { DossierState } from '../../../core/dossiers/dossier-state.ts';
import { METRICS } from '../../../core/stats/metrics.ts';
import type { DB } from '../../db/schema.ts';
import { createDossiersRepository, eventsByDossier } from '../dossiers/dossiers.repository.ts';

export type RebuildReport = {
  dossiers: number;
  /** Dossiers with no events to refold (the benchmarks' bulk data): their rows are taken as they are. */
  withoutEvents: number;
  /** Dossier rows whose projection differed from the fold of their events (and were rewritten). */
  projectionsRepaired: number;
  /** Dossier facts copied from documents, results and ratings that had drifted (and were rewritten). */
  factsRepaired: number;
  /** Rollup rows compared, and how many differed from the recount before it replaced them. */
  rollupRows: number;
  rollupRowsDiffering: number;
  /** After the rebuild: the stored rollups equal a recount from the dossiers (always true unless a bug). */
  matches: boolean;
};

const TABLES = ['stats_day_procedure', 'stats_day', 'stats_month'] as const;
const NONZERO = sql.raw(METRICS.map((m) => `${m} <> 0`).join(' or '));
const BATCH = 500;

/** What the fold decides and the rollups read: compared between the row and the fold of its events. */
function essentials(s: DossierState) {
  return JSON.stringify([
    s.state,
    s.receivedAt,
    s.statutoryDueAt,
    s.dueAt,
    s.closedAt,
    s.resultReadyAt,
    s.processingHours ?? null,
    s.apologies,
    s.version,
  ]);
}

/** Rows that are in one table and not the other, both ways (all-zero rows count as absent). */
async function differences(db: Kysely<DB>, table: string, copy: string) {
  const t = sql.table(table);
  const c = sql.table(copy);
  const result = await sql<{ n: number }>`
    select count(*)::int as n from (
      (select * from ${t} where ${NONZERO} except all select * from ${c})
      union all
      (select * from ${c} except all select * from ${t} where ${NONZERO})
    ) d`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/**
 * `npm run stats:rebuild`: refolds every dossier's events and rewrites a projection that differs, copies
 * the facts of documents, results and ratings again, then recounts every rollup from the dossiers and
 * says how many rows differed; afterwards it checks once more that the stored rollups equal a recount.
 */
export async function rebuildStats(
  db: Kysely<DB>,
  onProgress: (stage: string, done: number, total: number) => void = () => {},
): Promise<RebuildReport> {
  const repo = createDossiersRepository();
  const total = Number(
    (await db.selectFrom('dossier').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n,
  );
  let done = 0;
  let projectionsRepaired = 0;
  let withoutEvents = 0;
  let lastId = 0;
  for (;;) {
    const rows = await db
      .selectFrom('dossier')
      .select(['id', 'snapshot'])
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (!rows.length) break;
    const ids = rows.map((r) => Number(r.id));
    const byDossier = await eventsByDossier(db, ids);
    for (const row of rows) {
      const list = byDossier.get(Number(row.id)) ?? [];
      if (!list.length) {
        withoutEvents++;
        continue;
      }
      const folded = getDossierState(list);
      // A snapshot of an older version (or one that does not validate) is written again as well.
      const stored = DOSSIER_CASE.readSnapshot(row.snapshot);
      if (!stored || essentials(folded) !== essentials(stored)) {
        projectionsRepaired++;
        await db
          .transaction()
          .execute((trx) =>
            repo.updateState(trx, Number(row.id), folded, list.at(-1)?.at ?? folded.submittedAt),
          );
      }
    }
    lastId = ids.at(-1) ?? lastId;
    done += rows.length;
    onProgress('events', done, total);
  }

  const facts = await sql<{ n: number }>`
    with fresh as (
      select d.id,
        (select count(distinct component_key) from document x where x.dossier_id = d.id and not x.is_result)::smallint as digitized,
        (select count(distinct component_key) from document x where x.dossier_id = d.id and not x.is_result
           and x.digitization <> 'digitized')::smallint as reused,
        exists (select 1 from result_issue r where r.dossier_id = d.id) as e_result,
        r.rating, r.created_at as rated_at
      from dossier d left join dossier_rating r on r.dossier_id = d.id
    ), changed as (
      update dossier d set components_digitized = f.digitized, components_reused = f.reused,
        e_result = f.e_result, rating = f.rating, rated_at = f.rated_at
      from fresh f
      where f.id = d.id and (d.components_digitized, d.components_reused, d.e_result, d.rating, d.rated_at)
        is distinct from (f.digitized, f.reused, f.e_result, f.rating, f.rated_at)
      returning 1
    ) select count(*)::int as n from changed`.execute(db);
  const factsRepaired = facts.rows[0]?.n ?? 0;

  onProgress('rollups', 0, 1);
  const { rollupRows, rollupRowsDiffering } = await db.transaction().execute(async (trx) => {
    let compared = 0;
    for (const table of TABLES) {
      await sql`create temp table ${sql.table(`${table}_before`)} on commit drop as
        select * from ${sql.table(table)} where ${NONZERO}`.execute(trx);
    }
    await sql`select stats_recount()`.execute(trx);
    let differing = 0;
    for (const table of TABLES) {
      differing += await differences(trx, table, `${table}_before`);
      const n = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(table)} where ${NONZERO}`.execute(trx);
      compared += n.rows[0]?.n ?? 0;
    }
    return { rollupRows: compared, rollupRowsDiffering: differing };
  });
  onProgress('rollups', 1, 1);
  const matches = await verifyRollups(db);
  return {
    dossiers: total,
    withoutEvents,
    projectionsRepaired,
    factsRepaired,
    rollupRows,
    rollupRowsDiffering,
    matches,
  };
}

/** True when the stored rollups equal a recount from the dossiers (computed and thrown away). */
export async function verifyRollups(db: Kysely<DB>): Promise<boolean> {
  try {
    await db.transaction().execute(async (trx) => {
      for (const table of TABLES) {
        await sql`create temp table ${sql.table(`${table}_stored`)} on commit drop as
        select * from ${sql.table(table)} where ${NONZERO}`.execute(trx);
      }
      await sql`select stats_recount()`.execute(trx);
      let differing = 0;
      for (const table of TABLES) differing += await differences(trx, table, `${table}_stored`);
      // Thrown to roll the recount back: the stored tables stay exactly as they were.
      throw new Verdict(differing === 0);
    });
  } catch (e) {
    if (e instanceof Verdict) return e.same;
    throw e;
  }
  throw new Error('unreachable');
}

class Verdict extends Error {
  constructor(readonly same: boolean) {
    super('verdict');
  }
}
